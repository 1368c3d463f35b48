package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/rivery-go/rivery/internal/retry"
	"github.com/rivery-go/rivery/internal/wire"
)

// Bounds on what the SDK reads from a success response; more is an error.
// A single run, token, operation or identity is a few hundred bytes; pages
// of up to 500 items, a river's full settings and a run's log get more room.
const (
	limitObject = 256 << 10
	limitPage   = 8 << 20
	limitLarge  = 16 << 20
	maxDrain    = 64 << 10 // what is read past the decoded value to reuse the connection
)

// Response is the HTTP response behind a call, with what the SDK parsed from
// it. Its Body has already been read and closed. It is returned with API
// errors too.
type Response struct {
	*http.Response

	// RequestID is the server's X-Request-Id, when it sent one.
	RequestID string

	// Pagination of v1 lists; zero for other calls. NextPage and
	// PreviousPage are absolute URLs, empty at either end.
	Page         int
	TotalItems   int
	NextPage     string
	PreviousPage string
}

// call is one API request as the services describe it.
type call struct {
	method string
	url    string // absolute, without a query
	query  any    // a struct with `url` tags, or url.Values, or nil
	body   any    // JSON-encoded when not nil
	out    any    // *T to decode JSON into, *[]byte for the raw body, or nil
	limit  int64  // the most of a success body to read; 0 means limitObject
}

// callState follows one call through its attempts.
type callState struct {
	resp               Response // what do returns
	method, host, path string
	nonIdempotent      bool
	attempts           int
	maybeApplied       bool
	handled            bool   // the response handler ran for this attempt
	errBody            []byte // the last non-2xx body, capped
	start              time.Time
	lr                 io.LimitedReader // bounds body reads without an allocation each
}

// NonIdempotent tells the retry policy whether the call may be repeated.
func (st *callState) NonIdempotent() bool { return st.nonIdempotent }

// stateFrom returns the callState a request's context carries, or nil.
func stateFrom(ctx context.Context) *callState {
	st, _ := retry.CallFrom(ctx).(*callState)
	return st
}

// do sends cl with retries and decodes the answer. A non-2xx answer is an
// *APIError; a failure to get or read one is a *RequestError.
func (c *Client) do(ctx context.Context, cl call) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	target, err := fullURL(cl.url, cl.query)
	if err != nil {
		return nil, err
	}
	var body any // untyped nil when there is no body, so GETs send none
	if cl.body != nil {
		// A *bytes.Buffer, pointer-shaped, costs no allocation as an any;
		// go-retryablehttp re-reads its bytes on every attempt.
		b, err := encodeJSON(cl.body)
		if err != nil {
			return nil, fmt.Errorf("%w: encoding request body: %w", ErrInvalidArgument, err)
		}
		body = b
	}

	st := &callState{method: cl.method, nonIdempotent: cl.method == http.MethodPost || cl.method == http.MethodPatch}
	r := &st.resp // one allocation for both
	ctx = retry.WithCall(ctx, st)
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%w: building request: %w", ErrInvalidArgument, err)
	}
	st.host, st.path = req.URL.Host, req.URL.Path
	h := req.Header // the values are shared, read-only slices
	h["Authorization"] = c.auth.header()
	h["Accept"] = c.headers.json
	h["User-Agent"] = c.headers.userAgent
	if body != nil {
		h["Content-Type"] = c.headers.json
	}

	// The body is read inside the retry loop, so a GET whose answer is cut
	// off is retried like any other transport failure.
	req.SetResponseHandler(func(resp *http.Response) error {
		st.handled = true
		switch {
		case resp.StatusCode < 200 || resp.StatusCode > 299:
			st.errBody, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			return nil
		case resp.StatusCode == http.StatusNoContent:
			return nil
		}
		return st.decodeBody(resp, cl.out, cl.limit)
	})

	resp, err := c.rc.Do(req) //nolint:bodyclose // closed below by st.drainClose, on every path
	if resp == nil {
		r = nil
	} else {
		defer st.drainClose(resp.Body)
		r.Response, r.RequestID = resp, requestID(resp.Header)
	}
	if err != nil {
		return r, st.requestError(ctx, cl, target, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if !st.handled { // retries ran out on a retryable status
			st.errBody, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		}
		retryAfter, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return r, newAPIError(cl.method, target, resp, st.errBody, retryAfter)
	}
	return r, nil
}

