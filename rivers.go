package rivery

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rivery-go/rivery/internal/wire"
)

// RiversService triggers rivers and follows their runs. Get it from
// Client.Rivers.
type RiversService service

// Run triggers a run of riverID (a river ID, or what ParseRiverURL returns).
//
// Console API: POST /api/run with {"river_id": riverID}. v1 API:
// POST E/rivers/{riverID}/run, which answers a run group: the Run returned
// is its run, or stands for the whole group when it started several (see
// Run.Group). A skipped trigger (a run already in flight) comes back as a
// Run with StatusSkipped, and InFlightRunID set when the server named the
// run in flight.
//
// A 2xx answer that names no run is a *RequestError matching
// ErrNoRunStarted, whose message says whether a run may have started: an
// empty runs list means none did; {}, null or runs without IDs leave it
// unknown. A 2xx that carries an "error" instead of runs (the API's "Rate
// limit exceeded: 1 per 1 minute") started nothing: its *RequestError
// matches ErrRateLimited too, quotes the server, and is not MaybeApplied,
// so the trigger is safe to send again later.
//
// A trigger is never sent twice by the SDK unless the first try provably
// did not reach the server or was answered 429. If the outcome is unknown
// (a cut connection, a timeout, an unreadable answer, a 5xx)
// MaybeApplied(err) is true: look for the run with FindRunSince before
// triggering again.
func (s *RiversService) Run(ctx context.Context, riverID string) (*Run, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	c := s.client
	if !c.usesV1() {
		var w wire.ConsoleRun
		resp, err := c.do(ctx, call{method: http.MethodPost, url: c.urls.run, body: wire.RunRiver{RiverID: riverID}, out: &w})
		if err != nil {
			return nil, resp, err
		}
		run := runFromConsole(&w)
		if run.ID == "" && run.InFlightRunID == "" {
			return nil, resp, noRunStarted(c.urls.run, nil)
		}
		return run, resp, nil
	}
	return s.trigger(ctx, c.riverURL(*c.fixed, riverID, "run"), riverID)
}

// trigger sends a v1 trigger to u and reads the run group it answers.
func (s *RiversService) trigger(ctx context.Context, u, riverID string) (*Run, *Response, error) {
	var g wire.RunGroup
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: u, body: emptyObject, out: &g})
	if err != nil {
		return nil, resp, err
	}
	run := runFromGroup(&g, riverID)
	switch {
	case run != nil:
		return run, resp, nil
	case g.Error != "" && len(g.Runs) == 0:
		return nil, resp, triggerRefused(u, resp.StatusCode, string(g.Error), s.client.auth)
	}
	return nil, resp, noRunStarted(u, &g)
}

// triggerRefused is the error for a 2xx trigger answer that carries an
// error instead of runs: nothing started (not MaybeApplied). It matches
// ErrNoRunStarted, and ErrRateLimited too when the server says so.
func triggerRefused(u string, status int, text string, scrub secret) *RequestError {
	text = clip(safeText(text), maxMessage)
	err := fmt.Errorf("%w: the server answered %d with the error %q: no run started", ErrNoRunStarted, status, text)
	if t := strings.ToLower(text); strings.Contains(t, "rate limit") || strings.Contains(t, "too many") {
		err = fmt.Errorf("%w (%w): the server answered %d with %q: no run started; try again later", ErrRateLimited, ErrNoRunStarted, status, text)
	}
	return &RequestError{Method: http.MethodPost, URL: u, Attempts: 1, Err: err, scrub: scrub}
}

// noRunStarted is the error for a 2xx trigger answer that names no run.
// The trigger reached the server, so MaybeApplied is set; the message says
// whether a run may have started: an empty runs list says none did, any
// other such answer leaves it unknown.
func noRunStarted(u string, g *wire.RunGroup) *RequestError {
	e := &RequestError{Method: http.MethodPost, URL: u, Attempts: 1, MaybeApplied: true}
	if g != nil && g.Runs != nil && len(g.Runs) == 0 {
		e.Err = fmt.Errorf("%w: run group %q lists no runs: no run started (the river has nothing to run)", ErrNoRunStarted, g.RunGroupID)
		return e
	}
	e.Err = fmt.Errorf("%w: a run may have started all the same; look for it with ListRuns", ErrNoRunStarted)
	return e
}

// RunSubRiver triggers one sub-river of a master river:
// POST E/rivers/{riverID}/sub_rivers/{subRiverID}/run (v1 API only; a
// token-only client learns its IDs once). Its answer is read as Run's.
func (s *RiversService) RunSubRiver(ctx context.Context, riverID, subRiverID string) (*Run, *Response, error) {
	if err := validateIDs("river ID", riverID, "sub-river ID", subRiverID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.trigger(ctx, s.client.riverURL(sc, riverID, "sub_rivers", subRiverID, "run"), riverID)
}

// GetRun returns the current state of a run.
//
// Console API: GET /api/check_run?run_id={runID} (riverID is checked but not
// sent). v1 API: GET E/rivers/{riverID}/runs/{runID}.
func (s *RiversService) GetRun(ctx context.Context, riverID, runID string) (*Run, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	c := s.client
	if !c.usesV1() {
		var w wire.ConsoleRun
		u := c.urls.checkRun + "?run_id=" + url.QueryEscape(runID)
		resp, err := c.do(ctx, call{method: http.MethodGet, url: u, out: &w})
		if err != nil {
			return nil, resp, err
		}
		run := runFromConsole(&w)
		if run.RiverID == "" {
			run.RiverID = riverID
		}
		return run, resp, nil
	}
	var w wire.Run
	resp, err := c.do(ctx, call{method: http.MethodGet, url: c.riverURL(*c.fixed, riverID, "runs", runID), out: &w})
	if err != nil {
		return nil, resp, err
	}
	run := runFromV1(&w)
	if run.RiverID == "" {
		run.RiverID = riverID
	}
	return run, resp, nil
}

// CancelRun asks Rivery to stop a run. Canceling a run that already ended
// is an *APIError matching ErrBadRequest.
//
// Console API: POST /api/run/cancel with {"run_id": runID}. v1 API:
// POST E/rivers/{riverID}/cancel_run with {"run_id": runID}.
func (s *RiversService) CancelRun(ctx context.Context, riverID, runID string) (*Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, err
	}
	c := s.client
	u := c.urls.cancel
	if c.usesV1() {
		u = c.riverURL(*c.fixed, riverID, "cancel_run")
	}
	return c.do(ctx, call{method: http.MethodPost, url: u, body: wire.CancelRun{RunID: runID}})
}

// CancelRunGroup asks Rivery to stop every run of a v1 run group (Run.GroupID):
// POST E/rivers/{riverID}/cancel_run with {"run_group_id": runGroupID} (v1
// API only; a token-only client learns its IDs once). Canceling is
// asynchronous: the runs settle as canceled (or failed with "Run
// canceled", which the SDK reports as StatusCanceled).
func (s *RiversService) CancelRunGroup(ctx context.Context, riverID, runGroupID string) (*Response, error) {
	if err := validateIDs("river ID", riverID, "run group ID", runGroupID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodPost, url: s.client.riverURL(sc, riverID, "cancel_run"), body: wire.CancelRunGroup{RunGroupID: runGroupID}})
}
