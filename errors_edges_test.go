package rivery_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

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