// requestError wraps err for the caller. A done context surfaces as the
// context's own error, not as a transport string.
func (st *callState) requestError(ctx context.Context, cl call, target string, err error) *RequestError {
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		err = uerr.Err // the URL is already in RequestError
	}
	return &RequestError{
		Method:       cl.method,
		URL:          target,
		Attempts:     max(st.attempts, 1),
		MaybeApplied: st.nonIdempotent && st.maybeApplied,
		Err:          err,
	}
}

// beforeAttempt runs before each attempt (go-retryablehttp's RequestLogHook).
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, retryNumber int) {
	st := stateFrom(req.Context())
	if st == nil {
		return
	}
	st.attempts = retryNumber + 1
	st.handled = false
	if c.logger != nil {
		st.start = time.Now()
	}
}

// afterAttempt records whether a non-idempotent request may have reached the
// server and logs the attempt.
func (c *Client) afterAttempt(ctx context.Context, resp *http.Response, err error, again bool) {
	st := stateFrom(ctx)
	if st == nil {
		return
	}
	switch {
	case err != nil:
		st.maybeApplied = st.maybeApplied || !retry.PreSend(err)
	case resp != nil && resp.StatusCode != http.StatusTooManyRequests:
		st.maybeApplied = true
	}
	if err == nil && resp != nil && !again && !st.handled {
		return // the response handler runs next, and this hook again after it
	}
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", st.method),
		slog.String("host", st.host),
		slog.String("path", st.path),
		slog.Int("attempt", st.attempts),
		slog.Duration("duration", time.Since(st.start)),
		slog.Bool("retry", again),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
			err = uerr.Err
		}
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "rivery: http attempt", attrs...)
}

// fullURL appends the encoded query, if any, to u.
func fullURL(u string, q any) (string, error) {
	if q == nil {
		return u, nil
	}
	enc, err := encodeQuery(q)
	if err != nil || enc == "" {
		return u, err
	}
	return u + "?" + enc, nil
}

func encodeQuery(q any) (string, error) {
	if v, ok := q.(url.Values); ok {
		return v.Encode(), nil
	}
	v, err := query.Values(q)
	if err != nil {
		return "", fmt.Errorf("%w: encoding query: %w", ErrInvalidArgument, err)
	}
	return v.Encode(), nil
}

// encoder is a reusable JSON encoder writing into its own buffer.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// encodeJSON returns v as JSON, without HTML escaping or a trailing newline,
// in a buffer of its own: the transport may still read a request body after
// the response came back, so the pooled one is never handed out.
func encodeJSON(v any) (*bytes.Buffer, error) {
	if a, ok := v.(interface{ AppendJSON([]byte) []byte }); ok { // the fixed bodies, without reflection
		return bytes.NewBuffer(a.AppendJSON(make([]byte, 0, 64))), nil
	}
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
	return bytes.NewBuffer(append(make([]byte, 0, len(out)), out...)), nil
}

// decodeBody reads at most limit bytes of a success body into out, zeroed
// first so a retried attempt leaves nothing of an earlier one. A body that
// announces more is refused before any of it is read.
func (st *callState) decodeBody(resp *http.Response, out any, limit int64) error {
	if out == nil {
		return nil
	}
	reflect.ValueOf(out).Elem().SetZero()
	if limit <= 0 {
		limit = limitObject
	}
	tooLarge := func() error { return fmt.Errorf("response body exceeds %d bytes", limit) }
	if resp.ContentLength > limit {
		return tooLarge()
	}
	lr := &st.lr
	lr.R, lr.N = resp.Body, limit+1
	if raw, ok := out.(*[]byte); ok {
		b, err := io.ReadAll(lr)
		switch {
		case err != nil:
			return fmt.Errorf("reading response: %w", err)
		case int64(len(b)) > limit:
			return tooLarge()
		}
		*raw = b
		return nil
	}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(out); err != nil {
		if lr.N <= 0 {
			return tooLarge()
		}
		return fmt.Errorf("decoding response: %w", err)
	}
	if dec.InputOffset() > limit { // a value that ends on the extra byte read
		return tooLarge()
	}
	return nil
}

// drainClose reads a little of what is left, so the connection can be
// reused, and closes the body.
func (st *callState) drainClose(body io.ReadCloser) {
	st.lr.R, st.lr.N = body, maxDrain
	_, _ = io.Copy(io.Discard, &st.lr)
	_ = body.Close()
}

// getMe asks which account and environment the token belongs to.
func getMe(ctx context.Context, c *Client) (*wire.Me, *Response, error) {
	var me wire.Me
	resp, err := c.do(ctx, call{method: http.MethodGet, url: c.urls.me, out: &me})
	if err != nil {
		return nil, resp, err
	}
	return &me, resp, nil
}
