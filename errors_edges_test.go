package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// The exact text of APIError and RequestError at the edges of what they
// add: a Retry-After only when there is one, the attempts only when more
// than one, MaybeApplied's advice only when set.
func TestErrorTextEdges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&rivery.APIError{StatusCode: 429, Method: "GET", URL: "https://x/y"}, "rivery: GET https://x/y: 429 Too Many Requests"},
		{&rivery.APIError{StatusCode: 429, Method: "GET", URL: "https://x/y", RetryAfter: time.Second}, "rivery: GET https://x/y: 429 Too Many Requests (retry after 1s)"},
		{&rivery.APIError{StatusCode: 400, Method: "POST", URL: "u", Message: "bad"}, "rivery: POST u: 400 Bad Request: bad"},
		{&rivery.RequestError{Method: "GET", URL: "u", Attempts: 1, Err: errors.New("cut")}, "rivery: GET u: cut"},
		{&rivery.RequestError{Method: "GET", URL: "u", Attempts: 0, Err: errors.New("cut")}, "rivery: GET u: cut"},
		{&rivery.RequestError{Method: "GET", URL: "u", Attempts: 2, Err: errors.New("cut")}, "rivery: GET u: cut (after 2 attempts)"},
		{&rivery.RequestError{Method: "POST", URL: "u", Attempts: 1, MaybeApplied: true, Err: errors.New("cut")},
			"rivery: POST u: cut (the request may have reached the server: check before sending it again)"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q\nwant      %q", got, tc.want)
		}
	}
}

// ErrServer matches exactly 500 to 599; the other sentinels their own
// status only.
func TestServerErrorRange(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]bool{499: false, 500: true, 501: true, 599: true, 600: false, 0: false} {
		if got := errors.Is(&rivery.APIError{StatusCode: code}, rivery.ErrServer); got != want {
			t.Errorf("status %d matches ErrServer: %v, want %v", code, got, want)
		}
	}
	sentinels := map[int]error{400: rivery.ErrBadRequest, 401: rivery.ErrUnauthorized, 403: rivery.ErrForbidden, 404: rivery.ErrNotFound,
		409: rivery.ErrConflict, 422: rivery.ErrValidation, 429: rivery.ErrRateLimited}
	for code := range sentinels {
		for other, s := range sentinels {
			if got := errors.Is(&rivery.APIError{StatusCode: code}, s); got != (code == other) {
				t.Errorf("status %d matches %v: %v", code, s, got)
			}
		}
		if errors.Is(&rivery.APIError{StatusCode: code}, rivery.ErrServer) {
			t.Errorf("status %d matches ErrServer", code)
		}
	}
	if errors.Is(&rivery.APIError{StatusCode: 418}, rivery.ErrBadRequest) {
		t.Error("418 matches ErrBadRequest")
	}
	// A run error matches ErrRunFailed, with or without a run.
	if !errors.Is(&rivery.RunError{}, rivery.ErrRunFailed) || (&rivery.RunError{}).Error() != rivery.ErrRunFailed.Error() {
		t.Error("RunError without a run")
	}
	wrapped := fmt.Errorf("outer: %w", &rivery.RunError{Run: &rivery.Run{ID: "r", RiverID: "v", Status: rivery.StatusSucceeded, RawStatus: "succeeded"}})
	if !errors.Is(wrapped, rivery.ErrRunFailed) || wrapped.Error() != "outer: rivery: run r of river v ended succeeded" {
		t.Errorf("wrapped RunError = %q", wrapped)
	}
}

// The server's message is repeated in Error() up to 512 bytes, cut on a
// rune boundary with "..." after; the full body stays in Body.
func TestErrorMessageClipped(t *testing.T) {
	t.Parallel()
	const prefix = "rivery: GET u: 500 Internal Server Error: "
	for _, tc := range []struct {
		msg, want string
	}{
		{strings.Repeat("a", 512), strings.Repeat("a", 512)},
		{strings.Repeat("a", 513), strings.Repeat("a", 512) + "..."},
		{strings.Repeat("a", 511) + "é", strings.Repeat("a", 511) + "..."}, // é straddles byte 512
		{strings.Repeat("a", 510) + "é", strings.Repeat("a", 510) + "é"},
		{"", ""},
		{strings.Repeat("\x80", 600), ""}, // no rune start at all: nothing is kept
	} {
		e := &rivery.APIError{StatusCode: 500, Method: "GET", URL: "u", Message: tc.msg}
		want := prefix + tc.want
		if len(tc.msg) > 512 && tc.want == "" {
			want = prefix + "..."
		}
		if tc.msg == "" {
			want = strings.TrimSuffix(prefix, ": ")
		}
		if got := e.Error(); got != want {
			t.Errorf("message of %d bytes: Error() ends %q, want %q", len(tc.msg), got[max(0, len(got)-20):], want[max(0, len(want)-20):])
		}
	}
}

// What an error body becomes as APIError.Message, for each shape the two
// API families send.
func TestErrorBodyShapes(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"detail":"Data Flow x is disabled"}`: "Data Flow x is disabled",
		`{"message":"River not found"}`:        "River not found",
		`{"detail":"d","message":"m"}`:         "d",
		`{"detail":[],"message":"m"}`:          "m",
		`{"detail":null,"message":"m"}`:        "m",
		`{"detail":null}`:                      `{"detail":null}`,
		`{"detail":{"code":7}}`:                `{"code":7}`,
		`{"detail":[{"loc":["query","page",0],"msg":"bad"},{"loc":[],"msg":"worse"}]}`: "query.page.0: bad; worse",
		`{"message":5}`:          `{"message":5}`,
		"  plain\n\ttext  ":      "plain text",
		"":                       "",
		"   ":                    "",
		"[1,2]":                  "[1,2]",
		`{"detail":"x"}` + "\n ": "x",
		"{broken":                "{broken",
		"bad \xff byte":          "bad \ufffd byte",
	} {
		c, mock := setup(t, rivery.WithoutRetries())
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", httpmock.NewStringResponder(400, body))
		_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
		if apiErr := asAPIError(t, err); apiErr.Message != want || string(apiErr.Body) != body {
			t.Errorf("body %q: Message %q, want %q", body, apiErr.Message, want)
		}
	}
}
