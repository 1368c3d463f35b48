package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Property fuzz targets where untrusted input enters: next_page, IDs,
// secrets in output, base URLs.

// FuzzNextPage serves up to five pages whose next_page values are fuzzed,
// and checks that the walk only ever requests the client's own scheme and
// host, never with user information, and never the same URL twice.
func FuzzNextPage(f *testing.F) {
	const base = "https://api.rivery.io/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers"
	f.Add(base+"?page=2", base+"?page=3", "", 1, 2, 3)
	f.Add(base+"?page=2", base+"?page=2", "", 1, 2, 2)
	f.Add(base+"?cursor=b", base, base+"?cursor=b", 0, 0, 0)
	f.Add("https://evil.example.com/v1/rivers?page=2", "", "", 1, 0, 0)
	f.Add("https://user:pw@api.rivery.io/v1/rivers", "", "", 1, 2, 0)
	f.Add("http://api.rivery.io/v1/rivers?page=2", "", "", 1, 2, 0)
	f.Add("https://api.rivery.io:8443/v1/rivers?page=2", "", "", 1, 2, 0)
	f.Add("//api.rivery.io/v1/rivers?page=2", "/v1/rivers?page=3", " https://api.rivery.io/x ", 1, 2, 3)
	f.Add("https://API.rivery.io/v1/rivers?page=2", "https://api.rivery.io/v1/rivers?page=2#", "https://api.rivery.io/v1/rivers?page=2", 1, 2, 3)
	f.Fuzz(func(t *testing.T, next1, next2, next3 string, p1, p2, p3 int) {
		nexts, pages := []string{next1, next2, next3}, []int{p1, p2, p3}
		var mu sync.Mutex
		var seen []string
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			i := len(seen)
			seen = append(seen, req.URL.String())
			mu.Unlock()
			if req.URL.Scheme != "https" || req.URL.Host != "api.rivery.io" || req.URL.User != nil {
				t.Errorf("request %d went to %s", i+1, req.URL.Redacted())
			}
			body := `{"items":[],"next_page":null}` // the walk ends here at the latest
			if i < len(nexts) {
				n, _ := json.Marshal(nexts[i])
				body = fmt.Sprintf(`{"items":[{"river_cross_id":"r%d"}],"page":%d,"next_page":%s}`, i, pages[i], n)
			}
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
		})
		c, err := NewClient("fuzz-token", WithHTTPClient(&http.Client{Transport: rt}), WithoutRetries(),
			WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range c.Rivers.All(context.Background(), nil) {
			if err == nil {
				n++
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if n > len(seen) {
			t.Errorf("%d rivers from %d pages of one", n, len(seen))
		}
		fetched := map[string]bool{}
		for _, u := range seen {
			if fetched[u] {
				t.Errorf("%s fetched twice: %q", u, seen)
			}
			fetched[u] = true
		}
	})
}

// FuzzIDPath checks that an ID validateID accepts reaches a Go ServeMux
// as exactly one path segment equal to the ID, for every kind of ID slot.
func FuzzIDPath(f *testing.F) {
	for _, s := range []string{"63b724fc690def001131d242", "a b", "été", "a;b", "a+b", "a=b&c", "a..b", "...", ".a", "%41", "a%", "日本", "a\u00a0b", "~user", "a:b", "a@b", "'\"<>", strings.Repeat("x", 128)} {
		f.Add(s)
	}
	const acc, env = "5f1a2b3c4d5e6f7081920a1b", "6a7b8c9d0e1f2a3b4c5d6e7f"
	f.Fuzz(func(t *testing.T, id string) {
		if validateID("id", id) != nil {
			return
		}
		var got map[string]string
		mux := http.NewServeMux()
		mux.HandleFunc("GET /v1/accounts/{a}/environments/{e}/rivers/{river}/runs/{run}", func(w http.ResponseWriter, r *http.Request) {
			got = map[string]string{"a": r.PathValue("a"), "e": r.PathValue("e"), "river": r.PathValue("river"), "run": r.PathValue("run")}
			_, _ = io.WriteString(w, `{"run_id":"x","status":"running"}`)
		})
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			resp := rec.Result()
			resp.Request = req
			return resp, nil
		})
		for _, tc := range []struct{ acc, env, river, run string }{
			{acc, env, id, "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"},
			{acc, env, "63b724fc690def001131d242", id},
			{id, id, id, id},
		} {
			got = nil
			c, err := NewClient("fuzz-token", WithHTTPClient(&http.Client{Transport: rt}), WithoutRetries(),
				WithAccountID(tc.acc), WithEnvironmentID(tc.env))
			if err != nil {
				t.Fatalf("an ID validateID accepts was refused as an option: %v", err)
			}
			if _, _, err := c.Rivers.GetRun(context.Background(), tc.river, tc.run); err != nil {
				t.Fatalf("GetRun(%q, %q): %v", tc.river, tc.run, err)
			}
			want := map[string]string{"a": tc.acc, "e": tc.env, "river": tc.river, "run": tc.run}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("the mux saw %q, want %q", got, want)
			}
		}
	})
}

