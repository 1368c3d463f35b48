package rivery_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestNewClientRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string
		opts  []rivery.Option
		want  string // a piece of the error text
	}{
		{"empty token", "", nil, "empty API token"},
		{"token with newline", "abc\ndef", nil, "control characters"},
		{"unknown region", "t", []rivery.Option{rivery.WithRegion("mars")}, `unknown region "mars"`},
		{"empty URL", "t", []rivery.Option{rivery.WithBaseURL("")}, "WithBaseURL: empty URL"},
		{"malformed URL", "t", []rivery.Option{rivery.WithBaseURL("https://[::1")}, "malformed URL"},
		{"relative URL", "t", []rivery.Option{rivery.WithBaseURL("/api")}, "scheme"},
		{"ftp URL", "t", []rivery.Option{rivery.WithBaseURL("ftp://example.com")}, `scheme "ftp" not supported`},
		{"no host", "t", []rivery.Option{rivery.WithBaseURL("https://")}, "no host"},
		{"plain http remote", "t", []rivery.Option{rivery.WithBaseURL("http://example.com")}, `plain http is only allowed to loopback hosts, not "example.com"`},
		{"plain http private", "t", []rivery.Option{rivery.WithBaseURL("http://10.0.0.1:8080")}, "plain http"},
		{"user info", "t", []rivery.Option{rivery.WithBaseURL("https://bob:hunter2@example.com")}, "user information"},
		{"query", "t", []rivery.Option{rivery.WithBaseURL("https://example.com/?a=b")}, "query or fragment"},
		{"region and base URL", "t", []rivery.Option{rivery.WithRegion(rivery.RegionEU), rivery.WithBaseURL("https://proxy.example.com")}, "WithRegion and WithBaseURL conflict"},
		{"account without environment", "t", []rivery.Option{rivery.WithAccountID(accountID)}, "must be given together"},
		{"environment without account", "t", []rivery.Option{rivery.WithEnvironmentID(envID)}, "must be given together"},
		{"bad account ID", "t", []rivery.Option{rivery.WithAccountID("a/b")}, `WithAccountID: rivery: invalid argument: account ID "a/b" contains '/'`},
		{"bad environment ID", "t", []rivery.Option{rivery.WithEnvironmentID("x\r\ny")}, "environment ID"},
		{"nil HTTP client", "t", []rivery.Option{rivery.WithHTTPClient(nil)}, "nil *http.Client"},
		{"empty user agent", "t", []rivery.Option{rivery.WithUserAgent(" ")}, "empty user agent"},
		{"user agent CRLF", "t", []rivery.Option{rivery.WithUserAgent("app\r\nX-Evil: 1")}, "control characters"},
		{"negative timeout", "t", []rivery.Option{rivery.WithTimeout(-time.Second)}, "negative timeout -1s"},
		{"negative retries", "t", []rivery.Option{rivery.WithRetry(-1, 0, time.Second)}, "negative retry count -1"},
		{"negative min wait", "t", []rivery.Option{rivery.WithRetry(1, -time.Second, time.Second)}, "negative min wait"},
		{"negative max wait", "t", []rivery.Option{rivery.WithRetry(1, 0, -time.Second)}, "negative max wait"},
		{"min above max", "t", []rivery.Option{rivery.WithRetry(1, time.Minute, time.Second)}, "min wait 1m0s is above max wait 1s"},
		{"nil logger", "t", []rivery.Option{rivery.WithLogger(nil)}, "nil *slog.Logger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := rivery.NewClient(tt.token, tt.opts...)
			if err == nil || c != nil {
				t.Fatalf("NewClient = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error repeats a password: %q", err)
			}
		})
	}
}

