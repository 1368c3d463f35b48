package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// After a 503 to a trigger that started a run, FindRunSince finds that run;
// after one that started none, it says so with ErrNoRunFound.
func TestFindRunSinceAfterAmbiguousTrigger(t *testing.T) {
	t.Parallel()
	for _, family := range []string{"console", "v1"} {
		t.Run(family, func(t *testing.T) {
			t.Parallel()
			srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
			defer srv.Close()
			c := familyClient(srv, family)
			ctx := context.Background()

			since := time.Now()
			srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 503})
			_, _, err := c.Rivers.Run(ctx, riverID)
			if !rivery.MaybeApplied(err) {
				t.Fatalf("Run error %v is not MaybeApplied", err)
			}
			_, _, err = c.Rivers.FindRunSince(ctx, riverID, since)
			if !errors.Is(err, rivery.ErrNoRunFound) || !errors.Is(err, rivery.ErrNotFound) {
				t.Fatalf("FindRunSince with no run: %v, want ErrNoRunFound", err)
			}

			srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 503, Apply: true})
			_, _, err = c.Rivers.Run(ctx, riverID)
			if !rivery.MaybeApplied(err) {
				t.Fatalf("Run error %v is not MaybeApplied", err)
			}
			run, resp, err := c.Rivers.FindRunSince(ctx, riverID, since)
			if err != nil || resp == nil {
				t.Fatalf("FindRunSince = %v, %v", run, err)
			}
			started := srv.Runs(riverID)
			if len(started) != 1 || run.ID != started[0].ID || run.RiverID != riverID {
				t.Errorf("found %+v; the server started %+v", run, started)
			}
		})
	}
}

// Among several runs in the window, FindRunSince returns the first started
// at or after since, across pages.
func TestFindRunSincePicksTheFirstRunSince(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	if _, _, err := c.Rivers.Run(ctx, riverID); err != nil { // before since, within the skew
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	since := time.Now()
	var first *rivery.Run
	for i := range 3 {
		run, _, err := c.Rivers.Run(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = run
		}
	}
	got, _, err := c.Rivers.FindRunSince(ctx, riverID, since)
	if err != nil || got.ID != first.ID {
		t.Errorf("FindRunSince = %+v, %v; want run %s", got, err, first.ID)
	}
}

func TestFindRunSinceRefusesBadInput(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...) // any request fails the test
	for name, call := range map[string]func() error{
		"empty river": func() error { _, _, err := c.Rivers.FindRunSince(context.Background(), "", time.Now()); return err },
		"zero since": func() error {
			_, _, err := c.Rivers.FindRunSince(context.Background(), riverID, time.Time{})
			return err
		},
	} {
		if err := call(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
}

// Run items that leave out their river (as a river's own run list may)
// belong to the river asked about.
func TestFindRunSinceRunsWithoutRiverID(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	since := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", httpmock.NewStringResponder(200,
		`{"items":[{"run_id":"`+runID+`","status":"running","start_date_utc":"2026-11-27T10:00:01Z"}],"page":1}`))
	run, _, err := c.Rivers.FindRunSince(context.Background(), riverID, since)
	if err != nil || run.ID != runID || run.RiverID != riverID {
		t.Errorf("FindRunSince = %+v, %v; want run %s of river %s", run, err, runID, riverID)
	}
}
