package rivery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every call reads at most its bound of a success body: a body of exactly
// the bound decodes, one byte more is a *RequestError naming the bound, and
// a Content-Length above the bound is refused before the body is read (only
// the short drain that lets the connection be reused touches it).

// paddedBody is prefix, then fill bytes, then suffix, size bytes in all,
// produced as read, with a count of what was read.
type paddedBody struct {
	prefix, suffix string
	size           int64
	mu             sync.Mutex
	off            int64
}

func (b *paddedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.off >= b.size {
		return 0, io.EOF
	}
	fillEnd := b.size - int64(len(b.suffix))
	n := 0
	for n < len(p) && b.off < b.size {
		var m int
		switch {
		case b.off < int64(len(b.prefix)):
			m = copy(p[n:], b.prefix[b.off:])
		case b.off >= fillEnd:
			m = copy(p[n:], b.suffix[b.off-fillEnd:])
		default:
			m = copy(p[n:min(int64(len(p)), int64(n)+fillEnd-b.off)], fill)
		}
		n += m
		b.off += int64(m)
	}
	return n, nil
}

// fill is what a paddedBody holds between its prefix and suffix.
var fill = []byte(strings.Repeat("a", 32<<10))

func (b *paddedBody) Close() error { return nil }

func (b *paddedBody) read() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.off
}

// oneBody answers every request with a fresh paddedBody built by body.
type oneBody struct {
	body          func() *paddedBody
	contentLength int64 // -1 for none, 0 for the body's size
	mu            sync.Mutex
	last          *paddedBody
}

func (o *oneBody) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	b := o.body()
	o.mu.Lock()
	o.last = b
	o.mu.Unlock()
	cl := o.contentLength
	if cl == 0 {
		cl = b.size
	}
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: b, ContentLength: cl, Request: req}, nil
}

func (o *oneBody) lastRead() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.last.read()
}

// boundedCall is one call and the shape of a body it decodes: prefix, a
// run of 'a' bytes, suffix.
type boundedCall struct {
	name           string
	limit          int64
	prefix, suffix string
	call           func(ctx context.Context, c *Client) error
}

func boundedCalls() []boundedCall {
	const river, run = "63b724fc690def001131d242", "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	return []boundedCall{
		{"GetRun", limitObject, `{"run_id":"` + run + `","status":"running","error_description":"`, `"}`,
			func(ctx context.Context, c *Client) error { _, _, err := c.Rivers.GetRun(ctx, river, run); return err }},
		{"Rivers.List", limitPage, `{"items":[{"river_cross_id":"` + river + `","river_name":"`, `"}],"page":1}`,
			func(ctx context.Context, c *Client) error { _, _, err := c.Rivers.List(ctx, nil); return err }},
		{"ListRuns", limitPage, `{"items":[{"run_id":"` + run + `","status":"failed","error_description":"`, `"}]}`,
			func(ctx context.Context, c *Client) error {
				now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
				_, _, err := c.Rivers.ListRuns(ctx, river, &ListRunsOptions{StartTime: now.Add(-time.Hour), EndTime: now})
				return err
			}},
		{"Tokens.Scopes", limitPage, `[{"name":"river:list","description":"`, `"}]`,
			func(ctx context.Context, c *Client) error { _, _, err := c.Tokens.Scopes(ctx); return err }},
		{"Rivers.Get", limitLarge, `{"cross_id":"` + river + `","river_name":"big","settings":{"sql":"`, `"}}`,
			func(ctx context.Context, c *Client) error { _, _, err := c.Rivers.Get(ctx, river); return err }},
		{"RunLogs", limitLarge, "timestamp,level,msg\n2026-11-27T12:00:00Z,INFO,", "\n",
			func(ctx context.Context, c *Client) error { _, _, err := c.Rivers.RunLogs(ctx, river, run); return err }},
	}
}