func TestNilOptionSkipped(t *testing.T) {
	t.Parallel()
	if _, err := rivery.NewClient("t", nil, rivery.WithoutRetries(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestLoopbackBaseURLsAccepted(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:9", "http://127.9.9.9", "https://proxy.example.com/rivery/"} {
		if _, err := rivery.NewClient("t", rivery.WithBaseURL(u)); err != nil {
			t.Errorf("WithBaseURL(%q): %v", u, err)
		}
	}
}

// Each region sends both families to its own hosts.
func TestRegionHosts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		region          rivery.Region
		console, v1Host string
	}{
		{rivery.RegionUS, "https://console.rivery.io", "https://api.rivery.io"},
		{rivery.RegionEU, "https://eu-west-1.console.rivery.io", "https://api.eu-west-1.rivery.io"},
		{rivery.RegionIL, "https://il-central-1.console.rivery.io", "https://api.il-central-1.rivery.io"},
		{rivery.RegionAU, "https://ap-southeast-2.console.rivery.io", "https://api.ap-southeast-2.rivery.io"},
	} {
		t.Run(string(tt.region), func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, rivery.WithRegion(tt.region))
			mock.RegisterResponder(http.MethodPost, tt.console+"/api/run", httpmock.NewStringResponder(200, fixture(t, "console_run.json")))
			mock.RegisterResponder(http.MethodGet, tt.console+"/api/me", httpmock.NewStringResponder(200, fixture(t, "me.json")))
			mock.RegisterResponder(http.MethodDelete, tt.v1Host+"/v1/accounts/"+accountID+"/tokens/t1", httpmock.NewStringResponder(204, ""))
			if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
				t.Error(err)
			}
			if _, err := c.Tokens.Delete(context.Background(), "t1"); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestBaseURLCarriesBothFamilies(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithBaseURL("https://proxy.example.com/rivery/"))
	mock.RegisterResponder(http.MethodPost, "https://proxy.example.com/rivery/api/run", httpmock.NewStringResponder(200, fixture(t, "console_run.json")))
	mock.RegisterResponder(http.MethodGet, "https://proxy.example.com/rivery/api/me", httpmock.NewStringResponder(200, fixture(t, "me.json")))
	mock.RegisterResponder(http.MethodDelete, "https://proxy.example.com/rivery/v1/accounts/"+accountID+"/tokens/t1", httpmock.NewStringResponder(204, ""))
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Error(err)
	}
	if _, err := c.Tokens.Delete(context.Background(), "t1"); err != nil {
		t.Error(err)
	}
}

func TestUserAgentOption(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithUserAgent("nightly-loader/2.1"))
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", rec.reply(200, fixture(t, "console_run.json")))
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.only(t).Header.Get("User-Agent"), "nightly-loader/2.1 rivery-go/"+rivery.Version; got != want {
		t.Errorf("User-Agent = %q, want %q", got, want)
	}
}

// WithHTTPClient copies the client: the caller's stays as it was.
func TestWithHTTPClientNotMutated(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", httpmock.NewStringResponder(200, fixture(t, "console_run.json")))
	hc := &http.Client{Transport: mock, Timeout: 7 * time.Second}
	c, err := rivery.NewClient("t", rivery.WithHTTPClient(hc), rivery.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if hc.Timeout != 7*time.Second || hc.CheckRedirect != nil || hc.Transport != mock || hc.Jar != nil {
		t.Errorf("caller's client changed: %+v", hc)
	}
}

func TestNewClientFromEnv(t *testing.T) {
	// t.Setenv forbids t.Parallel.
	t.Setenv(rivery.EnvAPIToken, "")
	if _, err := rivery.NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), "RIVERY_API_TOKEN is not set") {
		t.Errorf("no token: error = %v", err)
	}

	t.Setenv(rivery.EnvAPIToken, testToken)
	t.Setenv(rivery.EnvRegion, "EU")
	t.Setenv(rivery.EnvAccountID, accountID)
	t.Setenv(rivery.EnvEnvironmentID, envID)
	t.Setenv(rivery.EnvBaseURL, "")
	mock := httpmock.NewMockTransport()
	var rec recorder
	mock.RegisterResponder(http.MethodPost, "https://api.eu-west-1.rivery.io/v1/accounts/"+accountID+"/environments/"+envID+"/rivers/"+riverID+"/run",
		rec.reply(202, fixture(t, "v1_run_group.json")))
	c, err := rivery.NewClientFromEnv(rivery.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), true)

	t.Setenv(rivery.EnvRegion, "")
	t.Setenv(rivery.EnvBaseURL, "http://example.com")
	if _, err := rivery.NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Errorf("bad RIVERY_BASE_URL: error = %v", err)
	}
	t.Setenv(rivery.EnvBaseURL, "")
	t.Setenv(rivery.EnvRegion, "moon")
	if _, err := rivery.NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), "moon") {
		t.Errorf("bad RIVERY_REGION: error = %v", err)
	}
}

func TestWithPollInterval(t *testing.T) {
	t.Parallel()
	for _, bad := range [][2]time.Duration{{0, time.Second}, {time.Second, 0}, {-1, time.Second}, {time.Minute, time.Second}} {
		if _, err := rivery.NewClient("t", rivery.WithPollInterval(bad[0], bad[1])); err == nil || !strings.Contains(err.Error(), "WithPollInterval") {
			t.Errorf("WithPollInterval(%v, %v): error = %v", bad[0], bad[1], err)
		}
	}
	// With millisecond defaults, a nil *WaitOptions polls fast.
	c, mock := setup(t, rivery.WithPollInterval(time.Millisecond, time.Millisecond))
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"R"}`),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"R"}`),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"D"}`),
	))
	done := make(chan error, 1)
	go func() {
		_, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second): // the 1 s default would take 3 s; this only guards a hang
		t.Fatal("WaitForRun did not finish")
	}
	if n := mock.GetTotalCallCount(); n != 3 {
		t.Errorf("polls = %d, want 3", n)
	}
}