// FuzzRedaction prints a Token, a secret and a Client holding a fuzzed
// value in every way a user might, and checks the output is the same
// whatever the value: nothing of it can leak.
func FuzzRedaction(f *testing.F) {
	for _, s := range []string{"rvt_0123456789abcdef", "Bearer x", "[redacted]", `""`, "%v", "\x00\xff", " spaced token ", "日本語"} {
		f.Add(s, byte('v'))
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.4s", "%-20q", "%T", "%t", "%U", "%e"}
	f.Fuzz(func(t *testing.T, value string, verb byte) {
		if value == "" || value == "other-secret" {
			return
		}
		// Two verbs are left out. %p prints a pointer's address before any
		// method runs: no leak, but not the same across two values. %w on a
		// value that is not an error makes fmt print the raw fields with no
		// method called (fmt's badVerb sets erroring): Token.Value then shows,
		// and no method can stop it. go vet reports every such call
		// ("%w has arg of wrong type"); see docs/testing.md.
		if verb == 'p' || verb == 'w' {
			verb = 'v'
		}
		fuzzVerb := "%" + string(rune(verb))
		render := func(v string) []string {
			tok := Token{ID: "t1", Name: "ci", Scopes: []Scope{ScopeRiverList}, CreatedAt: time.Unix(1_700_000_000, 0).UTC(), Value: v}
			s := newSecret(v)
			var outs []string
			for _, verb := range append(verbs, fuzzVerb) {
				outs = append(outs, fmt.Sprintf(verb, tok), fmt.Sprintf(verb, &tok), fmt.Sprintf(verb, []Token{tok}), fmt.Sprintf(verb, s),
					fmt.Sprintf(verb, struct{ T Token }{tok}))
			}
			var logs bytes.Buffer
			noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}}
			slog.New(slog.NewJSONHandler(&logs, noTime)).Info("m", "token", tok, "secret", s, "ptr", &tok)
			slog.New(slog.NewTextHandler(&logs, noTime)).Info("m", "token", tok, "secret", s)
			js, err := json.Marshal(map[string]any{"token": tok, "ptr": &tok, "list": []Token{tok}})
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, logs.String(), string(js))
			if !hasControl(v) && strings.TrimSpace(v) != "" { // NewClient refuses the others
				c, err := NewClient(v)
				if err != nil {
					t.Fatal(err)
				}
				outs = append(outs, fmt.Sprintf(fuzzVerb, c), fmt.Sprintf("%+v", c), c.String())
			}
			return outs
		}
		got, want := render(value), render("other-secret")
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("output %d depends on the secret:\n%q\n%q", i, got[i], want[i])
			}
		}
	})
}

// FuzzBaseURL checks WithBaseURL: what it accepts is https (or http to a
// loopback host), without user information, query, fragment or trailing
// slash, and stable when given again; what it refuses is refused without
// repeating a password.
func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.rivery.io", "https://proxy.example.com/rivery/", "http://127.0.0.1:8080", "http://localhost", "http://[::1]:9/x",
		"http://example.com", "https://u:hunter2@api.rivery.io", "https://api.rivery.io?x=1", "https://api.rivery.io#f", "https://api.rivery.io?",
		"ftp://x", "", " ", "https://", "https://:443", "HTTPS://API.RIVERY.IO//", "https://api.rivery.io/a%2Fb", "http://127.0.0.1.evil.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := parseBaseURL(raw)
		if err != nil {
			if u, perr := url.Parse(raw); perr == nil && u.User != nil {
				if pw, ok := u.User.Password(); ok && len(pw) >= 4 && strings.Contains(err.Error(), pw) {
					t.Fatalf("error %q repeats the password", err)
				}
			}
			return
		}
		u, perr := url.Parse(got)
		switch {
		case perr != nil:
			t.Fatalf("accepted %q as %q, which does not parse: %v", raw, got, perr)
		case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
			t.Fatalf("accepted %q as %q, with user information, query or fragment", raw, got)
		case u.Scheme != "https" && (u.Scheme != "http" || !isLoopback(u.Hostname())):
			t.Fatalf("accepted %q as %q: not https nor loopback http", raw, got)
		case u.Hostname() == "":
			t.Fatalf("accepted %q as %q without a host", raw, got)
		case strings.HasSuffix(got, "/"):
			t.Fatalf("accepted %q as %q, with a trailing slash", raw, got)
		}
		if u.Scheme == "http" {
			if ip := net.ParseIP(u.Hostname()); ip == nil && !strings.EqualFold(u.Hostname(), "localhost") {
				t.Fatalf("plain http to %q", u.Hostname())
			}
		}
		again, err := parseBaseURL(got)
		if err != nil || again != got {
			t.Fatalf("%q gave %q, which gives %q, %v", raw, got, again, err)
		}
		c, err := NewClient("fuzz-token", WithBaseURL(raw))
		if err != nil {
			t.Fatalf("WithBaseURL(%q): %v", raw, err)
		}
		if c.v1 != got || c.urls.me != got+pathMe {
			t.Fatalf("client URLs %q, %q from base %q", c.v1, c.urls.me, got)
		}
		if !strings.Contains(c.String(), got) {
			t.Fatalf("String() %q does not name the base URL %q", c.String(), got)
		}
	})
}
