package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestTokensList(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", rec.reply(200, fixture(t, "tokens_page1.json")))
	tokens, resp, err := c.Tokens.List(context.Background(), &rivery.ListOptions{Page: 1, PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	if req.URL != v1Account+"/tokens?items_per_page=2&page=1" {
		t.Errorf("URL = %s", req.URL)
	}
	checkHeaders(t, req, false)
	if len(tokens) != 2 || tokens[0].ID != "65a1b2c3d4e5f60718293a4b" || tokens[1].LastUsedAt != nil {
		t.Fatalf("tokens = %v", tokens)
	}
	first := tokens[0]
	if first.Name != "ci-pipeline" || !slices.Equal(first.Scopes, []rivery.Scope{rivery.ScopeRiverList, rivery.ScopeRiverExecute}) ||
		!first.CreatedAt.Equal(time.Date(2026, 10, 1, 8, 30, 0, 0, time.UTC)) || first.CreatedBy != "ada@example.com" ||
		first.LastUsedAt == nil || first.Value != "" {
		t.Errorf("first token = %v", first)
	}
	if resp.Page != 1 || resp.TotalItems != 3 || !strings.Contains(resp.NextPage, "page=2") || resp.PreviousPage != "" {
		t.Errorf("pagination = page %d total %d next %q prev %q", resp.Page, resp.TotalItems, resp.NextPage, resp.PreviousPage)
	}
}

func TestTokensAllFollowsNextPage(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponderWithQuery(http.MethodGet, v1Account+"/tokens", "items_per_page=2", rec.reply(200, fixture(t, "tokens_page1.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Account+"/tokens", "page=2&items_per_page=2", rec.reply(200, fixture(t, "tokens_page2.json")))
	opts := &rivery.ListOptions{PerPage: 2}
	var names []string
	for tok, err := range c.Tokens.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tok.Name)
	}
	if want := []string{"ci-pipeline", "dashboards", "backfill"}; !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if *opts != (rivery.ListOptions{PerPage: 2}) {
		t.Errorf("All changed the caller's options: %+v", *opts)
	}
}

func TestTokensAllStopsWhenAsked(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", rec.reply(200, fixture(t, "tokens_page1.json")))
	for tok, err := range c.Tokens.All(context.Background(), nil) {
		if err != nil || tok == nil {
			t.Fatal(err)
		}
		break
	}
	rec.only(t) // no second page asked for
}

func TestTokensAllRefusesForeignNextPage(t *testing.T) {
	t.Parallel()
	for name, next := range map[string]string{
		"other host":   "https://evil.example.com/v1/accounts/" + accountID + "/tokens?page=2",
		"other scheme": "http://api.rivery.io/v1/accounts/" + accountID + "/tokens?page=2",
		"user info":    "https://user:pw@api.rivery.io/v1/accounts/" + accountID + "/tokens?page=2",
		"relative":     "/v1/accounts/" + accountID + "/tokens?page=2",
		"same page":    v1Account + "/tokens",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			page := fmt.Sprintf(`{"items":[{"token_id":"t1","name":"a","scopes":[]}],"page":1,"next_page":%q}`, next)
			mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", rec.reply(200, page))
			var got []*rivery.Token
			var lastErr error
			for tok, err := range c.Tokens.All(context.Background(), nil) {
				if err != nil {
					lastErr = err
					continue
				}
				got = append(got, tok)
			}
			if len(got) != 1 || lastErr == nil {
				t.Fatalf("got %d tokens, error %v; want 1 and an error", len(got), lastErr)
			}
			rec.only(t)
		})
	}
}

func TestTokensGet(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens/65a1b2c3d4e5f60718293a4b", rec.reply(200, fixture(t, "token.json")))
	tok, _, err := c.Tokens.Get(context.Background(), "65a1b2c3d4e5f60718293a4b")
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	if tok.Name != "ci-pipeline" || len(tok.Scopes) != 2 || tok.LastUsedAt == nil ||
		!tok.LastUsedAt.Equal(time.Date(2026, 11, 26, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("token = %v", tok)
	}
}

func TestTokensCreate(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Account+"/tokens", rec.reply(201, fixture(t, "token_created.json")))
	tok, resp, err := c.Tokens.Create(context.Background(), &rivery.CreateTokenRequest{
		Name: "nightly-loader", Scopes: []rivery.Scope{rivery.ScopeRiverExecute},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	checkJSON(t, req.Body, `{"name":"nightly-loader","scopes":["river:execute"]}`)
	if resp.StatusCode != 201 || tok.ID != "65a1b2c3d4e5f60718293a4c" || tok.Value != "rvr_s3cr3t_VALUE_0123456789abcdef" {
		t.Errorf("Create = %v (value set: %v), status %d", tok, tok.Value != "", resp.StatusCode)
	}
}

// A POST that creates a token is not retried after it may have arrived: a
// retry could create a second token.
func TestTokensCreateNotRetriedOn5xx(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Account+"/tokens", rec.reply(502, "Bad Gateway"))
	_, _, err := c.Tokens.Create(context.Background(), &rivery.CreateTokenRequest{Name: "x", Scopes: []rivery.Scope{rivery.ScopeMeList}})
	if !errors.Is(err, rivery.ErrServer) {
		t.Fatalf("error = %v", err)
	}
	rec.only(t)
}

func TestTokensCreateValidates(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	for _, req := range []*rivery.CreateTokenRequest{
		nil,
		{Scopes: []rivery.Scope{rivery.ScopeMeList}},
		{Name: "  ", Scopes: []rivery.Scope{rivery.ScopeMeList}},
		{Name: "a\nb", Scopes: []rivery.Scope{rivery.ScopeMeList}},
		{Name: "no scopes"},
		{Name: "empty scope", Scopes: []rivery.Scope{""}},
		{Name: "spaced scope", Scopes: []rivery.Scope{"river: list"}},
	} {
		if _, _, err := c.Tokens.Create(context.Background(), req); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Create(%+v) error = %v, want ErrInvalidArgument", req, err)
		}
	}
	if n := mock.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestTokensDelete(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodDelete, v1Account+"/tokens/65a1b2c3d4e5f60718293a4b", rec.reply(204, ""))
	resp, err := c.Tokens.Delete(context.Background(), "65a1b2c3d4e5f60718293a4b")
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("Delete = %v, %v", resp, err)
	}
	checkHeaders(t, rec.only(t), false)
}

