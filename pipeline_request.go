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
	drainWait   = 50 * time.Millisecond
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
	// write marks a PUT that must not be sent again once it may have
	// reached the server, as POST and PATCH never are.
	write bool
	// empty makes an empty 2xx body (nothing, or only white space) an
	// answer that leaves out zero, as 204 does, instead of an unreadable
	// one.
	empty bool
	// idempotent marks a POST that may be sent again, as a GET may: one
	// whose effect is the same however often it lands (clearing a
	// dataframe, overwriting a CDC position).
	idempotent bool
	// gone makes a 404 a success when an earlier attempt of the call may
	// have reached the server: a DELETE retried after its answer was lost
	// finds the work done. A 404 to the first attempt stays an error.
	gone bool
}

// callState follows one call through its attempts.
type callState struct {
	resp               Response // what do returns
	method, host, path string
	nonIdempotent      bool
	empty              bool // call.empty
	attempts           int
	maybeApplied       bool
	reachedBefore      bool   // an attempt before this one may have reached the server
	handled            bool   // the response handler ran for this attempt
	errBody            []byte // the last non-2xx body, capped
	badBody            error  // a complete 2xx body that did not decode: not retried
	src                readTracker
	start              time.Time
	lr                 io.LimitedReader // bounds body reads without an allocation each
	fixedBody          [80]byte         // a fixed request body: {"river_id": ...} and the like
	body               bytes.Buffer     // the request body, re-read by every attempt

	obs  *callObs // the call's observer state, or nil
	poll bool     // a status call of the shared poller: one attempt, budgeted as a poll
	// outside marks a request outside the Rivery API (sendOutside): the
	// client's budget and rate limit leave it alone.
	outside bool
	ticket  budgetTicket // this attempt's slot in the client's budget
	ended   bool         // the budget has heard of this attempt's end

	trace       attemptTrace // how far this attempt got (non-idempotent calls)
	doneAtStart bool         // ctx was done before this attempt began
	lastErr     error        // why the last attempt got no complete answer (RetryInfo.Err)
	atEOF       bool         // the body was read to its end: closing it loses nothing
	closed      bool         // this attempt's body is closed, not to be read again
}

// NonIdempotent tells the retry policy whether the call may be repeated.
func (st *callState) NonIdempotent() bool { return st.nonIdempotent }

// stateFrom returns the callState a request's context carries, or nil.
func stateFrom(ctx context.Context) *callState {
	st, _ := retry.CallFrom(ctx).(*callState)
	return st
}

// send sends cl with retries, authorized by auth, and decodes the answer;
// adm is its first attempt's admission (see Client.admit). A
// non-2xx answer is an *APIError; a failure to get or read one is a
// *RequestError. Services call it through do. Its attempts are reported
// to o, when not nil.
func (c *Client) send(ctx context.Context, cl call, auth []string, adm admission, o *callObs) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	target, err := fullURL(cl.url, cl.query)
	if err != nil {
		c.notSent(adm)
		return nil, err
	}
	st := &callState{method: cl.method, obs: o, nonIdempotent: !cl.idempotent && (cl.write || cl.method == http.MethodPost || cl.method == http.MethodPatch), empty: cl.empty, poll: adm.poll, ticket: adm.ticket}
	r := &st.resp // one allocation for both
	var body any  // untyped nil when there is no body, so GETs send none
	if cl.body != nil {
		// go-retryablehttp re-reads the bytes on every attempt; a slice
		// into st (a fixed body) or a shared one costs no allocation.
		b, err := st.encodeBody(cl.body)
		if err != nil {
			c.notSent(adm)
			return nil, fmt.Errorf("%w: encoding request body: %w", ErrInvalidArgument, err)
		}
		st.body = *bytes.NewBuffer(b)
		body = &st.body // pointer-shaped: no allocation as an any
	}
	ctx = retry.WithCall(ctx, st)
	if st.nonIdempotent {
		ctx = st.trace.withTrace(ctx)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, target, body)
	if err != nil {
		c.notSent(adm)
		return nil, fmt.Errorf("%w: building request: %w", ErrInvalidArgument, err)
	}
	st.host, st.path = req.URL.Host, req.URL.Path
	h := req.Header // the values are shared, read-only slices
	h["Authorization"] = auth
	h["Accept"] = c.headers.json
	h["User-Agent"] = c.headers.userAgent
	if body != nil {
		h["Content-Type"] = c.headers.json
		if fb, ok := cl.body.(formBody); ok {
			h["Content-Type"] = fb.contentType
		}
	}

	// The body is read inside the retry loop, so a GET whose answer is cut
	// off is retried like any other transport failure.
	req.SetResponseHandler(func(resp *http.Response) error {
		return c.finish(ctx, st, resp, cl)
	})

	resp, err := c.retrier(st).Do(req) //nolint:bodyclose // closed below by st.drainClose, on every path
	c.attemptEnded(st, nil)
	if resp == nil {
		r = nil
	} else {
		defer st.drainClose(resp.Body)
		r.Response, r.RequestID = resp, requestID(resp.Header)
	}
	if err == nil && st.badBody != nil { // a complete 2xx answer that is not the JSON expected
		err = st.badBody
	}
	if err != nil {
		reqErr := st.requestError(ctx, cl, target, err)
		reqErr.scrub = c.auth
		return r, reqErr
	}
	if cl.gone && resp.StatusCode == http.StatusNotFound && st.reachedBefore {
		return r, nil // an earlier attempt deleted it
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if !st.handled { // retries ran out on a retryable status
			_ = c.finish(ctx, st, resp, call{})
		}
		retryAfter, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		apiErr := newAPIError(cl.method, target, resp, st.errBody, retryAfter)
		apiErr.nonIdempotent = st.nonIdempotent
		c.auth.sealAPIError(apiErr)
		return r, apiErr
	}
	return r, nil
}

