package rivery

import (
	"context"
	"fmt"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// ErrNoRunFound is returned by FindRunSince when the river's run history
// holds no run started in the window it searched. It matches ErrNotFound.
var ErrNoRunFound = fmt.Errorf("rivery: no run found: %w", ErrNotFound)

// FindRunClockSkew is how far FindRunSince widens its window on both sides, so
// that a run the server stamped with a clock somewhat behind (or ahead of)
// the caller's is still found.
const FindRunClockSkew = 2 * time.Minute

// FindRunSince looks through riverID's run history for the run a trigger
// sent at since may have started, for when the trigger's outcome is
// unknown (MaybeApplied): record since := time.Now() before Run, and call
// FindRunSince instead of triggering again.
//
// It lists every page of GET E/rivers/{riverID}/runs for runs started from
// since minus FindRunClockSkew to now plus FindRunClockSkew (v1 API; a token-only client
// learns its IDs once), and returns the earliest started at or after
// since (failing that, the latest started before it), with the last page's
// Response. When there is none, the error matches ErrNoRunFound
// (and ErrNotFound): the trigger did not start a run, or the server has not
// listed it yet.
//
// Its limit: run history does not say who started a run. A run that a
// schedule, the console or another client started in the same window is
// indistinguishable from the trigger's, and may be returned in its place;
// check Run.StartedAt against since when that matters. A trigger that hit
// a run already in flight started nothing (the v1 API answers such a
// trigger "skipped"), and FindRunSince then finds only runs started in the
// window.
func (s *RiversService) FindRunSince(ctx context.Context, riverID string, since time.Time) (*Run, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	if since.IsZero() {
		return nil, nil, fmt.Errorf("%w: FindRunSince needs the time the trigger was sent", ErrInvalidArgument)
	}
	c := s.client
	opts := &ListRunsOptions{
		ListOptions: ListOptions{PerPage: maxPerPage},
		StartTime:   since.Add(-FindRunClockSkew),
		EndTime:     later(time.Now(), since).Add(FindRunClockSkew),
	}
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	sc, err := c.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var last *Response
	fetch := func(ctx context.Context, u string, q any) ([]*wire.Run, *Response, error) {
		items, resp, err := listPage[*wire.Run](ctx, c, u, q)
		last = resp
		return items, resp, err
	}
	var found *Run
	for w, err := range allPages(ctx, c, c.riverURL(sc, riverID, "runs"), q, fetch) {
		if err != nil {
			return nil, last, err
		}
		run := runFromV1(w)
		if run.RiverID == "" {
			run.RiverID = riverID
		}
		if run.RiverID == riverID && closer(run, found, since) {
			found = run
		}
	}
	if found == nil {
		return nil, last, fmt.Errorf("%w: river %s has no run started since %s", ErrNoRunFound,
			riverID, opts.StartTime.UTC().Format(time.RFC3339))
	}
	return found, last, nil
}

// closer reports whether run is a better guess than best (nil: none yet)
// at the run a trigger sent at since started: the earliest run started at
// or after since; failing that, the latest started before it (within
// FindRunClockSkew, as the server's clock may lag); failing that, a run whose
// start the SDK could not read.
func closer(run, best *Run, since time.Time) bool {
	if best == nil {
		return true
	}
	rank := func(r *Run) int {
		switch {
		case r.StartedAt.IsZero():
			return 2
		case r.StartedAt.Before(since):
			return 1
		}
		return 0
	}
	rr, rb := rank(run), rank(best)
	switch {
	case rr != rb:
		return rr < rb
	case rr == 0:
		return run.StartedAt.Before(best.StartedAt)
	case rr == 1:
		return run.StartedAt.After(best.StartedAt)
	}
	return false
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
