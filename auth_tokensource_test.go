package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// fakeSource hands out "jwt-1", "jwt-2", ... and records Refresh calls.
type fakeSource struct {
	mu         sync.Mutex
	n          int
	stale      []string
	refreshErr error
	same       bool // Refresh gives the stale token back
}

func (f *fakeSource) current() string { return "jwt-" + string(rune('0'+f.n)) }

func (f *fakeSource) Token(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.n = 1
	}
	return f.current(), nil
}

func (f *fakeSource) Refresh(_ context.Context, stale string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stale = append(f.stale, stale)
	if f.refreshErr != nil {
		return "", f.refreshErr
	}
	if !f.same {
		f.n++
	}
	return f.current(), nil
}

// setupSource is setup with a token source instead of a token.
func setupSource(t *testing.T, ts rivery.TokenSource, opts ...rivery.Option) (*rivery.Client, *httpmock.MockTransport) {
	t.Helper()
	return setupToken(t, "", append([]rivery.Option{rivery.WithTokenSource(ts)}, opts...)...)
}

// byToken answers 200 with body to requests carrying "Bearer <good>", 401
// to others.
func byToken(rec *recorder, good, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		if req.Header.Get("Authorization") != "Bearer "+good {
			return httpmock.NewStringResponse(401, `{"detail":"Credentials are not valid"}`), nil
		}
		return httpmock.NewStringResponse(200, body), nil
	}
}

// A 401 refreshes the token once and sends the call again with the new
// one; the header of an unchanged token is reused.
func TestTokenSourceRefreshesOnceOn401(t *testing.T) {
	t.Parallel()
	ts := &fakeSource{}
	c, mock := setupSource(t, ts, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, byToken(&rec, "jwt-2", fixture(t, "v1_run.json")))
	ctx := context.Background()
	for range 2 {
		if _, _, err := c.Rivers.GetRun(ctx, riverID, runID); err != nil {
			t.Fatal(err)
		}
	}
	reqs := rec.all()
	if len(reqs) != 3 || reqs[0].Header.Get("Authorization") != "Bearer jwt-1" ||
		reqs[1].Header.Get("Authorization") != "Bearer jwt-2" || reqs[2].Header.Get("Authorization") != "Bearer jwt-2" {
		t.Fatalf("requests = %+v, want jwt-1, then jwt-2 twice", reqs)
	}
	if len(ts.stale) != 1 || ts.stale[0] != "jwt-1" {
		t.Errorf("Refresh calls = %q, want one with the stale jwt-1", ts.stale)
	}
}

// A second 401 is the call's answer: ErrUnauthorized, two requests, one
// refresh.
func TestTokenSourceSecond401IsReturned(t *testing.T) {
	t.Parallel()
	ts := &fakeSource{}
	c, mock := setupSource(t, ts, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", byToken(&rec, "never", ""))
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	if !errors.Is(err, rivery.ErrUnauthorized) || len(rec.all()) != 2 || len(ts.stale) != 1 {
		t.Errorf("error %v after %d requests and %d refreshes; want ErrUnauthorized, 2 and 1", err, len(rec.all()), len(ts.stale))
	}
}

// A source that has no new token, or fails to get one, leaves the 401 as
// the answer without sending again; a failed refresh is reported with it.
func TestTokenSourceRefreshWithoutNewToken(t *testing.T) {
	t.Parallel()
	boom := errors.New("platform down")
	for name, ts := range map[string]*fakeSource{"same token": {same: true}, "error": {refreshErr: boom}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setupSource(t, ts, v1()...)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, byToken(&rec, "never", ""))
			_, resp, err := c.Rivers.Get(context.Background(), riverID)
			if !errors.Is(err, rivery.ErrUnauthorized) || len(rec.all()) != 1 || resp == nil || resp.StatusCode != 401 {
				t.Errorf("error %v, %d requests, response %v; want the 401 after 1 request", err, len(rec.all()), resp)
			}
			if ts.refreshErr != nil && (!errors.Is(err, boom) || !strings.Contains(err.Error(), "refreshing the token")) {
				t.Errorf("error %v does not report the failed refresh", err)
			}
		})
	}
}

// NewClient's own token is never refreshed: a 401 is one request.
func TestStaticToken401IsOneRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", rec.reply(401, `{"message":"Unauthorized"}`))
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	if !errors.Is(err, rivery.ErrUnauthorized) || len(rec.all()) != 1 {
		t.Errorf("error %v after %d requests; want ErrUnauthorized after 1", err, len(rec.all()))
	}
}

// The source's Token error ends the call before any request.
func TestTokenSourceTokenError(t *testing.T) {
	t.Parallel()
	boom := errors.New("no token today")
	c, _ := setupSource(t, errSource{boom}, v1()...)
	_, resp, err := c.Rivers.Get(context.Background(), riverID)
	if !errors.Is(err, boom) || resp != nil {
		t.Errorf("error %v, response %v; want the source's error and no response", err, resp)
	}
}

type errSource struct{ err error }

func (e errSource) Token(context.Context) (string, error)           { return "", e.err }
func (e errSource) Refresh(context.Context, string) (string, error) { return "", e.err }

type constSource string

func (s constSource) Token(context.Context) (string, error)           { return string(s), nil }
func (s constSource) Refresh(context.Context, string) (string, error) { return string(s), nil }

// A token with control characters from a source is refused before sending.
func TestTokenSourceBadToken(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "a\r\nX-Evil: 1"} {
		c, _ := setupSource(t, constSource(bad), v1()...)
		if _, _, err := c.Rivers.Get(context.Background(), riverID); err == nil {
			t.Errorf("token %q: no error", bad)
		}
	}
}

func TestNewClientTokenAndSource(t *testing.T) {
	t.Parallel()
	if _, err := rivery.NewClient(""); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("no token, no source: error = %v", err)
	}
	if _, err := rivery.NewClient("tok", rivery.WithTokenSource(constSource("x"))); err == nil || !strings.Contains(err.Error(), "conflict") {
		t.Errorf("token and source: error = %v", err)
	}
	if _, err := rivery.NewClient("", rivery.WithTokenSource(nil)); err == nil || !strings.Contains(err.Error(), "WithTokenSource") {
		t.Errorf("nil source: error = %v", err)
	}
	c, err := rivery.NewClient("", rivery.WithTokenSource(constSource("x")))
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
}
