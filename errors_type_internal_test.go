package rivery

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"
)

// ErrorType names each failure the SDK returns in a word, and never
// repeats the error's text.
func TestErrorType(t *testing.T) {
	t.Parallel()
	reqErr := func(err error) error { return &RequestError{Method: "GET", URL: "https://x/y?token=secret", Err: err} }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&APIError{StatusCode: 404, Message: "secret"}, "404"},
		{fmt.Errorf("wrapped: %w", &APIError{StatusCode: 503}), "503"},
		{&APIError{StatusCode: 429}, "429"},
		{&APIError{StatusCode: 999}, ErrorTypeOther},
		{&RunError{Run: &Run{Status: StatusFailed}}, ErrorTypeRunFailed},
		{fmt.Errorf("%w: empty river ID", ErrInvalidArgument), ErrorTypeInvalidArgument},
		{reqErr(fmt.Errorf("%w: none", ErrNoRunStarted)), ErrorTypeNoRunStarted},
		{reqErr(context.Canceled), ErrorTypeCanceled},
		{reqErr(context.DeadlineExceeded), ErrorTypeTimeout},
		{reqErr(&undecodableError{errors.New("bad")}), ErrorTypeUndecodable},
		{reqErr(bodyTooLarge(10)), ErrorTypeResponseTooLarge},
		{reqErr(&url.Error{Op: "Get", URL: "u", Err: &net.DNSError{Err: "no such host", Name: "h"}}), ErrorTypeDNS},
		{reqErr(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), ErrorTypeConnect},
		{reqErr(x509.UnknownAuthorityError{}), ErrorTypeTLS},
		{reqErr(&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}), ErrorTypeTimeout},
		{reqErr(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), ErrorTypeConnection},
		{reqErr(io.ErrUnexpectedEOF), ErrorTypeConnection},
		{reqErr(errors.New("something else")), ErrorTypeOther},
	} {
		if got := ErrorType(tc.err); got != tc.want {
			t.Errorf("ErrorType(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if got := bodyTooLarge(1024).Error(); got != "response body exceeds 1024 bytes" {
		t.Errorf("message %q", got)
	}
	for code := 100; code < 600; code++ {
		if got := statusString(code); got != fmt.Sprint(code) {
			t.Fatalf("statusString(%d) = %q", code, got)
		}
	}
}
