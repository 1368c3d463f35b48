package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// CheckRuns is one round of the shared poller for a caller that keeps
// the poller's state itself, between calls, instead of in the client: a
// Temporal workflow, which cannot hold a goroutine, or a program that
// polls from a cron job. The round is the same (see round), the
// activities calls and the comparison of their rows are the poller's
// (activityRows, compareRows); only the bookkeeping of the waits lives in
// RunsCheck.

// RunsCheck is what CheckRuns remembers from one call to the next: the
// activities window, the activity counts of each river at the last call,
// and, for each run followed, when it was last heard of and how long a
// silence it may keep before it is read directly. Pass the RunsCheck a
// call returned to the next call; a nil *RunsCheck (or a new one) starts
// afresh.
//
// A RunsCheck travels as JSON (its MarshalJSON and UnmarshalJSON), so a
// workflow can keep it in its history or a program in a file. Apart from
// MaxInterval its state is private: it is not an API, and a form this
// version does not know reads as a fresh start, which costs at most one
// read of each run.
type RunsCheck struct {
	// MaxInterval is the unit of the check's bounds, as the smallest
	// MaxInterval of the waits is the shared poller's (docs/runs.md): the
	// activities window starts 10 units before the earliest run began, and
	// a run whose river's row says nothing for 10 units (doubling up to 80
	// after each such read) is read directly. Set it to the longest wait
	// between two calls. Zero means the client's maximum poll interval
	// (WithPollInterval; DefaultMaxInterval, 30 s, without it).
	MaxInterval time.Duration

	from   time.Time              // the activities window's start at the last call
	rows   map[string]rowCounts   // each river's counts at the last call
	runs   map[string]*checkedRun // the runs followed, by run ID
	direct bool                   // the activities view failed for good: read every run
}

// checkedRun is what a RunsCheck knows of one run (the poller keeps the
// same on its waiter).
type checkedRun struct {
	Since time.Time     `json:"since"`           // when the run began, as far as known
	Seen  time.Time     `json:"seen"`            // last read, or its river's row changed
	Bound time.Duration `json:"bound"`           // silence after which it is read directly
	Fetch bool          `json:"fetch,omitempty"` // its river's row says it may have ended
}

// runsCheckVersion is the form of RunsCheck's JSON. Another form reads as
// a fresh start.
const runsCheckVersion = 1

// runsCheckJSON is RunsCheck as it travels.
type runsCheckJSON struct {
	Version     int                    `json:"v"`
	MaxInterval time.Duration          `json:"max_interval,omitempty"`
	From        time.Time              `json:"from,omitzero"`
	Rivers      map[string]rowJSON     `json:"rivers,omitempty"`
	Runs        map[string]*checkedRun `json:"runs,omitempty"`
	Direct      bool                   `json:"direct,omitempty"`
}

// rowJSON is rowCounts as it travels.
type rowJSON struct {
	InProgress int64     `json:"in_progress"`
	Ended      int64     `json:"ended"`
	LastRun    time.Time `json:"last_run,omitzero"`
	Present    bool      `json:"present,omitempty"`
}

