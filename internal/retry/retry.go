// Package retry holds the SDK's retry policy (DESIGN.md section 4, rules 1 and 2):
// which attempts may be repeated, how long to wait between them, and how a
// Retry-After header is read. It is shaped to plug into go-retryablehttp's
// CheckRetry and Backoff hooks but depends only on net/http.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Call is what a request's context tells the policy about the request.
// CheckRetry receives only the context on transport errors, so whether the
// request may be sent twice travels this way. A caller may keep its own
// per-call state behind it, one context value for both.
type Call interface {
	// NonIdempotent reports that the request must not be sent twice
	// unless it provably never reached the server.
	NonIdempotent() bool
}

type callKey struct{}

// WithCall returns ctx carrying c.
func WithCall(ctx context.Context, c Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallFrom returns the Call ctx carries, or nil.
func CallFrom(ctx context.Context) Call {
	c, _ := ctx.Value(callKey{}).(Call)
	return c
}

type nonIdempotent struct{}

// NonIdempotent is always true.
func (nonIdempotent) NonIdempotent() bool { return true }

// NonIdempotent marks ctx as carrying a request that must not be sent twice
// unless it provably never reached the server.
func NonIdempotent(ctx context.Context) context.Context {
	return WithCall(ctx, nonIdempotent{})
}

// Reacher is a Call that knows more than an error's type about whether a
// failed attempt may have reached the server (what the transport reported
// of its progress, whether an answer had begun to arrive).
type Reacher interface {
	Reached(err error) bool
}

// Reached reports whether the attempt that failed with err may have reached
// the server: the Call's own account when it keeps one, else everything
// but a dial or DNS error.
func Reached(ctx context.Context, err error) bool {
	if r, ok := CallFrom(ctx).(Reacher); ok {
		return r.Reached(err)
	}
	return !PreSend(err)
}

// IsNonIdempotent reports whether ctx carries a non-idempotent Call.
func IsNonIdempotent(ctx context.Context) bool {
	c := CallFrom(ctx)
	return c != nil && c.NonIdempotent()
}

// Policy decides whether an attempt is retried and how long to wait before the
// next one. MaxWait caps every wait; a Retry-After above it is not waited for.
type Policy struct {
	MaxWait time.Duration
	// Now returns the current time; nil means time.Now. Used to read
	// Retry-After dates.
	Now func() time.Time
}

func (p Policy) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// CheckRetry reports whether the attempt that produced resp or err should be
// repeated. It never retries once ctx is done, and returns ctx's error then.
//
// Rules: a request that never reached the server (see Reached) is retried
// whatever its method; so is any 429 whose Retry-After fits under MaxWait.
// Idempotent requests are also retried on other transport errors and on
// 5xx except 501. A non-idempotent request is never retried after it may
// have reached the server: an error that comes with a response (reading
// its body failed) always may have. Errors marked with Stop, and
// certificate and TLS failures, are never retried.
func (p Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	// Whether the request may be repeated is looked up only where it
	// matters: most answers are decided by their status alone.
	if err != nil {
		if Permanent(err) {
			return false, nil
		}
		return !IsNonIdempotent(ctx) || resp == nil && !Reached(ctx, err), nil
	}
	if resp == nil {
		return false, nil
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), p.now()); ok && d > p.MaxWait {
			return false, nil
		}
		return true, nil
	case code >= 500 && code != http.StatusNotImplemented && code <= 599:
		if IsNonIdempotent(ctx) {
			return false, nil
		}
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), p.now()); ok && d > p.MaxWait {
			return false, nil
		}
		return true, nil
	}
	return false, nil
}

// Backoff returns the wait before retry number attempt (0 for the first
// retry). A Retry-After on resp is honored, capped at max; otherwise the wait
// grows exponentially from min and is jittered into [d/2, d].
func (p Policy) Backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), p.now()); ok {
			return min(max(d, minWait), maxWait)
		}
	}
	return Jitter(Exponential(minWait, maxWait, attempt))
}

// Exponential returns minWait doubled attempt times, capped at maxWait.
func Exponential(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := minWait
	for range attempt {
		if d >= maxWait/2 {
			return maxWait
		}
		d *= 2
	}
	return min(d, maxWait)
}

// Jitter returns a random duration in [d/2, d].
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1) //nolint:gosec // G404: jitter spreads retries; it guards no secret

}

// ParseRetryAfter reads a Retry-After value: delay seconds or an HTTP date in
// any of the forms http.ParseTime accepts. A date in the past gives 0; a
// number of seconds too large for an integer gives the longest Duration
// in whole seconds. It reports false when the header is empty or malformed.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	const maxSecs = int64((1<<63 - 1) / time.Second)
	secs, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err == nil && secs < 0:
		return 0, false
	case err == nil:
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	case errors.Is(err, strconv.ErrRange) && v[0] != '-':
		// Too many seconds for an integer: longer than any cap, not absent.
		return time.Duration(maxSecs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// PreSend reports whether err proves the request never reached the server:
// the connection could not be made or the host name did not resolve.
func PreSend(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// Stop marks err as one that trying again will not fix (a redirect loop, an
// answer the SDK refuses): CheckRetry never repeats the attempt.
func Stop(err error) error { return stopError{err} }

type stopError struct{ error }

func (e stopError) Unwrap() error { return e.error }

// Permanent reports whether err will not go away by trying again: an error
// marked with Stop, or a certificate or TLS negotiation failure.
func Permanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
		stop             stopError
		recordHeader     tls.RecordHeaderError
		alert            tls.AlertError
	)
	return errors.As(err, &stop) || errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification) ||
		errors.As(err, &recordHeader) || errors.As(err, &alert)
}