// requestError wraps err for the caller. A done context surfaces as the
// context's own error, not as a transport string.
func (st *callState) requestError(ctx context.Context, cl call, target string, err error) *RequestError {
	return &RequestError{
		Method:       cl.method,
		URL:          target,
		Attempts:     max(st.attempts, 1),
		MaybeApplied: st.nonIdempotent && st.maybeApplied,
		Err:          transportCause(ctx, err),
	}
}

// beforeAttempt runs before each attempt (go-retryablehttp's RequestLogHook).
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, retryNumber int) {
	st := stateFrom(req.Context())
	if st == nil {
		return
	}
	st.attempts = retryNumber + 1
	st.reachedBefore = st.maybeApplied
	st.handled = false
	st.ended = false
	st.atEOF, st.closed = false, false
	st.trace.reset()
	st.doneAtStart = req.Context().Err() != nil
	if c.logger != nil || c.guardReads {
		st.start = time.Now()
	}
	if st.obs != nil {
		st.obs.startAttempt(req)
	}
}

// afterAttempt records whether a non-idempotent request may have reached the
// server and logs the attempt.
func (c *Client) afterAttempt(ctx context.Context, resp *http.Response, err error, again bool) {
	st := stateFrom(ctx)
	if st == nil {
		return
	}
	st.lastErr = err
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		st.lastErr = uerr.Err // the URL (and its query) stays out of RetryInfo
	}
	c.attemptEnded(st, resp)
	if again && err == nil && resp != nil && !st.handled {
		// A 429 or 5xx to retry: close it here, the drain bounded in time.
		// After the last attempt, do reads its body for the APIError.
		st.handled = st.attempts <= c.rc.RetryMax
		if st.handled {
			st.drainClose(resp.Body)
		}
	}
	switch {
	case err != nil:
		st.maybeApplied = st.maybeApplied || st.reached(resp != nil, err)
	case resp != nil && resp.StatusCode != http.StatusTooManyRequests:
		st.maybeApplied = true
	}
	if err == nil && resp != nil && !again && !st.handled {
		return // the response handler runs next, and this hook again after it
	}
	if st.obs != nil {
		st.obs.endAttempt(resp, err, st.reached(resp != nil, err), again && st.attempts <= c.rc.RetryMax)
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
		attrs = append(attrs, slog.String("error", c.auth.printable(err.Error())))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "rivery: http attempt", attrs...)
}

