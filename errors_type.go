package rivery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strconv"
	"syscall"
)

// The kinds of failure ErrorType names besides an HTTP status. They are
// the values of the error.type attribute (OpenTelemetry's name for it),
// few on purpose so they can label metrics.
const (
	ErrorTypeCanceled         = "canceled"             // the context was canceled
	ErrorTypeTimeout          = "timeout"              // a deadline passed: the context's, or an attempt's
	ErrorTypeDNS              = "dns"                  // the host name did not resolve
	ErrorTypeConnect          = "connect"              // no connection could be made
	ErrorTypeTLS              = "tls"                  // the TLS handshake or the certificate failed
	ErrorTypeConnection       = "connection"           // the connection broke (reset, closed early)
	ErrorTypeResponseTooLarge = "response_too_large"   // a body beyond the SDK's bound
	ErrorTypeUndecodable      = "undecodable_response" // a complete 2xx body that is not what the call reads
	ErrorTypeNoRunStarted     = "no_run_started"       // ErrNoRunStarted
	ErrorTypeInvalidArgument  = "invalid_argument"     // ErrInvalidArgument
	ErrorTypeRunFailed        = "run_failed"           // a *RunError: the run ended but did not succeed
	ErrorTypeOther            = "_OTHER"               // none of the above
)

// ErrorType names err in a word, for a metric's label or a span's
// error.type: "" for nil; the status as a string ("404", "429", "503")
// for an *APIError; otherwise one of the ErrorType constants. It never
// returns text taken from the error, so it holds no secret and has few
// values.
func ErrorType(err error) string {
	if err == nil {
		return ""
	}
	var apiErr *APIError
	var runErr *RunError
	var und *undecodableError
	var big *tooLargeError
	switch {
	case errors.As(err, &apiErr):
		return statusString(apiErr.StatusCode)
	case errors.As(err, &runErr):
		return ErrorTypeRunFailed
	case errors.Is(err, ErrInvalidArgument):
		return ErrorTypeInvalidArgument
	case errors.Is(err, ErrNoRunStarted):
		return ErrorTypeNoRunStarted
	case errors.Is(err, context.Canceled):
		return ErrorTypeCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return ErrorTypeTimeout
	case errors.As(err, &und):
		return ErrorTypeUndecodable
	case errors.As(err, &big):
		return ErrorTypeResponseTooLarge
	}
	return transportErrorType(err)
}

// transportErrorType names a failure to get or read an answer.
func transportErrorType(err error) string {
	var (
		dnsErr   *net.DNSError
		opErr    *net.OpError
		netErr   net.Error
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &dnsErr):
		return ErrorTypeDNS
	case errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &alert):
		return ErrorTypeTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		return ErrorTypeTimeout
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return ErrorTypeConnect
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, net.ErrClosed):
		return ErrorTypeConnection
	}
	return ErrorTypeOther
}

// statusString is code in decimal, without an allocation for the codes
// HTTP defines.
func statusString(code int) string {
	if code >= 100 && code < 600 {
		return statusStrings[code-100]
	}
	return ErrorTypeOther
}

var statusStrings = func() (t [500]string) {
	for i := range t {
		n := i + 100
		t[i] = string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
	}
	return t
}()

// tooLargeError is a success body beyond the call's bound.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "response body exceeds " + strconv.FormatInt(e.limit, 10) + " bytes"
}
