package rivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/rivery-go/rivery/internal/retry"
)

// PresignedURL is a short-lived URL to a file in Rivery's storage (an S3
// presigned URL): the signature in its query is the credential, so
// whoever holds it may read (or, for an upload, write) the file until it
// expires. It prints as "[redacted]" under every fmt verb, in slog and
// as JSON or text; use string(u) for the URL itself. The SDK sends no
// Rivery token to it, only over https (or http to a loopback host, for
// tests), and names it in errors without its query.
type PresignedURL string

// String prints "[redacted]".
func (PresignedURL) String() string { return redacted }

// GoString prints "[redacted]" for %#v.
func (PresignedURL) GoString() string { return redacted }

// Format prints "[redacted]" for every verb.
func (PresignedURL) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue keeps the URL out of slog output.
func (PresignedURL) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the URL out of encoding/json and other encoders.
func (PresignedURL) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// routePresigned is the observer's route of a request to a presigned URL
// other than a step log's: its path is part of the credential.
const routePresigned = "{presigned_url}"

// presignedCall is one request to a presigned URL. Its answer, when 2xx,
// goes to read; a PUT's body comes from open, called for each attempt.
type presignedCall struct {
	method string
	url    string // the URL, query and all
	what   string // what the URL is, for errors ("step log URL")
	route  string // the observer's route
	// read consumes a 2xx answer's body. An error it returns is retried
	// as a transport failure unless marked with retry.Stop.
	read func(body io.Reader, length int64) error
	// open returns the body of a PUT, size bytes long, for each attempt;
	// an error from its second call on stops the retries.
	open func() (io.Reader, error)
	size int64
	// once marks a PUT whose body cannot be read twice: it is not sent
	// again once it may have reached the server.
	once bool
}

// checkPresigned returns the URL as errors name it (without its query),
// or an error wrapping ErrInvalidArgument for a URL the SDK will not send
// a request to: not absolute, with user information, or not https (http
// only to a loopback host).
func checkPresigned(what, raw string) (string, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return "", fmt.Errorf("%w: %s is not an absolute URL", ErrInvalidArgument, what)
	case u.User != nil:
		return "", fmt.Errorf("%w: %s carries user information", ErrInvalidArgument, what)
	case u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())):
		return "", fmt.Errorf("%w: %s must be https, not %s://%s", ErrInvalidArgument, what, truncate(u.Scheme), truncate(u.Host))
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String(), nil
}

// presigned makes p: a request that carries no Rivery token (the
// signature in the URL is its credential), retried like any GET (a PUT
// with a body that can be read again is idempotent too), observed under
// p.route. A non-2xx answer is an *APIError naming the URL without its
// query, whose message and body have the query's values scrubbed (S3
// echoes the signature it rejected); anything else is a *RequestError.
func (c *Client) presigned(ctx context.Context, p presignedCall) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	shown, err := checkPresigned(p.what, p.url)
	if err != nil {
		return nil, err
	}
	if c.obs == nil {
		return c.presignedDo(ctx, p, shown, nil)
	}
	o := c.startCall(ctx, c.endpointOf(p.method, p.url, p.route), false)
	r, err := c.presignedDo(o.ctx, p, shown, o)
	o.end(err)
	return r, err
}

// presignedDo is presigned, its attempts reported to o when not nil.
func (c *Client) presignedDo(ctx context.Context, p presignedCall, shown string, o *callObs) (*Response, error) {
	// The client's hooks log and report the attempts of a call that
	// carries a callState; its path is the route, never the presigned one.
	st := &callState{method: p.method, path: p.route, obs: o, nonIdempotent: p.once}
	ctx = retry.WithCall(ctx, st)
	if p.once {
		ctx = st.trace.withTrace(ctx)
	}
	var body any // none for an empty PUT: net/http then sends Content-Length: 0, not a chunked body
	if p.open != nil && p.size > 0 {
		body = retryablehttp.ReaderFunc(p.open)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, p.method, p.url, body)
	if err != nil {
		return nil, fmt.Errorf("%w: building the request to the %s", ErrInvalidArgument, p.what)
	}
	req.ContentLength = p.size
	st.host = req.URL.Host
	req.Header["User-Agent"] = c.headers.userAgent // and no Authorization

	resp, errBody, err := c.sendOutside(ctx, st, req, p.read) //nolint:bodyclose // sendOutside closes it
	var r *Response
	if resp != nil {
		r = &Response{Response: resp, RequestID: requestID(resp.Header)}
	}
	scrub := queryScrubber(p.url) // S3 echoes the signature it rejected
	if err != nil {
		return r, &RequestError{Method: p.method, URL: shown, Attempts: max(st.attempts, 1),
			MaybeApplied: p.once && st.maybeApplied, Err: scrubbedError(err, scrub)}
	}
	if !success(resp.StatusCode) {
		apiErr := newAPIError(p.method, shown, resp, []byte(scrub(string(errBody))), 0)
		c.auth.sealAPIError(apiErr)
		return r, apiErr
	}
	return r, nil
}