// MarshalJSON writes the check's state.
func (k RunsCheck) MarshalJSON() ([]byte, error) {
	j := runsCheckJSON{Version: runsCheckVersion, MaxInterval: k.MaxInterval, From: k.from, Runs: k.runs, Direct: k.direct}
	if len(k.rows) > 0 {
		j.Rivers = make(map[string]rowJSON, len(k.rows))
		for id, r := range k.rows {
			j.Rivers[id] = rowJSON{InProgress: r.inProgress, Ended: r.ended, LastRun: r.lastRun, Present: r.present}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote. State of another version
// is dropped (the next CheckRuns starts afresh); MaxInterval is kept.
func (k *RunsCheck) UnmarshalJSON(b []byte) error {
	var j runsCheckJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*k = RunsCheck{MaxInterval: j.MaxInterval}
	if j.Version != runsCheckVersion {
		return nil
	}
	k.from, k.runs, k.direct = j.From, j.Runs, j.Direct
	for id, r := range j.Rivers {
		if k.rows == nil {
			k.rows = make(map[string]rowCounts, len(j.Rivers))
		}
		k.rows[id] = rowCounts{inProgress: r.InProgress, ended: r.Ended, lastRun: r.LastRun, present: r.Present}
	}
	for id, r := range k.runs {
		if r == nil {
			delete(k.runs, id)
		}
	}
	return nil
}

// RunCheckError is a status call of CheckRuns that failed: Err is
// GetRun's error. errors.Is and errors.As see through it (a 429 is
// ErrRateLimited, a deleted river's run ErrNotFound).
type RunCheckError struct {
	RiverID, RunID string
	Err            error
}

// Error names the run and the cause.
func (e *RunCheckError) Error() string {
	return fmt.Sprintf("rivery: checking run %s of river %s: %v", e.RunID, e.RiverID, e.Err)
}

// Unwrap returns GetRun's error.
func (e *RunCheckError) Unwrap() error { return e.Err }

// CheckRuns checks once on runs, runs of this client's environment that
// are in progress, for a caller that keeps the state between checks
// itself (a Temporal workflow, say; a program that waits in-process gets
// the same from WaitForRun and its shared poller). One call is one round
// of the shared poller:
//
//  1. GET E/activities once for the whole environment (pages of 200), over
//     the window from 10 check.MaxInterval before the earliest run began
//     (at most WindowSplit back) until now: one row per river, its runs
//     counted by status;
//  2. GetRun (GET E/rivers/{riverID}/runs/{runID}) for each run of each
//     river whose row says a run may have ended since the last call (more
//     runs ended, fewer in progress, or the row gone; on first sight,
//     fewer in progress than the runs passed);
//  3. GetRun for the one run that has heard nothing for the longest, once
//     that silence reaches 10 MaxInterval (doubling up to 80 after each
//     such read): a stale or missing row never hides an end.
//
// So a call costs one request, plus one per run that may have ended, plus
// at most one; a call that finds no run in progress sends nothing. When the
// activities view fails for good (a token without its scope, a window too
// large) and on a client without account and environment IDs (the console
// API's river IDs are not guaranteed to be the activity rows'), every run
// is read with GetRun instead, each call. The calls are the program's own:
// retried as the client's other calls, and not held by the shared
// poller's share of WithRequestBudget. The caller paces the calls.
//
// check is what the last call returned; nil for the first call (or a
// &RunsCheck{MaxInterval: d}). A run that has ended (Status terminal) is
// not read; a run the last call followed that is not passed again is
// forgotten. Each call returns a new RunsCheck and leaves check as it was.
//
// It returns runs with each run it read replaced by what it read (a run
// it did not read comes back as given, the same *Run), and the check for
// the next call. When a call fails, it stops: it returns the runs read
// until then, a check that remembers the runs still to be read, and the
// error, which is the activities call's when that failed transiently (a
// 429, a 5xx, no answer) and a *RunCheckError naming the run when a status
// call failed. Either check may be passed to the next call: the one
// returned goes on where this call stopped; the one given asks again.
// IDs are validated before any request (ErrInvalidArgument), and so is
// each run in progress being passed once only.
func (s *RiversService) CheckRuns(ctx context.Context, runs []*Run, check *RunsCheck) ([]*Run, *RunsCheck, error) {
	if ctx == nil {
		return nil, nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	follow, err := inProgress(runs)
	if err != nil {
		return nil, nil, err
	}
	c := s.client
	k := &checkRound{c: c, now: clockNow(c.clock), runs: runs, out: slices.Clone(runs), follow: follow, u: c.pollMax}
	if check != nil && check.MaxInterval > 0 {
		k.u = check.MaxInterval
	}
	k.st = check.next(runs, follow, k.now, k.u)
	if len(follow) == 0 {
		return k.out, k.st, nil
	}
	return k.out, k.st, k.round(ctx)
}

// inProgress returns the indexes of the runs in progress, checking their
// IDs and that none is passed twice.
func inProgress(runs []*Run) ([]int, error) {
	var follow []int
	seen := make(map[string]bool, len(runs))
	for i, r := range runs {
		if r == nil {
			return nil, fmt.Errorf("%w: nil run %d", ErrInvalidArgument, i)
		}
		if r.Status.Terminal() {
			continue
		}
		if err := validateIDs("river ID", r.RiverID, "run ID", r.ID); err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("%w: run %s is passed twice", ErrInvalidArgument, r.ID)
		}
		seen[r.ID] = true
		follow = append(follow, i)
	}
	return follow, nil
}

// next returns a copy of k (nil: a fresh check) that follows the runs of
// follow: the runs it followed and that are not passed any more are
// forgotten, and a run seen for the first time starts its silence now,
// of directAfter units u.
func (k *RunsCheck) next(runs []*Run, follow []int, now time.Time, u time.Duration) *RunsCheck {
	st := &RunsCheck{rows: map[string]rowCounts{}, runs: make(map[string]*checkedRun, len(follow))}
	if k != nil {
		st.MaxInterval, st.from, st.direct = k.MaxInterval, k.from, k.direct
		maps.Copy(st.rows, k.rows)
	}
	for _, i := range follow {
		r := runs[i]
		var kept *checkedRun
		if k != nil {
			kept = k.runs[r.ID]
		}
		cr := &checkedRun{Since: r.StartedAt, Seen: now, Bound: directAfter * u}
		if kept != nil {
			c := *kept
			cr = &c
		}
		if !r.StartedAt.IsZero() && (cr.Since.IsZero() || r.StartedAt.Before(cr.Since)) {
			cr.Since = r.StartedAt
		}
		if cr.Since.IsZero() {
			cr.Since = now
		}
		st.runs[r.ID] = cr
	}
	return st
}

// checkRound is one call of CheckRuns.
type checkRound struct {
	c         *Client
	st        *RunsCheck
	runs, out []*Run
	follow    []int // indexes of the runs in progress
	now       time.Time
	u         time.Duration
}

// round asks what CheckRuns says, in order, and stops at the first
// failure.
func (k *checkRound) round(ctx context.Context) error {
	direct := k.st.direct || k.c.fixed == nil
	if !direct {
		ok, err := k.readRows(ctx)
		if err != nil {
			return err
		}
		direct = !ok
	}
	for _, i := range k.due(func(cr *checkedRun) bool { return direct || cr.Fetch }) {
		if err := k.read(ctx, i, 0); err != nil {
			return err
		}
	}
	if direct {
		return nil
	}
	silent := k.due(func(cr *checkedRun) bool { return cr.Bound > 0 && k.now.Sub(cr.Seen) >= cr.Bound })
	for _, i := range silent {
		r := k.runs[i]
		if k.c.firstWait(r.RiverID, k.st.runs[r.ID].Since, k.now) > 0 {
			continue // not expected to have ended yet
		}
		return k.read(ctx, i, directAfterMax*k.u) // the longest silent, one a call
	}
	return nil
}

// readRows reads the activity rows and marks the runs whose river's row
// says a run may have ended; it reports false when the activities view
// failed for good (the runs are then read directly, from now on).
func (k *checkRound) readRows(ctx context.Context) (bool, error) {
	pending := map[string]int{}
	var from time.Time
	for _, i := range k.follow {
		r := k.runs[i]
		pending[r.RiverID]++
		if f := k.st.runs[r.ID].Since.Add(-windowSlack * k.u); from.IsZero() || f.Before(from) {
			from = f
		}
	}
	if oldest := k.now.Add(-WindowSplit); from.Before(oldest) {
		from = oldest // an older run is read when it has been silent
	}
	rows, err := k.c.activityRows(ctx, from, k.now, pending)
	if err != nil {
		if k.c.rowsUnavailable(ctx, err) {
			k.st.direct = true
			return false, nil
		}
		return false, err
	}
	shifted := !k.st.from.Equal(from)
	k.st.from = from
	compareRows(k.st.rows, rows, pending, shifted, func(river string, ended, changed bool) {
		for _, i := range k.follow {
			if r := k.runs[i]; r.RiverID == river {
				cr := k.st.runs[r.ID]
				if ended {
					cr.Fetch = true
				}
				if ended || changed {
					cr.Seen, cr.Bound = k.now, directAfter*k.u
				}
			}
		}
	})
	return true, nil
}

// due returns the indexes of the runs in progress, not yet read, for
// which pick holds, the longest silent first.
func (k *checkRound) due(pick func(*checkedRun) bool) []int {
	var out []int
	for _, i := range k.follow {
		if k.out[i] == k.runs[i] && pick(k.st.runs[k.runs[i].ID]) {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return k.st.runs[k.runs[a].ID].Seen.Compare(k.st.runs[k.runs[b].ID].Seen)
	})
	return out
}

// read GETs runs[i]. A run that has ended is forgotten; one still in
// progress has been heard of now, and a read its silence called for
// (maxBound > 0) doubles the silence it may keep next, up to maxBound.
func (k *checkRound) read(ctx context.Context, i int, maxBound time.Duration) error {
	r := k.runs[i]
	run, _, err := k.c.Rivers.GetRun(ctx, r.RiverID, r.ID)
	if err != nil {
		return &RunCheckError{RiverID: r.RiverID, RunID: r.ID, Err: err}
	}
	run.SubRiverID = firstNonEmpty(run.SubRiverID, r.SubRiverID)
	run.GroupID = firstNonEmpty(run.GroupID, r.GroupID)
	k.c.runTimes.record(k.c.runKey(r.RiverID), run)
	k.out[i] = run
	if run.Status.Terminal() {
		delete(k.st.runs, r.ID)
		return nil
	}
	cr := k.st.runs[r.ID]
	cr.Fetch, cr.Seen = false, k.now
	if !run.StartedAt.IsZero() && run.StartedAt.Before(cr.Since) {
		cr.Since = run.StartedAt
	}
	if maxBound > 0 {
		cr.Bound = min(2*cr.Bound, maxBound)
	}
	return nil
}

// activityRows reads GET E/activities, every page of rowsPerPage, over
// from..now, and counts the rows of the rivers of pending (a sub-river's
// row counts for its master river too). The shared poller's rounds and
// CheckRuns both read the rows here.
func (c *Client) activityRows(ctx context.Context, from, now time.Time, pending map[string]int) (map[string]rowCounts, error) {
	rows := make(map[string]rowCounts, len(pending))
	opts := &ActivitiesOptions{ListOptions: ListOptions{PerPage: rowsPerPage}, Window: Window{Start: from, End: now}}
	for a, err := range c.Activities.All(ctx, opts) {
		if err != nil {
			return nil, err
		}
		countRow(rows, pending, a.RiverID, a)
		if a.MasterRiverID != a.RiverID {
			countRow(rows, pending, a.MasterRiverID, a) // a sub-river's row tells about its master's runs
		}
	}
	return rows, nil
}

// rowsUnavailable reports whether err, activityRows' error, means the
// activities view cannot serve this client for good (no scope for it, a
// window too large), logging it; a transient failure (429, 5xx, no
// answer) or the end of ctx is worth another try next round.
func (c *Client) rowsUnavailable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || transient(err) {
		return false
	}
	if l := c.logger; l != nil {
		l.LogAttrs(ctx, slog.LevelDebug, "rivery: shared poller: activities unavailable, reading each run directly",
			slog.String("error", c.auth.printable(err.Error())))
	}
	return true
}

// compareRows compares this round's rows with last, the counts of the
// last round (in a window that started at the same time, unless
// shifted), for each river of pending, and tells mark whether the river's
// row says a run may have ended (mayHaveEnded) and whether it changed at
// all. It leaves this round's counts in last, without the rivers no
// longer pending.
func compareRows(last, rows map[string]rowCounts, pending map[string]int, shifted bool, mark func(river string, ended, changed bool)) {
	for _, key := range slices.Sorted(maps.Keys(pending)) {
		cur := rows[key]
		prev, had := last[key]
		had = had && !shifted
		mark(key, cur.mayHaveEnded(prev, had, pending[key]), had && cur != prev)
		last[key] = cur
	}
	for key := range last {
		if _, ok := pending[key]; !ok {
			delete(last, key)
		}
	}
}
