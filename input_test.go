package rivery_test

// Input the SDK refuses or survives (issue 11).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
)

// jsonServer answers every request with body, over real HTTP.
func jsonServer(t *testing.T, body func(r *http.Request) string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body(r)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newTestClient(t *testing.T, base string, opts ...rivery.Option) *rivery.Client {
	t.Helper()
	c, err := rivery.NewClient(testToken, append([]rivery.Option{rivery.WithBaseURL(base), rivery.WithRetry(1, 0, 0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Times outside the years 0 to 9999 once in UTC are unreadable: the run
// comes back with zero times, and can be written as JSON.
func TestRunTimesOutsideWritableYears(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body string
		opts []rivery.Option
	}{
		"v1 offset past 9999":      {`{"run_id":"` + runID + `","status":"succeeded","start_date_utc":"9999-12-31T23:00:00-05:00","end_date_utc":"9999-12-31T23:30:00-01:00"}`, v1()},
		"console millis near 1e15": {`{"run_id":"` + runID + `","river_run_status":"D","run_insert_date":999999999999999,"run_end_date":"253402300800000"}`, nil},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := jsonServer(t, func(*http.Request) string { return tc.body })
			run, _, err := newTestClient(t, srv.URL, tc.opts...).Rivers.GetRun(context.Background(), riverID, runID)
			if err != nil {
				t.Fatal(err)
			}
			if !run.StartedAt.IsZero() || !run.EndedAt.IsZero() {
				t.Errorf("times %v, %v; want zero", run.StartedAt, run.EndedAt)
			}
			if _, err := json.Marshal(run); err != nil {
				t.Errorf("the run cannot be written as JSON: %v", err)
			}
		})
	}
}

// A token of only whitespace is refused like an empty one.
func TestWhitespaceTokenRefused(t *testing.T) {
	for _, tok := range []string{" ", "\t \t", "\u00a0\u2003"} {
		if _, err := rivery.NewClient(tok); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("NewClient(%q) error = %v, want ErrInvalidArgument", tok, err)
		}
	}
	t.Setenv(rivery.EnvAPIToken, "   ")
	if _, err := rivery.NewClientFromEnv(); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("NewClientFromEnv with a blank token: %v, want ErrInvalidArgument", err)
	}
}

// null items in a list are dropped, never returned as nil pointers: tokens,
// rivers and runs, one page and all pages.
func TestNullListItemsDropped(t *testing.T) {
	t.Parallel()
	srv := jsonServer(t, func(r *http.Request) string {
		item := `{"token_id":"t1","name":"ci","scopes":[null,"river:list",null]}`
		if strings.Contains(r.URL.Path, "/rivers") {
			item = `{"river_cross_id":"` + riverID + `","name":"r"}`
		}
		if strings.HasSuffix(r.URL.Path, "/scopes") {
			return `[null, {"name": "river:list", "description": "d"}, null]`
		}
		return `{"items":[null,` + item + `,null],"page":1,"total_items":3,"next_page":null}`
	})
	c := newTestClient(t, srv.URL, v1()...)
	ctx := context.Background()
	tokens, _, err := c.Tokens.List(ctx, nil)
	if err != nil || len(tokens) != 1 || tokens[0] == nil {
		t.Fatalf("Tokens.List = %v, %v; want one token", tokens, err)
	}
	if scopes := tokens[0].Scopes; len(scopes) != 1 || scopes[0] != rivery.ScopeRiverList {
		t.Errorf("scopes = %q, want [river:list]", scopes)
	}
	for tok, err := range c.Tokens.All(ctx, nil) {
		if err != nil || tok == nil {
			t.Errorf("Tokens.All yielded %v, %v", tok, err)
		}
	}
	scopes, _, err := c.Tokens.Scopes(ctx)
	if err != nil || len(scopes) != 1 || scopes[0].Name != rivery.ScopeRiverList {
		t.Errorf("Tokens.Scopes = %+v, %v; want one scope", scopes, err)
	}
	rivers, _, err := c.Rivers.List(ctx, nil)
	if err != nil || len(rivers) != 1 || rivers[0] == nil {
		t.Errorf("Rivers.List = %v, %v; want one river", rivers, err)
	}
}

// A token's times outside the years 0 to 9999 in UTC read as unknown.
func TestTokenTimesOutsideWritableYears(t *testing.T) {
	t.Parallel()
	srv := jsonServer(t, func(*http.Request) string {
		return `{"token_id":"t1","name":"ci","created_at":"9999-12-31T23:00:00-05:00","last_used_at":"9999-12-31T22:00:00-03:00"}`
	})
	tok, _, err := newTestClient(t, srv.URL, v1()...).Tokens.Get(context.Background(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	if !tok.CreatedAt.IsZero() || tok.LastUsedAt != nil {
		t.Errorf("CreatedAt %v, LastUsedAt %v; want unknown", tok.CreatedAt, tok.LastUsedAt)
	}
}