// minQueryScrubbed is the shortest query value scrubbed from a presigned
// call's errors: shorter ones (an expiry in seconds, an algorithm name)
// give nothing away and would mangle the message.
const minQueryScrubbed = 12

// queryScrubber is the valueScrubber of raw's query values, as they are
// and query-escaped.
func queryScrubber(raw string) func(string) string {
	var values []string
	if u, err := url.Parse(raw); err == nil {
		for _, vs := range u.Query() {
			values = append(values, vs...)
		}
	}
	return valueScrubber(values, minQueryScrubbed, url.QueryEscape)
}

// scrubbedError is err with its text passed through scrub: err itself
// when that changes nothing.
func scrubbedError(err error, scrub func(string) string) error {
	if msg := err.Error(); scrub(msg) != msg {
		return errors.New(scrub(msg))
	}
	return err
}

// countingWriter counts what reaches w, and remembers w's own error.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	if err != nil && cw.err == nil {
		cw.err = err
	}
	return n, err
}

// streamTo returns a presignedCall.read that copies the body to cw as it
// comes, holding none of it beyond io.Copy's buffer. A body that breaks
// before any of it reached cw is retried; once some has, or when cw
// itself fails, it is not (the caller's writer cannot take it back).
func streamTo(cw *countingWriter) func(io.Reader, int64) error {
	return func(body io.Reader, _ int64) error {
		before := cw.n
		_, err := io.Copy(cw, body)
		switch {
		case err == nil:
			return nil
		case cw.err != nil:
			return retry.Stop(fmt.Errorf("writing: %w", cw.err))
		case cw.n > before:
			return retry.Stop(fmt.Errorf("reading the body after %d bytes: %w", cw.n-before, err))
		}
		return err
	}
}

// bufferBody returns a presignedCall.read that reads a body of at most
// limit bytes into *out; more is an error, not retried.
func bufferBody(out *[]byte, limit int64) func(io.Reader, int64) error {
	return func(body io.Reader, length int64) error {
		*out = nil
		if length > limit {
			return retry.Stop(bodyTooLarge(limit))
		}
		b, err := readBounded(body, limit)
		if tl := (*tooLargeError)(nil); errors.As(err, &tl) {
			return retry.Stop(err)
		}
		if err != nil {
			return err // a cut-off body is retried like a transport failure
		}
		*out = b
		return nil
	}
}

// uploadBody returns a presignedCall's open and once for content of size
// bytes: an io.ReaderAt is read afresh by each attempt (the PUT may be
// retried); any other reader only once.
func uploadBody(content io.Reader, size int64) (open func() (io.Reader, error), once bool) {
	if ra, ok := content.(io.ReaderAt); ok {
		return func() (io.Reader, error) { return io.NewSectionReader(ra, 0, size), nil }, false
	}
	t := &readTracker{r: content}
	var read int64
	counted := readerFunc(func(p []byte) (int, error) {
		n, err := t.Read(p)
		read += int64(n)
		return n, err
	})
	return func() (io.Reader, error) {
		if read > 0 {
			return nil, retry.Stop(errors.New("the content was partly sent and cannot be read again (an io.ReaderAt can)"))
		}
		return counted, nil
	}, true
}

// readerFunc is a func as an io.Reader.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
