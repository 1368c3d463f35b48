package rivery

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/rivery-go/rivery/internal/wire"
)

// RiversService triggers rivers and follows their runs. Get it from
// Client.Rivers.
type RiversService service

// Run triggers a run of riverID (a river ID, or what ParseRiverURL returns).
//
// Console API: POST /api/run with {"river_id": riverID}. v1 API:
// POST E/rivers/{riverID}/run, returning the first run of the run group.
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
		return runFromConsole(&w), resp, nil
	}
	var g wire.RunGroup
	u := c.riverURL(*c.fixed, riverID, "run")
	resp, err := c.do(ctx, call{method: http.MethodPost, url: u, body: struct{}{}, out: &g})
	if err != nil {
		return nil, resp, err
	}
	run := runFromGroup(&g, riverID)
	if run == nil {
		return nil, resp, &RequestError{Method: http.MethodPost, URL: u, Attempts: 1, MaybeApplied: true,
			Err: errors.New("the run group " + g.RunGroupID + " holds no run")}
	}
	return run, resp, nil
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