func boundedClient(t *testing.T, rt http.RoundTripper) *Client {
	t.Helper()
	c, err := NewClient("limit-token", WithHTTPClient(&http.Client{Transport: rt}), WithoutRetries(),
		WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBodyLimitsPerCall(t *testing.T) {
	t.Parallel()
	for _, bc := range boundedCalls() {
		t.Run(bc.name, func(t *testing.T) {
			t.Parallel()
			// A Content-Length of exactly the bound passes the early check (the
			// in-memory body itself is short, so this costs nothing); one more
			// is refused having read no more than the drain.
			for _, tc := range []struct {
				name     string
				announce int64
				ok       bool
			}{
				{"Content-Length of exactly the bound", bc.limit, true},
				{"Content-Length one byte over", bc.limit + 1, false},
				{"Content-Length far over", 64 * bc.limit, false},
			} {
				rt := &oneBody{contentLength: tc.announce, body: func() *paddedBody {
					return &paddedBody{prefix: bc.prefix, suffix: bc.suffix, size: 1 << 10}
				}}
				if !tc.ok {
					rt.body = func() *paddedBody { return &paddedBody{prefix: bc.prefix, suffix: bc.suffix, size: tc.announce} }
				}
				err := bc.call(context.Background(), boundedClient(t, rt))
				if tc.ok {
					if err != nil {
						t.Errorf("%s: %v", tc.name, err)
					}
					continue
				}
				checkTooLarge(t, tc.name, err, bc.limit)
				if read := rt.lastRead(); read > maxDrain {
					t.Errorf("%s: read %d bytes of a body that announced %d, want at most the %d-byte drain", tc.name, read, tc.announce, maxDrain)
				}
			}
		})
	}
}

func checkTooLarge(t *testing.T, what string, err error, limit int64) {
	t.Helper()
	var reqErr *RequestError
	want := "response body exceeds " + strconv.FormatInt(limit, 10) + " bytes"
	if !errors.As(err, &reqErr) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error = %v, want a *RequestError saying %q", what, err, want)
	}
}

// A streamed single object (no Content-Length) of exactly the bound
// decodes; one byte more does not, even when that byte ends a valid value.
func TestBodyLimitStreamed(t *testing.T) {
	t.Parallel()
	bc := boundedCalls()[0] // GetRun, the object bound
	for _, tc := range []struct {
		size int64
		ok   bool
	}{{bc.limit - 1, true}, {bc.limit, true}, {bc.limit + 1, false}, {2 * bc.limit, false}} {
		rt := &oneBody{contentLength: -1, body: func() *paddedBody {
			return &paddedBody{prefix: bc.prefix, suffix: bc.suffix, size: tc.size}
		}}
		err := bc.call(context.Background(), boundedClient(t, rt))
		if tc.ok {
			if err != nil {
				t.Errorf("%d bytes: %v", tc.size, err)
			}
			continue
		}
		checkTooLarge(t, strconv.FormatInt(tc.size, 10)+" bytes", err, bc.limit)
		if read := rt.lastRead(); read > bc.limit+1+maxDrain {
			t.Errorf("%d bytes: read %d, want at most the bound, one byte and the drain", tc.size, read)
		}
	}
}

// decodeBody itself, with a small bound, on both of its paths (JSON into a
// value, raw bytes) and both ways of learning the size.
func TestDecodeBodyBounds(t *testing.T) {
	t.Parallel()
	const limit = 100
	for _, raw := range []bool{false, true} {
		for _, size := range []int64{limit - 1, limit, limit + 1, limit + 50} {
			for _, announce := range []bool{false, true} {
				body := &paddedBody{prefix: `{"run_id":"`, suffix: `"}`, size: size}
				resp := &http.Response{StatusCode: 200, Body: body, ContentLength: -1}
				if announce {
					resp.ContentLength = size
				}
				var st callState
				var out any = new(struct {
					RunID string `json:"run_id"`
				})
				if raw {
					out = new([]byte)
				}
				err := st.decodeBody(resp, out, limit)
				name := "raw " + strconv.FormatBool(raw) + ", size " + strconv.FormatInt(size, 10) + ", Content-Length " + strconv.FormatBool(announce)
				switch {
				case size <= limit && err != nil:
					t.Errorf("%s: %v", name, err)
				case size > limit && (err == nil || err.Error() != "response body exceeds 100 bytes"):
					t.Errorf("%s: error = %v, want the bound's", name, err)
				case size > limit && announce && body.read() != 0:
					t.Errorf("%s: read %d bytes before refusing an announced size", name, body.read())
				case size > limit && body.read() > limit+1:
					t.Errorf("%s: read %d bytes, want at most %d", name, body.read(), limit+1)
				}
				if b, ok := out.(*[]byte); ok && size <= limit && int64(len(*b)) != size {
					t.Errorf("%s: raw body of %d bytes, want %d", name, len(*b), size)
				}
			}
		}
	}
	// A zero bound means the object bound; nil out reads nothing.
	var st callState
	big := &paddedBody{prefix: `{"run_id":"`, suffix: `"}`, size: limitObject + 1}
	if err := st.decodeBody(&http.Response{Body: big, ContentLength: -1}, new(map[string]any), 0); err == nil ||
		!strings.Contains(err.Error(), strconv.Itoa(limitObject)) {
		t.Errorf("bound 0: error = %v, want the object bound's", err)
	}
	small := &paddedBody{prefix: `{}`, size: 2}
	if err := st.decodeBody(&http.Response{Body: small, ContentLength: 2}, nil, 10); err != nil || small.read() != 0 {
		t.Errorf("nil out: error %v, %d bytes read; want neither", err, small.read())
	}
	// What an earlier attempt decoded is cleared first.
	prev := &struct {
		A, B string
	}{"old", "old"}
	if err := st.decodeBody(&http.Response{Body: &paddedBody{prefix: `{"A":"new"}`, size: 11}, ContentLength: -1}, prev, 10); err == nil {
		t.Errorf("11 bytes over a bound of 10 decoded")
	}
	if err := st.decodeBody(&http.Response{Body: &paddedBody{prefix: `{"A":"new"}`, size: 11}, ContentLength: -1}, prev, 100); err != nil || prev.A != "new" || prev.B != "" {
		t.Errorf("decode into a used value = %+v, %v; want B cleared", prev, err)
	}
}

// After a decoded value, what is left of the body is read up to maxDrain so
// the connection can be reused, and no further.
func TestBodyDrainedAfterDecode(t *testing.T) {
	t.Parallel()
	const river, run = "63b724fc690def001131d242", "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	value := `{"run_id":"` + run + `","status":"running"}`
	for _, trailing := range []int64{0, 4 << 10, maxDrain - 1024, 10 * maxDrain} {
		size := int64(len(value)) + trailing
		// The filler after the value is 'a': not JSON, so past the decoder's
		// buffer only the drain reads it.
		rt := &oneBody{contentLength: -1, body: func() *paddedBody { return &paddedBody{prefix: value, size: size} }}
		r, _, err := boundedClient(t, rt).Rivers.GetRun(context.Background(), river, run)
		if err != nil || r.Status != StatusRunning {
			t.Fatalf("trailing %d: GetRun = %+v, %v", trailing, r, err)
		}
		got := rt.lastRead()
		switch {
		case trailing < maxDrain && got != size:
			t.Errorf("trailing %d bytes: read %d of %d bytes, want all (so the connection is reused)", trailing, got, size)
		case trailing >= maxDrain && (got < maxDrain || got > int64(len(value))+maxDrain+4096):
			t.Errorf("trailing %d bytes: read %d bytes, want the value and a drain of %d", trailing, got, maxDrain)
		}
	}
}

// An error body is kept up to 64 KiB, whatever its size, and cut there.
func TestErrorBodyCapped(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{maxErrorBody - 1, maxErrorBody, maxErrorBody + 1, 20 * maxErrorBody} {
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			b := &paddedBody{prefix: `{"detail":"`, size: size}
			return &http.Response{StatusCode: 500, Header: http.Header{}, Body: b, ContentLength: -1, Request: req}, nil
		})
		_, _, err := boundedClient(t, rt).Rivers.GetRun(context.Background(), "r1", "u1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("size %d: error = %v, want an *APIError", size, err)
		}
		if want := min(size, maxErrorBody); int64(len(apiErr.Body)) != want {
			t.Errorf("size %d: APIError.Body is %d bytes, want %d", size, len(apiErr.Body), want)
		}
		if len(apiErr.Error()) > 1024 {
			t.Errorf("size %d: error text is %d bytes, want the message clipped", size, len(apiErr.Error()))
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
