package rivery

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// secret holds a credential inside a closure. Reflection cannot see what a
// func captures, so fmt cannot print the value however it reaches a secret
// (even the %!s(...) path that dumps unexported fields of a Client printed
// with a bad verb); printed itself, every method below says "[redacted]".
//
// It holds the value as a one-element header value, built once and shared
// read-only by every request.
type secret func() []string

func newSecret(v string) secret {
	header := []string{v}
	return func() []string { return header }
}

// header returns the value as a header value, for the one place that
// sends it.
func (s secret) header() []string { return s() }

// String prints "[redacted]".
func (secret) String() string { return redacted }

// GoString prints "[redacted]" for %#v.
func (secret) GoString() string { return redacted }

// Format prints "[redacted]" for every verb.
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the value out of slog output.
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the value out of encoders that honor TextMarshaler.
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
