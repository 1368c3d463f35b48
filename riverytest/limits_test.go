package riverytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// getMe sends GET /api/me with token and returns its status and
// Retry-After.
func getMe(t *testing.T, srv *riverytest.Server, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/me", http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// WithRequestLimit: a token's requests beyond n in a minute get 429 with a
// Retry-After in whole seconds; another token has its own count; refused
// requests do not count, and the minute slides.
func TestRequestLimit(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRequestLimit(3))
	t.Cleanup(srv.Close)
	other := srv.AddToken(riverytest.Token{Name: "other", Admin: true}).Value
	for i := range 3 {
		if code, _ := getMe(t, srv, srv.AdminToken()); code != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, code)
		}
	}
	for range 2 {
		code, after := getMe(t, srv, srv.AdminToken())
		secs, err := strconv.Atoi(after)
		if code != http.StatusTooManyRequests || err != nil || secs < 1 || secs > 60 {
			t.Fatalf("request over the limit: %d, Retry-After %q; want 429 and 1-60 s", code, after)
		}
	}
	if code, _ := getMe(t, srv, other); code != http.StatusOK {
		t.Errorf("another token's first request: %d", code)
	}
	if n := len(srv.RequestsTo(riverytest.RouteMe)); n != 6 {
		t.Errorf("%d requests recorded, want 6 (refused ones too)", n)
	}
	// An SDK call meets the 429 as ErrRateLimited, with the Retry-After.
	c := srv.Client(rivery.WithoutRetries())
	_, _, err := c.Rivers.List(context.Background(), nil)
	var apiErr *rivery.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, rivery.ErrRateLimited) || apiErr.RetryAfter < time.Second {
		t.Errorf("List over the limit = %v", err)
	}
}

// WithTimeScale shrinks the limit's minute: at 600 (a minute lasts 100 ms)
// the count is free again once 100 ms have passed.
func TestRequestLimitScaled(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRequestLimit(1), riverytest.WithTimeScale(600))
	t.Cleanup(srv.Close)
	if code, _ := getMe(t, srv, srv.AdminToken()); code != http.StatusOK {
		t.Fatalf("first request: %d", code)
	}
	time.Sleep(150 * time.Millisecond) // more than a scaled minute
	if code, _ := getMe(t, srv, srv.AdminToken()); code != http.StatusOK {
		t.Errorf("a scaled minute later: %d, want 200", code)
	}
}

