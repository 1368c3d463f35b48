package rivery

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/rivery-go/rivery/internal/wire"
)

// River is a river (a data pipeline) as either list or detail call returns
// it. Fields a call does not return stay zero: the list leaves out Kind,
// Schedulers, Settings and Properties.
type River struct {
	ID          string // "river_cross_id" in lists, "cross_id" in details
	Name        string
	Type        string // e.g. "source_to_target"
	Kind        string // e.g. "main_river"
	GroupID     string
	GroupName   string
	Description string
	Status      RiverStatus
	Schedulers  []Scheduler
	// Settings and Properties are kept as the server sent them: their shape
	// depends on the river's type.
	Settings   json.RawMessage
	Properties json.RawMessage
}

// RiverStatus says whether a river can run.
type RiverStatus string

// The statuses of a river.
const (
	RiverActive   RiverStatus = "active"
	RiverDisabled RiverStatus = "disabled"
)

// Scheduler is one schedule of a river.
type Scheduler struct {
	CronExpression string
	Enabled        bool
}

func riverFromWire(w *wire.River) *River {
	r := &River{
		ID:          firstNonEmpty(w.RiverCrossID, w.CrossID, w.RiverID),
		Name:        w.Name,
		Type:        firstNonEmpty(w.Type, w.RiverType),
		Kind:        w.Kind,
		GroupID:     w.GroupID,
		GroupName:   w.GroupName,
		Description: w.Description,
		Status:      RiverStatus(w.RiverStatus),
		Settings:    w.Settings,
		Properties:  w.Properties,
	}
	if m := w.Metadata; m != nil {
		r.Description = firstNonEmpty(m.Description, r.Description)
		r.Status = RiverStatus(firstNonEmpty(m.RiverStatus, string(r.Status)))
	}
	for _, s := range w.Schedulers {
		r.Schedulers = append(r.Schedulers, Scheduler{s.CronExpression, s.IsEnabled})
	}
	return r
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ListRiversOptions filters and pages Rivers.List. The console API returns
// every river at once and ignores it.
type ListRiversOptions struct {
	ListOptions
	Name    string `url:"name,omitempty"`
	GroupID string `url:"group_id,omitempty"`
}

func (o *ListRiversOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// List returns rivers: one page of GET E/rivers on the v1 API (filtered by
// opts), or all of GET /api/rivers on the console API.
func (s *RiversService) List(ctx context.Context, opts *ListRiversOptions) ([]*River, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	c := s.client
	if !c.usesV1() {
		var ws []*wire.River
		resp, err := c.do(ctx, call{method: http.MethodGet, url: c.urls.rivers, out: &ws, limit: limitPage})
		if err != nil {
			return nil, resp, err
		}
		return riversFromWire(ws), resp, nil
	}
	return s.listV1(ctx, c.envURL(*c.fixed, "rivers"), opts)
}

func (s *RiversService) listV1(ctx context.Context, u string, q any) ([]*River, *Response, error) {
	ws, resp, err := listPage[*wire.River](ctx, s.client, u, q)
	if err != nil {
		return nil, resp, err
	}
	return riversFromWire(ws), resp, nil
}

func riversFromWire(ws []*wire.River) []*River {
	out := make([]*River, 0, len(ws))
	for _, w := range ws {
		if w != nil {
			out = append(out, riverFromWire(w))
		}
	}
	return out
}

// All iterates over every river, following next_page on the v1 API (from
// the page opts selects; opts is copied), holding one page at a time. It
// stops at the first error, which it yields, and when the loop breaks.
func (s *RiversService) All(ctx context.Context, opts *ListRiversOptions) iter.Seq2[*River, error] {
	var o ListRiversOptions
	if opts != nil {
		o = *opts
	}
	return func(yield func(*River, error) bool) {
		if err := o.validate(); err != nil {
			yield(nil, err)
			return
		}
		c := s.client
		if !c.usesV1() {
			rivers, _, err := s.List(ctx, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, r := range rivers {
				if !yield(r, nil) {
					return
				}
			}
			return
		}
		allPages(ctx, c, c.envURL(*c.fixed, "rivers"), &o, s.listV1)(yield)
	}
}

// Get returns one river with its schedules, settings and properties:
// GET /api/rivers/{riverID} or GET E/rivers/{riverID}.
func (s *RiversService) Get(ctx context.Context, riverID string) (*River, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	c := s.client
	u := c.urls.rivers + "/" + url.PathEscape(riverID)
	if c.usesV1() {
		u = c.riverURL(*c.fixed, riverID)
	}
	var w wire.River
	resp, err := c.do(ctx, call{method: http.MethodGet, url: u, out: &w, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	return riverFromWire(&w), resp, nil
}

// ListRunsOptions selects runs by start time, and pages them. Both times
// are required.
type ListRunsOptions struct {
	ListOptions
	StartTime time.Time `url:"-"` // sent as start_time, UTC RFC 3339, rounded down to the second
	EndTime   time.Time `url:"-"` // sent as end_time, UTC RFC 3339, rounded up to the second
}

func (o *ListRunsOptions) query() (url.Values, error) {
	switch {
	case o == nil:
		return nil, fmt.Errorf("%w: ListRunsOptions with StartTime and EndTime is required", ErrInvalidArgument)
	case o.StartTime.IsZero() || o.EndTime.IsZero():
		return nil, fmt.Errorf("%w: ListRunsOptions needs both StartTime and EndTime", ErrInvalidArgument)
	case o.EndTime.Before(o.StartTime):
		return nil, fmt.Errorf("%w: EndTime %s is before StartTime %s", ErrInvalidArgument,
			o.EndTime.UTC().Format(time.RFC3339), o.StartTime.UTC().Format(time.RFC3339))
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	v, err := query.Values(o.ListOptions)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidArgument, err)
	}
	// Whole seconds, widened so the window still holds what was asked.
	end := o.EndTime.Truncate(time.Second)
	if end.Before(o.EndTime) {
		end = end.Add(time.Second)
	}
	v.Set("start_time", o.StartTime.Truncate(time.Second).UTC().Format(time.RFC3339))
	v.Set("end_time", end.UTC().Format(time.RFC3339))
	return v, nil
}

// ListRuns returns one page of a river's runs that started between
// opts.StartTime and opts.EndTime, newest first:
// GET E/rivers/{riverID}/runs (v1 API only; a token-only client learns its
// IDs once). It is how to find a run whose trigger answer was lost.
func (s *RiversService) ListRuns(ctx context.Context, riverID string, opts *ListRunsOptions) ([]*Run, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	ws, resp, err := listPage[*wire.Run](ctx, s.client, s.client.riverURL(sc, riverID, "runs"), q)
	if err != nil {
		return nil, resp, err
	}
	runs := make([]*Run, 0, len(ws))
	for _, w := range ws {
		if w != nil {
			runs = append(runs, runFromV1(w))
		}
	}
	return runs, resp, nil
}

// LogEntry is one line of a run's log.
type LogEntry struct {
	Time    time.Time // zero when the server's timestamp is unreadable
	Level   string
	Message string
}

// RunLogs returns a run's log, newest first as the server sends it:
// GET E/rivers/{riverID}/runs/{runID}/logs, a CSV of timestamp, level, msg
// (v1 API only). The body is bounded like every other.
func (s *RiversService) RunLogs(ctx context.Context, riverID, runID string) ([]LogEntry, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var body []byte
	u := s.client.riverURL(sc, riverID, "runs", runID, "logs")
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &body, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	entries, err := parseLogs(body)
	if err != nil {
		return nil, resp, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: err}
	}
	return entries, resp, nil
}

// parseLogs reads the log CSV. A header row (timestamp,level,msg) is
// skipped; each other row needs three fields.
func parseLogs(body []byte) ([]LogEntry, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var entries []LogEntry
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading log CSV: %w", err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "timestamp") {
			continue
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("reading log CSV: record %d has %d fields, want 3", line, len(rec))
		}
		entries = append(entries, LogEntry{Time: wire.ParseTime(rec[0]), Level: rec[1], Message: strings.Join(rec[2:], ",")})
	}
}

// Operation is an asynchronous change to a river (activation, disabling).
type Operation struct {
	ID           string
	Status       OperationStatus
	ErrorMessage string
}

// OperationStatus is an operation's state, as the API's letters.
type OperationStatus string

// The states of an operation.
const (
	OperationWaiting OperationStatus = "W"
	OperationRunning OperationStatus = "R"
	OperationDone    OperationStatus = "D"
	OperationFailed  OperationStatus = "E"
)

// Done reports whether the operation has ended, well or not. Unknown
// states count as ended, so a waiter never hangs on them.
func (s OperationStatus) Done() bool {
	return s != OperationWaiting && s != OperationRunning
}

// OperationError is returned by WaitForOperation when an operation ends in
// any state but D; it carries the server's message.
type OperationError struct {
	Operation *Operation

	scrub secret // the client's token, scrubbed from Error
}

// Error reports the operation and the server's message.
func (e *OperationError) Error() string {
	msg := "rivery: operation " + e.Operation.ID + " ended " + string(e.Operation.Status)
	if e.Operation.ErrorMessage != "" {
		msg += ": " + clip(e.Operation.ErrorMessage, maxMessage)
	}
	return e.scrub.printable(msg)
}

func operationFromWire(w *wire.Operation) *Operation {
	return &Operation{ID: w.OperationID, Status: OperationStatus(w.Status), ErrorMessage: w.ErrorMessage}
}

// Activate makes a disabled river runnable again:
// POST E/rivers/{riverID}/activate_river (v1 API only). It returns the
// operation to pass to WaitForOperation; a river already active comes back
// as a finished operation (the server's 204).
func (s *RiversService) Activate(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.setActive(ctx, riverID, "activate_river")
}

// Disable stops a river from running: POST E/rivers/{riverID}/disable_river
// (v1 API only). See Activate.
func (s *RiversService) Disable(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.setActive(ctx, riverID, "disable_river")
}

func (s *RiversService) setActive(ctx context.Context, riverID, action string) (*Operation, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.Operation
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.riverURL(sc, riverID, action), body: struct{}{}, out: &w})
	if err != nil {
		return nil, resp, err
	}
	if resp.StatusCode == http.StatusNoContent {
		return &Operation{Status: OperationDone}, resp, nil
	}
	return operationFromWire(&w), resp, nil
}

