package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// Every status of API.md section 5, in each error body style, maps to its
// sentinel and keeps the server's message.
func TestAPIErrorStatusesAndBodies(t *testing.T) {
	t.Parallel()
	statuses := []struct {
		code     int
		sentinel error
	}{
		{400, rivery.ErrBadRequest}, {401, rivery.ErrUnauthorized}, {403, rivery.ErrForbidden},
		{404, rivery.ErrNotFound}, {409, rivery.ErrConflict}, {422, rivery.ErrValidation},
		{429, rivery.ErrRateLimited}, {500, rivery.ErrServer}, {502, rivery.ErrServer},
		{503, rivery.ErrServer}, {504, rivery.ErrServer},
	}
	sentinels := []error{rivery.ErrBadRequest, rivery.ErrUnauthorized, rivery.ErrForbidden, rivery.ErrNotFound,
		rivery.ErrConflict, rivery.ErrValidation, rivery.ErrRateLimited, rivery.ErrServer}
	bodies := []struct {
		style, body, message string
	}{
		{"v1 detail string", `{"detail": "Data Flow 63b7 is disabled"}`, "Data Flow 63b7 is disabled"},
		{"v1 detail list", `{"detail": [{"type": "missing", "loc": ["query", "start_time"], "msg": "Field required", "input": null}]}`, "query.start_time: Field required"},
		{"console message", `{"message": "River not found RVR-404"}`, "River not found RVR-404"},
		{"plain text", "upstream connect error\n or disconnect", "upstream connect error or disconnect"},
		{"empty", "", ""},
		{"other JSON", `{"error": "weird"}`, `{"error": "weird"}`},
	}
	for _, st := range statuses {
		for _, b := range bodies {
			t.Run(http.StatusText(st.code)+"/"+b.style, func(t *testing.T) {
				t.Parallel()
				c, mock := setup(t, append(v1(), rivery.WithoutRetries())...)
				mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, httpmock.NewStringResponder(st.code, b.body))
				run, resp, err := c.Rivers.GetRun(context.Background(), riverID, runID)
				if run != nil {
					t.Errorf("run = %+v on an error", run)
				}
				if resp == nil || resp.StatusCode != st.code {
					t.Errorf("Response = %v, want the %d response", resp, st.code)
				}
				apiErr := asAPIError(t, err)
				if apiErr.StatusCode != st.code || apiErr.Message != b.message || apiErr.Method != http.MethodGet ||
					apiErr.URL != v1Env+"/rivers/"+riverID+"/runs/"+runID || string(apiErr.Body) != b.body {
					t.Errorf("APIError = %+v", apiErr)
				}
				for _, s := range sentinels {
					if got := errors.Is(err, s); got != (s == st.sentinel) { //nolint:errorlint // identity of sentinels is the point

						t.Errorf("errors.Is(err, %v) = %v", s, got)
					}
				}
				if !strings.Contains(err.Error(), b.message) || !strings.Contains(err.Error(), http.StatusText(st.code)) {
					t.Errorf("Error() = %q", err)
				}
			})
		}
	}
}

func TestAPIErrorValidationDetails(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, httpmock.NewStringResponder(422, fixture(t, "error_validation.json")))
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	apiErr := asAPIError(t, err)
	if !errors.Is(err, rivery.ErrValidation) || len(apiErr.Details) != 2 {
		t.Fatalf("error = %v, details %+v", err, apiErr.Details)
	}
	d := apiErr.Details[1]
	if d.Type != "int_parsing" || !slices.Equal(d.Location, []string{"query", "items_per_page", "0"}) ||
		d.Message != "Input should be a valid integer" || string(d.Input) != `"x"` {
		t.Errorf("detail = %+v", d)
	}
	if apiErr.Message != "query.start_time: Field required; query.items_per_page.0: Input should be a valid integer" {
		t.Errorf("Message = %q", apiErr.Message)
	}
}

func TestAPIErrorRequestIDAndCap(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithoutRetries())
	huge := strings.Repeat("x", 1<<20)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run",
		httpmock.NewStringResponder(500, huge).HeaderSet(http.Header{"X-Request-Id": {"req-42"}}))
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	apiErr := asAPIError(t, err)
	if apiErr.RequestID != "req-42" {
		t.Errorf("RequestID = %q", apiErr.RequestID)
	}
	if len(apiErr.Body) != 64<<10 {
		t.Errorf("kept %d bytes of the error body, want 64 KiB", len(apiErr.Body))
	}
	if len(err.Error()) > 1024 {
		t.Errorf("Error() is %d bytes long", len(err.Error()))
	}
}

func TestRunErrorText(t *testing.T) {
	t.Parallel()
	err := &rivery.RunError{Run: &rivery.Run{ID: "r1", RiverID: "v1", Status: rivery.StatusFailed, RawStatus: "E", Message: "boom"}}
	if got, want := err.Error(), `rivery: run r1 of river v1 ended failed ("E"): boom`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, rivery.ErrRunFailed) || errors.Is(err, rivery.ErrServer) {
		t.Error("RunError must match ErrRunFailed only")
	}
	if (&rivery.RunError{}).Error() == "" {
		t.Error("empty RunError has no text")
	}
}

func TestRetryAfterReported(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithoutRetries())
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run",
		httpmock.NewStringResponder(429, `{"message":"Too many requests"}`).HeaderSet(http.Header{"Retry-After": {"7"}}))
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	if apiErr := asAPIError(t, err); apiErr.RetryAfter != 7*time.Second || !errors.Is(err, rivery.ErrRateLimited) {
		t.Errorf("APIError = %+v", apiErr)
	}
}
