package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// Values shared by the tests. testToken is distinctive so leak checks can
// search for any piece of it.
const (
	testToken   = "XYZtok-9f8e7d6c5b4a3210-secret"
	accountID   = "5f1a2b3c4d5e6f7081920a1b"
	envID       = "6a7b8c9d0e1f2a3b4c5d6e7f"
	riverID     = "63b724fc690def001131d242"
	runID       = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	consoleBase = "https://console.rivery.io"
	v1Env       = "https://api.rivery.io/v1/accounts/" + accountID + "/environments/" + envID
	v1Account   = "https://api.rivery.io/v1/accounts/" + accountID
)

// setup returns a client whose requests go to a fresh httpmock transport,
// with millisecond retry waits. A request no responder expects fails the
// test.
func setup(t *testing.T, opts ...rivery.Option) (*rivery.Client, *httpmock.MockTransport) {
	t.Helper()
	return setupToken(t, testToken, opts...)
}

// setupToken is setup with another token ("" with WithTokenSource).
func setupToken(t *testing.T, token string, opts ...rivery.Option) (*rivery.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request: %s %s", req.Method, req.URL)
		return httpmock.NewStringResponse(http.StatusTeapot, "no responder"), nil
	})
	base := []rivery.Option{
		rivery.WithHTTPClient(&http.Client{Transport: mock}),
		rivery.WithRetry(3, time.Millisecond, 5*time.Millisecond),
	}
	c, err := rivery.NewClient(token, append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, mock
}

// v1 makes a client use the v1 API.
func v1() []rivery.Option {
	return []rivery.Option{rivery.WithAccountID(accountID), rivery.WithEnvironmentID(envID)}
}

// setEnv sets environment variables (for an example, which has no t.Setenv)
// and returns what puts them back.
func setEnv(vars map[string]string) (restore func()) {
	var undo []func()
	for k, v := range vars {
		old, had := os.LookupEnv(k)
		_ = os.Setenv(k, v)
		undo = append(undo, func() {
			if had {
				_ = os.Setenv(k, old)
			} else {
				_ = os.Unsetenv(k)
			}
		})
	}
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// fixture reads a file from testdata.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sentRequest is what a responder saw.
type sentRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// recorder keeps every request its responders see.
type recorder struct {
	mu   sync.Mutex
	reqs []sentRequest
}

func (r *recorder) record(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, sentRequest{req.Method, req.URL.String(), req.Header.Clone(), body})
}

// reply records the request and answers status with body.
func (r *recorder) reply(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.record(req)
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// fail records the request and fails it with err.
func (r *recorder) fail(err error) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.record(req)
		return nil, err
	}
}

func (r *recorder) all() []sentRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentRequest(nil), r.reqs...)
}

// only returns the single request recorded, failing the test otherwise.
func (r *recorder) only(t *testing.T) sentRequest {
	t.Helper()
	reqs := r.all()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// sequence answers with each responder in turn, then repeats the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	i := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		r := rs[min(i, len(rs)-1)]
		i++
		mu.Unlock()
		return r(req)
	}
}

// checkHeaders asserts the headers every request carries.
func checkHeaders(t *testing.T, req sentRequest, withBody bool) {
	t.Helper()
	want := map[string]string{
		"Authorization": "Bearer " + testToken,
		"Accept":        "application/json",
		"User-Agent":    "rivery-go/" + rivery.Version,
	}
	if withBody {
		want["Content-Type"] = "application/json"
	}
	for k, v := range want {
		if got := req.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, redact(got), redact(v))
		}
	}
	if !withBody && req.Header.Get("Content-Type") != "" {
		t.Errorf("Content-Type %q sent without a body", req.Header.Get("Content-Type"))
	}
	if len(req.Header.Values("Authorization")) != 1 {
		t.Errorf("Authorization sent %d times", len(req.Header.Values("Authorization")))
	}
}

// redact hides the test token in failure messages.
func redact(s string) string { return strings.ReplaceAll(s, testToken, "[token]") }

// checkJSON asserts that body decodes to the same value as want.
func checkJSON(t *testing.T, body []byte, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	e, _ := json.Marshal(exp)
	if !bytes.Equal(g, e) {
		t.Errorf("body = %s, want %s", body, want)
	}
}

// asAPIError fails the test unless err is an *APIError.
func asAPIError(t *testing.T, err error) *rivery.APIError {
	t.Helper()
	var apiErr *rivery.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return apiErr
}

// asRequestError fails the test unless err is a *RequestError.
func asRequestError(t *testing.T, err error) *rivery.RequestError {
	t.Helper()
	var reqErr *rivery.RequestError
	if !errors.As(err, &reqErr) {
		t.Fatalf("error %v (%T) is not a *RequestError", err, err)
	}
	return reqErr
}

// expiringContext returns a context whose deadline passes when expire is
// called rather than at a time: a test ends a call at the point it chooses
// (say, once a status has been seen), however slow the machine. Once
// expired, Err is context.DeadlineExceeded, as a real deadline's is; it
// reports no deadline time, having none.
func expiringContext(t *testing.T) (ctx context.Context, expire func()) {
	t.Helper()
	e := &expiring{Context: context.Background(), done: make(chan struct{})}
	var once sync.Once
	expire = func() { once.Do(func() { close(e.done) }) }
	t.Cleanup(expire)
	return e, expire
}

// expiring is expiringContext's context.
type expiring struct {
	context.Context // Background: values and no deadline
	done            chan struct{}
}

func (e *expiring) Done() <-chan struct{} { return e.done }

func (e *expiring) Err() error {
	select {
	case <-e.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
