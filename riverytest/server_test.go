package riverytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const riverID = "63b724fc690def001131d242"

func newServer(t *testing.T, opts ...riverytest.Option) *riverytest.Server {
	t.Helper()
	s := riverytest.NewServer(append([]riverytest.Option{riverytest.WithRiver(riverytest.River{ID: riverID, Name: "demo"})}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// raw sends a GET without the SDK and returns status and body.
func raw(t *testing.T, s *riverytest.Server, token, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+path, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func envPath(s *riverytest.Server) string {
	return "/v1/accounts/" + s.AccountID + "/environments/" + s.EnvironmentID
}

func TestRunLifecycleIsDeterministic(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d243", Outcome: "failed", Message: "boom", Polls: 3}))
	c := s.ClientV1()
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, "63b724fc690def001131d243")
	if err != nil || run.Status != rivery.StatusPending {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	want := []rivery.RunStatus{rivery.StatusPending, rivery.StatusRunning, rivery.StatusRunning, rivery.StatusFailed, rivery.StatusFailed}
	for i, w := range want {
		got, _, err := c.Rivers.GetRun(ctx, "63b724fc690def001131d243", run.ID)
		if err != nil || got.Status != w {
			t.Fatalf("poll %d = %+v, %v; want %s", i+1, got, err, w)
		}
		if w == rivery.StatusFailed && (got.Message != "boom" || got.EndedAt.IsZero()) {
			t.Errorf("failed run = %+v", got)
		}
	}
}

func TestConsoleStatusLetters(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client()
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.RawStatus != "W" {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	var raws []string
	for range 3 {
		got, _, err := c.Rivers.GetRun(context.Background(), riverID, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, got.RawStatus)
	}
	if strings.Join(raws, "") != "WRD" {
		t.Errorf("console statuses = %v, want W R D", raws)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, tt := range []struct{ token, path, want string }{
		{"", "/api/me", `{"message":`},
		{"nope", "/api/me", `{"message":`},
		{"", envPath(s) + "/rivers", `{"detail":`},
	} {
		code, body := raw(t, s, tt.token, tt.path)
		if code != http.StatusUnauthorized || !strings.HasPrefix(body, tt.want) {
			t.Errorf("GET %s with token %q = %d %s", tt.path, tt.token, code, body)
		}
	}
	code, body := raw(t, s, s.AdminToken(), "/api/me")
	if code != 200 || !strings.Contains(body, s.AccountID) {
		t.Errorf("/api/me = %d %s", code, body)
	}
}

func TestScopesAndAdmin(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	reader := s.AddToken(riverytest.Token{Name: "reader", Scopes: []rivery.Scope{rivery.ScopeRiverList}})
	runner := s.AddToken(riverytest.Token{Name: "runner", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
	ctx := context.Background()

	if _, _, err := s.ClientFor(reader.Value).Rivers.Run(ctx, riverID); !errors.Is(err, rivery.ErrForbidden) {
		t.Errorf("reader Run error = %v, want ErrForbidden", err)
	}
	if _, _, err := s.ClientFor(runner.Value).Tokens.List(ctx, nil); !errors.Is(err, rivery.ErrForbidden) {
		t.Errorf("non-admin Tokens.List error = %v, want ErrForbidden", err)
	}
	if _, err := s.ClientFor(runner.Value).Rivers.RunAndWait(ctx, riverID, &rivery.WaitOptions{MinInterval: time.Millisecond}); err != nil {
		t.Errorf("runner RunAndWait: %v", err)
	}
	if s.RunsStarted(riverID) != 1 {
		t.Errorf("runs started = %d, want 1", s.RunsStarted(riverID))
	}
}

func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.ClientV1()
	ctx := context.Background()
	tok, resp, err := c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "ci", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
	if err != nil || resp.StatusCode != 201 || tok.Value == "" {
		t.Fatalf("Create = %v, %v", tok, err)
	}
	got, _, err := c.Tokens.Get(ctx, tok.ID)
	if err != nil || got.Value != "" || got.Name != "ci" {
		t.Fatalf("Get = %v, %v; the value must not be shown again", got, err)
	}
	if _, _, err := s.ClientFor(tok.Value).Rivers.Run(ctx, riverID); err != nil {
		t.Fatalf("new token cannot run: %v", err)
	}
	if _, err := c.Tokens.Delete(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ClientFor(tok.Value).Rivers.Run(ctx, riverID); !errors.Is(err, rivery.ErrUnauthorized) {
		t.Fatalf("deleted token: error = %v, want ErrUnauthorized", err)
	}
	if _, _, err := c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "x", Scopes: []rivery.Scope{"river:fly"}}); !errors.Is(err, rivery.ErrValidation) {
		t.Errorf("unknown scope: error = %v, want ErrValidation", err)
	}
}

func TestFaultStatusThenRecovery(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRun, 2, riverytest.Fault{Status: 429, RetryAfter: "0"})
	run, _, err := s.ClientV1().Rivers.Run(context.Background(), riverID)
	if err != nil || run == nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(s.RequestsTo(riverytest.RouteRun)); n != 3 {
		t.Errorf("trigger requests = %d, want 3", n)
	}
	if s.RunsStarted(riverID) != 1 {
		t.Errorf("runs started = %d, want 1", s.RunsStarted(riverID))
	}
}

func TestFaultCloseConnectionAfterApplying(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRun, 1, riverytest.Fault{CloseConnection: true, Apply: true})
	_, _, err := s.Client().Rivers.Run(context.Background(), riverID)
	var reqErr *rivery.RequestError
	if !errors.As(err, &reqErr) || !reqErr.MaybeApplied {
		t.Fatalf("error = %v, want a *RequestError with MaybeApplied", err)
	}
	if s.RunsStarted(riverID) != 1 || len(s.RequestsTo(riverytest.RouteRun)) != 1 {
		t.Errorf("runs started %d, trigger requests %d; want 1 and 1", s.RunsStarted(riverID), len(s.RequestsTo(riverytest.RouteRun)))
	}
}

func TestFaultDelayHonoursClientCancel(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	code := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/api/rivers", http.NoBody)
		req.Header.Set("Authorization", "Bearer "+s.AdminToken())
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		code <- err
	}()
	if err := <-code; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v", err)
	}
}

func TestRequestsRecordedWithoutSecrets(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if _, _, err := s.Client().Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %+v", reqs)
	}
	r := reqs[0]
	if r.Route != riverytest.RouteRun || r.Method != http.MethodPost || r.Path != "/api/run" ||
		string(r.Body) != `{"river_id":"`+riverID+`"}` || r.TokenID == "" || r.Header.Get("Authorization") != "[redacted]" {
		t.Errorf("request = %+v", r)
	}
}

func TestPaginationAndValidation(t *testing.T) {
	t.Parallel()
	var opts []riverytest.Option
	for range 5 {
		opts = append(opts, riverytest.WithRiver(riverytest.River{}))
	}
	s := newServer(t, opts...)
	code, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers?items_per_page=4")
	var env struct {
		Items    []json.RawMessage `json:"items"`
		Total    int               `json:"total_items"`
		NextPage *string           `json:"next_page"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if len(env.Items) != 4 || env.Total != 6 || env.NextPage == nil || !strings.HasPrefix(*env.NextPage, s.URL+envPath(s)+"/rivers?") {
		t.Errorf("envelope = %s", body)
	}
	code, body = raw(t, s, s.AdminToken(), strings.TrimPrefix(*env.NextPage, s.URL))
	if code != 200 || !strings.Contains(body, `"next_page":null`) || !strings.Contains(body, `"current_page_size":2`) {
		t.Errorf("page 2 = %d %s", code, body)
	}
	code, body = raw(t, s, s.AdminToken(), envPath(s)+"/rivers?items_per_page=501")
	if code != 422 || !strings.Contains(body, "items_per_page") {
		t.Errorf("bad page size = %d %s", code, body)
	}
	code, body = raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/runs")
	if code != 422 || !strings.Contains(body, "start_time") || !strings.Contains(body, "end_time") {
		t.Errorf("runs without times = %d %s", code, body)
	}
}

func TestLogsAreCSV(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	run, _, err := s.ClientV1().Rivers.Run(context.Background(), riverID)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // pending, then running: past the line that needs quoting
		if _, _, err := s.ClientV1().Rivers.GetRun(context.Background(), riverID, run.ID); err != nil {
			t.Fatal(err)
		}
	}
	code, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/runs/"+run.ID+"/logs")
	if code != 200 || !strings.HasPrefix(body, "timestamp,level,msg\n") || !strings.Contains(body, "\"Extracted 1000 rows from fake-source,\nschema \"\"public\"\"\"") {
		t.Errorf("logs = %d %q", code, body)
	}
}

func TestConcurrentTriggers(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.Client()
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := s.RunsStarted(riverID); n != 32 {
		t.Errorf("runs started = %d, want 32", n)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	t.Parallel()
	s := riverytest.NewServer()
	s.Close()
	s.Close()
}

func TestFaultTruncateAndRedirect(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRun, 1, riverytest.Fault{Truncate: true})
	_, _, err := s.Client().Rivers.Run(context.Background(), riverID)
	var reqErr *rivery.RequestError
	if !errors.As(err, &reqErr) || !reqErr.MaybeApplied || s.RunsStarted(riverID) != 1 {
		t.Fatalf("truncated: error %v, runs %d", err, s.RunsStarted(riverID))
	}
	s.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: http.StatusFound, Header: http.Header{"Location": {"/api/run"}}})
	_, _, err = s.Client().Rivers.Run(context.Background(), riverID)
	var apiErr *rivery.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound || len(s.RequestsTo(riverytest.RouteRun)) != 2 {
		t.Fatalf("redirect: error %v, %d trigger requests", err, len(s.RequestsTo(riverytest.RouteRun)))
	}
}