func TestTokensNonAdminForbidden(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", httpmock.NewStringResponder(403, `{"detail":"Only account admins can manage API tokens"}`))
	_, resp, err := c.Tokens.List(context.Background(), nil)
	if !errors.Is(err, rivery.ErrForbidden) || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("List = %v, %v; want ErrForbidden with the response", resp, err)
	}
}

// A token-only client learns its account once, however many goroutines ask.
func TestMeResolvedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var me recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", me.reply(200, fixture(t, "me.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens/65a1b2c3d4e5f60718293a4b", httpmock.NewStringResponder(200, fixture(t, "token.json")))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := c.Tokens.Get(context.Background(), "65a1b2c3d4e5f60718293a4b")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(me.all()); n != 1 {
		t.Errorf("/api/me called %d times, want 1", n)
	}
}

// A failed lookup is not cached: the next call asks again.
func TestMeFailureNotCached(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithoutRetries())
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", sequence(
		httpmock.NewStringResponder(401, `{"message":"Invalid token"}`),
		httpmock.NewStringResponder(200, fixture(t, "me.json")),
	))
	mock.RegisterResponder(http.MethodDelete, v1Account+"/tokens/t1", httpmock.NewStringResponder(204, ""))
	if _, err := c.Tokens.Delete(context.Background(), "t1"); !errors.Is(err, rivery.ErrUnauthorized) {
		t.Fatalf("first Delete error = %v, want ErrUnauthorized", err)
	}
	if _, err := c.Tokens.Delete(context.Background(), "t1"); err != nil {
		t.Fatalf("second Delete error = %v", err)
	}
}

// Token.Value is the secret: no way of printing a Token shows it.
func TestTokenValueRedacted(t *testing.T) {
	t.Parallel()
	const value = "rvr_s3cr3t_VALUE_0123456789abcdef"
	used := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tok := rivery.Token{ID: "t1", Name: "n", Scopes: []rivery.Scope{rivery.ScopeMeList}, LastUsedAt: &used, Value: value}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10.3v"} {
		outs = append(outs, fmt.Sprintf(verb, tok), fmt.Sprintf(verb, &tok), fmt.Sprintf(verb, []rivery.Token{tok}))
	}
	outs = append(outs, tok.String(), tok.GoString(), fmt.Sprint(tok, &tok), fmt.Sprintln(&tok))
	var logs strings.Builder
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("token", "tok", tok, "ptr", &tok)
	logger.Info("group", slog.Any("list", []rivery.Token{tok}))
	slog.New(slog.NewTextHandler(&logs, nil)).Info("token", "tok", tok)
	outs = append(outs, logs.String())
	for _, out := range outs {
		if leaks(out, value) {
			t.Errorf("token value printed in %q", out)
		}
	}
	if !strings.Contains(tok.String(), "[redacted]") || tok.Value != value {
		t.Errorf("String = %q; the field must keep the secret", tok.String())
	}
	if s := (rivery.Token{ID: "t2"}).String(); !strings.Contains(s, `Value:""`) {
		t.Errorf("a token without a value prints %q", s)
	}
}

// leaks reports whether any 8-byte piece of secret is in s.
func leaks(s, secret string) bool {
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return true
		}
	}
	return false
}

func TestTokenJSONRedactsValue(t *testing.T) {
	t.Parallel()
	tok := rivery.Token{ID: "t1", Name: "n", Value: "rvr_s3cr3t_VALUE_0123456789abcdef"}
	b, err := json.Marshal([]any{tok, &tok})
	if err != nil {
		t.Fatal(err)
	}
	if leaks(string(b), tok.Value) || !strings.Contains(string(b), `"token":"[redacted]"`) || !strings.Contains(string(b), `"token_id":"t1"`) {
		t.Errorf("json = %s", b)
	}
}

func TestTokensScopes(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/scopes", rec.reply(200, fixture(t, "scopes.json")))
	scopes, _, err := c.Tokens.Scopes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	if len(scopes) != 2 || scopes[1] != (rivery.ScopeInfo{Name: rivery.ScopeRiverExecute, Description: "Run rivers"}) {
		t.Errorf("scopes = %+v", scopes)
	}
}