// WaitForOperation polls GET E/operations/{id} until op ends, with the
// same intervals as WaitForRun. The error is nil only when it ended D; an
// E comes back as an *OperationError with the server's message. An op that
// has already ended (such as Activate's answer to an active river) returns
// at once.
func (s *RiversService) WaitForOperation(ctx context.Context, op *Operation, opts *WaitOptions) (*Operation, error) {
	if op == nil {
		return nil, fmt.Errorf("%w: nil operation", ErrInvalidArgument)
	}
	if op.Status.Done() && op.Status != "" {
		return op, s.client.sealed(operationOutcome(op))
	}
	if err := validateID("operation ID", op.ID); err != nil {
		return nil, err
	}
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	u := s.client.envURL(sc, "operations", op.ID)
	done, err := pollUntil(ctx, s.client.clock, op, false, minI, maxI, func() (*Operation, bool, error) {
		var w wire.Operation
		if _, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &w}); err != nil {
			return nil, false, err
		}
		next := operationFromWire(&w)
		return next, next.Status.Done(), nil
	})
	if err != nil {
		return done, err
	}
	return done, s.client.sealed(operationOutcome(done))
}

func operationOutcome(op *Operation) error {
	if op.Status == OperationDone {
		return nil
	}
	return &OperationError{Operation: op}
}

// ScopeInfo describes a scope a token can be granted.
type ScopeInfo struct {
	Name        Scope
	Description string
}

// Scopes lists the scopes a token can be granted: GET /v1/scopes.
func (s *TokensService) Scopes(ctx context.Context) ([]ScopeInfo, *Response, error) {
	var ws []*wire.ScopeInfo
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.v1 + pathScopes, out: &ws, limit: limitPage})
	if err != nil {
		return nil, resp, err
	}
	out := make([]ScopeInfo, 0, len(ws))
	for _, w := range dropNil(ws) {
		out = append(out, ScopeInfo{Scope(w.Name), w.Description})
	}
	return out, resp, nil
}
