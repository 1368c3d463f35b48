package rivery_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// The client prints no piece of its token, by any verb.
func TestClientDoesNotPrintToken(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, c), fmt.Sprintf(verb, *c), fmt.Sprintf(verb, *c.Rivers), fmt.Sprintf(verb, c.Tokens), fmt.Sprintf(verb, []any{c, *c.Tokens}))
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "c", c, "rivers", c.Rivers)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "c", c)
	outs = append(outs, logs.String())
	for _, out := range outs {
		if leaks(out, testToken) {
			t.Errorf("token printed: %q", out)
		}
	}
}

// capture is a slog handler that keeps every record's text.
type capture struct {
	mu      sync.Mutex
	records []string
}

func (h *capture) Enabled(context.Context, slog.Level) bool { return true }
func (h *capture) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, b.String())
	return nil
}
func (h *capture) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *capture) WithGroup(string) slog.Handler      { return h }

func (h *capture) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.records...)
}

// Logs record method, host, path, status and attempt; never the token, a
// header or a query string. Errors never carry the token either.
func TestLoggingAndErrorsKeepSecrets(t *testing.T) {
	t.Parallel()
	h := &capture{}
	c, mock := setup(t, rivery.WithLogger(slog.New(h)))
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(503, "busy"),
		httpmock.NewErrorResponder(errAfterSend()),
		httpmock.NewStringResponder(404, `{"message":"no run"}`),
	))
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", httpmock.NewErrorResponder(errAfterSend()))
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", httpmock.NewStringResponder(401, `{"message":"bad token `+testToken[:4]+`"}`))

	var errs []error
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	errs = append(errs, err)
	_, _, err = c.Rivers.Run(context.Background(), riverID)
	errs = append(errs, err)
	_, _, err = c.Tokens.List(context.Background(), nil)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if leaks(s, testToken) {
				t.Errorf("error prints the token: %s", s)
			}
		}
	}

	records := h.all()
	if len(records) != 5 { // 3 GetRun attempts, 1 Run, 1 /api/me
		t.Fatalf("got %d log records, want 5: %q", len(records), records)
	}
	first := records[0]
	for _, want := range []string{"method=GET", "host=console.rivery.io", "path=/api/check_run", "status=503", "attempt=1", "retry=true", "duration="} {
		if !strings.Contains(first, want) {
			t.Errorf("record %q lacks %q", first, want)
		}
	}
	if !strings.Contains(records[1], "attempt=2") || !strings.Contains(records[1], "error=") {
		t.Errorf("record %q lacks the attempt or the error", records[1])
	}
	for _, r := range records {
		if leaks(r, testToken) || strings.Contains(r, "run_id") || strings.Contains(r, "Bearer") {
			t.Errorf("log record leaks: %q", r)
		}
	}
}

// Redirects: never to another host, never for a POST; same-host GETs follow
// with the token.
func TestRedirects(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	}))
	defer other.Close()

	var runs, checks atomic.Int32
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/run":
			runs.Add(1)
			http.Redirect(w, r, "/api/run2", http.StatusTemporaryRedirect)
		case "/api/run2":
			runs.Add(1)
		case "/api/check_run":
			if r.URL.Query().Get("run_id") == "away" {
				http.Redirect(w, r, other.URL+"/api/check_run", http.StatusFound)
				return
			}
			http.Redirect(w, r, "/api/check_run2", http.StatusFound)
		case "/api/check_run2":
			checks.Add(1)
			auth.Store(r.Header.Get("Authorization"))
			_, _ = w.Write([]byte(`{"run_id":"` + runID + `","river_run_status":"D"}`))
		}
	}))
	defer srv.Close()

	c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	_, _, err = c.Rivers.Run(ctx, riverID)
	if apiErr := asAPIError(t, err); apiErr.StatusCode != http.StatusTemporaryRedirect || runs.Load() != 1 {
		t.Errorf("POST redirect: error %v, %d trigger requests; want the 307 and 1", err, runs.Load())
	}
	run, _, err := c.Rivers.GetRun(ctx, riverID, runID)
	if err != nil || run.Status != rivery.StatusSucceeded || checks.Load() != 1 {
		t.Fatalf("same-host GET redirect: %+v, %v", run, err)
	}
	if auth.Load() != "Bearer "+testToken {
		t.Error("same-host redirect lost the Authorization header")
	}
	_, _, err = c.Rivers.GetRun(ctx, riverID, "away")
	if apiErr := asAPIError(t, err); apiErr.StatusCode != http.StatusFound {
		t.Errorf("cross-host redirect: error %v, want the 302", err)
	}
	if otherHits.Load() != 0 {
		t.Errorf("the other host got %d requests", otherHits.Load())
	}
}

// The default transport refuses anything below TLS 1.2.
func TestTLS12Minimum(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, _, err = c.Rivers.GetRun(context.Background(), riverID, runID)
	reqErr := asRequestError(t, err)
	if !strings.Contains(reqErr.Error(), "protocol version") || hits.Load() != 0 {
		t.Errorf("error = %v, handler hits %d; want a protocol version failure and no request", err, hits.Load())
	}
	var alert tls.AlertError
	if !errors.As(err, &alert) {
		t.Logf("TLS error is %T", errors.Unwrap(reqErr.Err))
	}
}