// fullURL appends the encoded query, if any, to u.
func fullURL(u string, q any) (string, error) {
	if q == nil {
		return u, nil
	}
	if nilPointer(q) {
		return u, nil // nil options: no query, and no reflection walk to find out
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

// nilPointer reports whether v is a nil pointer of some type (an options
// struct not given).
func nilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
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

// jsonBytes is a request body already encoded. Its bytes are only ever
// read, so one value can serve every call.
type jsonBytes []byte

// emptyObject is the {} the v1 API takes on POSTs without parameters.
var emptyObject = jsonBytes("{}")

// formBody is a request body sent as it is under its own content type (a
// multipart upload) instead of as JSON.
type formBody struct {
	contentType []string
	data        []byte
}

// encodeBody returns v as JSON, without HTML escaping or a trailing
// newline: a jsonBytes as it is, a fixed body (one with AppendJSON) in
// st's own buffer, anything else through a pooled encoder into a slice of
// its own. The transport may still read a request body after the response
// came back, so a pooled buffer is never handed out.
func (st *callState) encodeBody(v any) ([]byte, error) {
	switch v := v.(type) {
	case jsonBytes:
		return v, nil
	case formBody:
		return v.data, nil
	case interface{ AppendJSON([]byte) []byte }: // the fixed bodies, without reflection
		return v.AppendJSON(st.fixedBody[:0]), nil
	}
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
	return append(make([]byte, 0, len(out)), out...), nil
}

// decodeBody reads at most limit bytes of a success body into out, zeroed
// first so a retried attempt leaves nothing of an earlier one. A body that
// announces more is refused before any of it is read.
func (st *callState) decodeBody(resp *http.Response, out any, limit int64) error {
	if out == nil {
		return nil
	}
	if p, ok := out.(interface{ clearForAttempt() }); ok {
		p.clearForAttempt()
	} else {
		reflect.ValueOf(out).Elem().SetZero()
	}
	if limit <= 0 {
		limit = limitObject
	}
	if resp.ContentLength > limit {
		return bodyTooLarge(limit)
	}
	st.src = readTracker{r: resp.Body}
	lr := &st.lr
	lr.R, lr.N = &st.src, limit+1
	raw, isRaw := out.(*[]byte)
	whole, isWhole := out.(wholeBodyDecoder)
	if isRaw || isWhole {
		b, err := readWhole(lr, resp.ContentLength)
		switch {
		case err != nil:
			return fmt.Errorf("reading response: %w", err)
		case int64(len(b)) > limit:
			return bodyTooLarge(limit)
		}
		st.atEOF = true
		switch {
		case isRaw:
			*raw = b
		case st.empty && len(bytes.TrimSpace(b)) == 0:
		default:
			if err := whole.DecodeWhole(b); err != nil {
				return &undecodableError{err}
			}
		}
		return nil
	}
	n, err := decodeJSON(lr, out)
	if st.empty && n == 0 && err == io.EOF && st.src.err == nil && lr.N > 0 { //nolint:errorlint // the decoder returns io.EOF unwrapped
		st.atEOF = true // nothing but white space came, to the end
		return nil
	}
	if err != nil {
		return st.decodeFailure(err, n, limit)
	}
	if n > limit { // a value that ends on the extra byte read
		return bodyTooLarge(limit)
	}
	// With a Content-Length all read, the body's end needs no more I/O.
	st.atEOF = resp.ContentLength >= 0 && resp.ContentLength == limit+1-lr.N
	return nil
}

// wholeBodyDecoder is an out decoded from its body read whole rather than
// from the stream: an answer of several shapes (wire.ConsoleRiverList),
// whose UnmarshalJSON, given the stream, would have encoding/json scan a
// long body twice more before decoding it (a console rivers list read 0.68
// of the floor's throughput that way; docs/performance.md).
type wholeBodyDecoder interface{ DecodeWhole(b []byte) error }

// readWhole reads r to its end, in one allocation when size (a
// Content-Length, or -1) is known.
func readWhole(r io.Reader, size int64) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// bodyTooLarge is the error for a success body longer than limit.
func bodyTooLarge(limit int64) error { return &tooLargeError{limit} }

// decodeFailure says what a failed decode (err, after the value took n
// bytes) of a success body was, from where the decoder stopped rather than
// from how far it happened to read ahead: a value read whole (n > 0), or a
// syntax error, within limit is the server's answer and beyond it too
// large. Otherwise the read stopped short of a value: a transport fault
// (retried) if the body broke, too large if limit ran out, else the body
// ended too soon.
func (st *callState) decodeFailure(err error, n, limit int64) error {
	syn := (*json.SyntaxError)(nil)
	switch {
	case n > 0:
		if n > limit {
			return bodyTooLarge(limit)
		}
	case errors.As(err, &syn):
		if syn.Offset > limit {
			return bodyTooLarge(limit)
		}
	case st.src.err != nil: // cut off: a transport fault, retried
		return fmt.Errorf("decoding response: %w", st.src.err)
	case st.lr.N <= 0:
		return bodyTooLarge(limit)
	}
	return &undecodableError{err}
}

// undecodableError is a 2xx body, read to its end (readTracker saw no read
// error), that is not the JSON a call expects: the server's answer, not a
// transport fault, so neither a retry nor a poll repeats it.
type undecodableError struct{ err error }

func (e *undecodableError) Error() string { return "decoding response: " + e.err.Error() }
func (e *undecodableError) Unwrap() error { return e.err }

// readTracker remembers the first read error other than io.EOF, which tells
// a body cut short from a complete one that does not decode.
type readTracker struct {
	r   io.Reader
	err error
}

func (t *readTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil { //nolint:errorlint // io.EOF is returned unwrapped by contract
		t.err = err
	}
	return n, err
}

// drainClose reads a little of what is left, so the connection can be
// reused, and closes the body, once. Unless the body is known to be at its
// end, the drain is bounded in time too: a tail that stalls gets the body
// closed (and with it the connection) after drainWait.
func (st *callState) drainClose(body io.ReadCloser) {
	if body == nil || st.closed {
		return
	}
	st.closed = true
	var t *time.Timer
	if !st.atEOF {
		t = time.AfterFunc(drainWait, func() { _ = body.Close() })
	}
	st.lr.R, st.lr.N = body, maxDrain
	_, _ = io.Copy(io.Discard, &st.lr)
	if t != nil {
		t.Stop()
	}
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