// WithRunLimit: a river starts at most n runs a minute; a trigger beyond
// that gets 429 and starts nothing, while other rivers still run.
func TestRunLimit(t *testing.T) {
	t.Parallel()
	const riverA, riverB = "63e0ffee0000000000000001", "63e0ffee0000000000000002"
	srv := riverytest.NewServer(riverytest.WithRunLimit(2),
		riverytest.WithRiver(riverytest.River{ID: riverA}), riverytest.WithRiver(riverytest.River{ID: riverB}))
	t.Cleanup(srv.Close)
	for _, c := range []*rivery.Client{srv.ClientV1(rivery.WithoutRetries()), srv.Client(rivery.WithoutRetries())} { // both families count
		if _, _, err := c.Rivers.Run(context.Background(), riverA); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.RunsStarted(riverA); n != 2 {
		t.Fatalf("runs started = %d, want 2", n)
	}
	c := srv.ClientV1(rivery.WithoutRetries())
	_, _, err := c.Rivers.Run(context.Background(), riverA)
	var apiErr *rivery.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || apiErr.RetryAfter < time.Second {
		t.Errorf("third trigger = %v, want 429 with a Retry-After", err)
	}
	if n := srv.RunsStarted(riverA); n != 2 {
		t.Errorf("runs started after the refused trigger = %d, want 2", n)
	}
	if _, _, err := c.Rivers.Run(context.Background(), riverB); err != nil {
		t.Errorf("another river's trigger: %v", err)
	}
}

// WithTimeScale shrinks River.Duration and Fault.Delay: at 6000, a run of
// 10 minutes lasts 100 ms and a delay of an hour 600 ms.
func TestTimeScale(t *testing.T) {
	t.Parallel()
	const river = "63e0ffee0000000000000003"
	srv := riverytest.NewServer(riverytest.WithTimeScale(6000), riverytest.WithRiver(riverytest.River{ID: river, Duration: 10 * time.Minute}))
	t.Cleanup(srv.Close)
	c := srv.ClientV1()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := c.Rivers.RunAndWait(ctx, river, nil)
	if err != nil || run.Status != rivery.StatusSucceeded {
		t.Fatalf("RunAndWait = %+v, %v", run, err)
	}
	if !run.EndedAt.After(run.StartedAt) || run.EndedAt.Sub(run.StartedAt) < 100*time.Millisecond {
		t.Errorf("run from %v to %v, want at least the scaled 100 ms", run.StartedAt, run.EndedAt)
	}
	srv.Fail(riverytest.RouteMe, 1, riverytest.Fault{Delay: time.Hour})
	if _, _, err := c.Me(ctx); err != nil {
		t.Errorf("a delayed answer (an hour scaled to 600 ms): %v", err)
	}
}

// An activities view of a run that moves by status calls counts as one,
// so that waits served by the shared poller see their runs move.
func TestActivitiesViewCountsAsAStatusCall(t *testing.T) {
	t.Parallel()
	const river = "63e0ffee0000000000000004"
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: river, Polls: 2}))
	t.Cleanup(srv.Close)
	c := srv.ClientV1()
	ctx := context.Background()
	if _, _, err := c.Rivers.Run(ctx, river); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	for range 3 {
		rows, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: rivery.LastWindow(time.Hour)})
		if err != nil || len(rows) != 1 {
			t.Fatalf("List = %v, %v", rows, err)
		}
		c := rows[0].Counts
		seen = append(seen, c.Pending, c.Running, c.Succeeded)
	}
	if want := []int64{1, 0, 0, 0, 1, 0, 0, 0, 1}; !slices.Equal(seen, want) {
		t.Errorf("pending, running, succeeded per view = %v, want %v", seen, want)
	}
	if runs := srv.Runs(river); len(runs) != 1 || runs[0].Polls != 3 {
		t.Errorf("runs = %+v, want one run with 3 status calls", runs)
	}
}

// WithTimeScale shrinks a Fault's Delay on the storage's presigned URLs
// too, as on every API route: a day at factor 4,320,000 is 20 ms.
func TestStorageFaultDelayScaled(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithTimeScale(24 * 3600 * 50))
	t.Cleanup(srv.Close)
	srv.Fail(riverytest.RoutePresignedFiles, 1, riverytest.Fault{Delay: 24 * time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // generous: unscaled, it is a day
	defer cancel()
	if _, err := srv.ClientV1().Logicode.Template(ctx, io.Discard); err != nil {
		t.Errorf("Template behind a scaled day's delay: %v", err)
	}
}

// A Fault on the storage honors what it does on the API routes: Apply
// stores the upload before the fault's answer replaces the storage's, and
// RetryAfter and Header go with the fault's status.
func TestStorageFaultAppliesAndSendsHeaders(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	t.Cleanup(srv.Close)
	status, body := send(t, srv, http.MethodPost, envPath(srv)+"/logicode_file", `{"file_name": "step.py"}`)
	var slot struct {
		ID  string `json:"file_id"`
		URL string `json:"url"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &slot) != nil {
		t.Fatalf("upload slot: %d %s", status, body)
	}
	srv.Fail(riverytest.RoutePresignedFiles, 1, riverytest.Fault{Status: http.StatusServiceUnavailable, Apply: true, RetryAfter: "7",
		Header: http.Header{"X-Amz-Request-Id": {"fake-request"}}})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, slot.URL, strings.NewReader("print(1)\n"))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "7" || resp.Header.Get("X-Amz-Request-Id") != "fake-request" {
		t.Errorf("faulted upload: %d %v", resp.StatusCode, resp.Header)
	}
	if f, ok := srv.LogicodeFileState(slot.ID); !ok || !f.Uploaded || string(f.Content) != "print(1)\n" {
		t.Errorf("with Apply the upload is stored: %+v", f)
	}
}
