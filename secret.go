package rivery

import (
	"fmt"
	"io"
	"log/slog"
)

const redacted = "[redacted]"

// secret holds a credential. Every way fmt or slog can print it shows
// "[redacted]", so no struct that holds one can leak it by any verb.
type secret string

func (secret) String() string   { return redacted }
func (secret) GoString() string { return redacted }

// Format prints "[redacted]" for every verb.
func (secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the value out of slog output.
func (secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the value out of encoders that honour TextMarshaler.
func (secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
