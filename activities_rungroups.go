package rivery

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// RunGroupActivity is one run group of a river, as the activity view
// reports it: what one trigger (or schedule tick) started, with its
// aggregate status. This is where StatusPartial ("partially succeeded")
// shows, when some of a group's runs succeeded and some did not.
type RunGroupActivity struct {
	ID        string
	RiverID   string
	Status    RunStatus
	RawStatus string
	// Counts are the group's runs (or tables) by status; the group
	// detail fills them, the list may not.
	Counts      StatusCounts
	Units       Units
	StartedAt   time.Time // zero when unknown
	EndedAt     time.Time // zero until the group ends, or when unknown
	MaxDuration time.Duration
	Trigger     string // what started it, as the server says (e.g. "scheduler", "api")
}

func runGroupFromWire(w *wire.RunGroupActivity) *RunGroupActivity {
	return &RunGroupActivity{
		ID:          string(w.RunGroupID),
		RiverID:     string(w.RiverCrossID),
		Status:      ParseRunStatus(w.Status),
		RawStatus:   w.Status,
		Counts:      countsFromWire(&w.Counts),
		Units:       Units(max(w.Units, w.RPU)),
		StartedAt:   firstTime(w.RunDateUTC.Time, w.RunDateMS.Time),
		EndedAt:     firstTime(w.RunEndDateUTC.Time, w.RunEndDateMS.Time),
		MaxDuration: time.Duration(float64(w.MaxDurationMS) * float64(time.Millisecond)),
		Trigger:     string(w.Trigger),
	}
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// WindowOptions selects and pages a river's run history. Window is
// required.
type WindowOptions struct {
	ListOptions
	Window Window
}

func (o *WindowOptions) query() (url.Values, error) {
	if o == nil {
		return nil, fmt.Errorf("%w: WindowOptions with a Window is required", ErrInvalidArgument)
	}
	return windowQuery(o.Window, &o.ListOptions)
}

// RunGroups returns one page of a river's run groups that started in
// opts.Window, newest first: GET E/rivers/{riverID}/activities_run_groups.
func (s *ActivitiesService) RunGroups(ctx context.Context, riverID string, opts *WindowOptions) ([]*RunGroupActivity, *Response, error) {
	return windowPage(ctx, s.client, riverID, "activities_run_groups", opts, runGroupFromWire)
}

// AllRunGroups iterates over every run group of a river in opts.Window,
// newest first, asking for at most WindowSplit at a time and following
// next_page within each (opts is copied), holding one page at a time.
func (s *ActivitiesService) AllRunGroups(ctx context.Context, riverID string, opts *WindowOptions) iter.Seq2[*RunGroupActivity, error] {
	return allWindows(ctx, s.client, riverID, "activities_run_groups", opts, runGroupFromWire,
		func(g *RunGroupActivity) (string, time.Time) { return g.ID, g.StartedAt })
}

// RunGroup returns one run group with its counts by status:
// GET E/rivers/{riverID}/activities_run_groups/{runGroupID}.
func (s *ActivitiesService) RunGroup(ctx context.Context, riverID, runGroupID string) (*RunGroupActivity, *Response, error) {
	if err := validateIDs("river ID", riverID, "run group ID", runGroupID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.RunGroupActivity
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.riverURL(sc, riverID, "activities_run_groups", runGroupID), out: &w})
	if err != nil {
		return nil, resp, err
	}
	g := runGroupFromWire(&w)
	if g.ID == "" {
		g.ID = runGroupID
	}
	if g.RiverID == "" {
		g.RiverID = riverID
	}
	return g, resp, nil
}

// RunRecord is one run, task or target table as the activity and run
// detail calls report it (sub-river runs, Targets, RunTasks). Fields a
// call does not return stay zero.
type RunRecord struct {
	RunID      string
	TaskID     string
	RunGroupID string
	RiverID    string
	SubRiverID string
	// Name is the sub-river's, the task's or the target table's name.
	Name      string
	Source    string
	Target    string
	Status    RunStatus
	RawStatus string
	Message   string // the error description, if any
	Units     Units
	Rows      Rows
	Bytes     int64
	StartedAt time.Time
	EndedAt   time.Time
	LastRun   time.Time // Targets: the table's latest run
}

func recordFromWire(w *wire.RunDetail) *RunRecord {
	status := firstNonEmpty(w.Status, w.TaskStatus) // tasks say task_status
	return &RunRecord{
		RunID:      string(w.RunID),
		TaskID:     string(w.TaskID),
		RunGroupID: string(w.RunGroupID),
		RiverID:    string(w.RiverCrossID),
		SubRiverID: string(w.SubRiverID),
		Name: firstNonEmpty(string(w.SubRiverName), string(w.TaskName), string(w.TableName), string(w.Name),
			string(w.RiverName), string(w.TargetName), string(w.TargetTable)),
		Source:    firstNonEmpty(string(w.SourceName), string(w.Source)),
		Target:    firstNonEmpty(string(w.TargetName), string(w.Target)),
		Status:    ParseRunStatus(status),
		RawStatus: status,
		Message:   firstNonEmpty(string(w.ErrorDescription), string(w.ErrorMessage)),
		Units:     Units(max(w.Units, w.RPU)),
		Rows:      Rows(w.TotalRows),
		Bytes:     int64(w.TotalSize),
		StartedAt: firstTime(w.StartDateUTC.Time, w.StartDateMS.Time),
		EndedAt:   firstTime(w.EndDateUTC.Time, w.EndDateMS.Time),
		LastRun:   w.LastRun.Time,
	}
}

// SubRiverRuns returns one page of the runs of a master river's
// sub-rivers that started in opts.Window:
// GET E/rivers/{riverID}/activities_sub_rivers. The server may answer it
// unpaged; the Response then carries no next page.
func (s *ActivitiesService) SubRiverRuns(ctx context.Context, riverID string, opts *WindowOptions) ([]*RunRecord, *Response, error) {
	return windowPage(ctx, s.client, riverID, "activities_sub_rivers", opts, recordFromWire)
}

// AllSubRiverRuns iterates over every sub-river run of a master river in
// opts.Window, as AllRunGroups does.
func (s *ActivitiesService) AllSubRiverRuns(ctx context.Context, riverID string, opts *WindowOptions) iter.Seq2[*RunRecord, error] {
	return allWindows(ctx, s.client, riverID, "activities_sub_rivers", opts, recordFromWire,
		func(r *RunRecord) (string, time.Time) { return r.RunID, r.StartedAt })
}

// windowedOptions are the options of a windowed river list.
type windowedOptions interface {
	query() (url.Values, error) // an error wrapping ErrInvalidArgument for a nil receiver
	window() Window
}

func (o *WindowOptions) window() Window { return o.Window }

// windowPage GETs one page of E/rivers/{riverID}/{path} in opts' window.
func windowPage[W, T any](ctx context.Context, c *Client, riverID, path string, opts windowedOptions, conv func(*W) T) ([]T, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	sc, err := c.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	out, resp, err := listMapped(ctx, c, c.riverURL(sc, riverID, path), q, conv)
	return out, resp, windowError(err, opts.window())
}

// allWindows walks E/rivers/{riverID}/{path} over opts.Window split into
// WindowSplit windows, newest first, following next_page within each.
// Neighboring windows share a boundary instant, so an item started
// within a second of a window's start is remembered (by key) and dropped
// if the next, older window returns it again: memory stays that small.
func allWindows[W, T any](ctx context.Context, c *Client, riverID, path string, opts *WindowOptions, conv func(*W) T, key func(T) (string, time.Time)) iter.Seq2[T, error] {
	var o *WindowOptions
	if opts != nil {
		cp := *opts
		o = &cp
	}
	return func(yield func(T, error) bool) {
		var zero T
		if err := validateID("river ID", riverID); err != nil {
			yield(zero, err)
			return
		}
		if _, err := o.query(); err != nil {
			yield(zero, err)
			return
		}
		sc, err := c.v1Scope(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		u := c.riverURL(sc, riverID, path)
		fetch := func(ctx context.Context, u string, q any) ([]T, *Response, error) {
			return listMapped(ctx, c, u, q, conv)
		}
		var seen map[string]bool
		for sub := range o.Window.Split(WindowSplit) {
			q, _ := windowQuery(sub, &o.ListOptions)
			var edge map[string]bool
			for it, err := range allPages(ctx, c, u, q, fetch) {
				if err != nil {
					yield(zero, windowError(err, sub))
					return
				}
				id, at := key(it)
				if id != "" && seen[id] {
					continue
				}
				if id != "" && nearStart(at, sub) {
					if edge == nil {
						edge = map[string]bool{}
					}
					edge[id] = true
				}
				if !yield(it, nil) {
					return
				}
			}
			seen = edge
		}
	}
}

// nearStart reports whether t lies within the second a window starts in
// (as sent, rounded down), where the next, older window may return it too.
func nearStart(t time.Time, w Window) bool {
	start := w.Start.Truncate(time.Second)
	return !t.Before(start) && t.Before(start.Add(time.Second))
}

// TargetSort orders Targets.
type TargetSort string

// The orders of Targets.
const (
	TargetSortUnits     TargetSort = "units"
	TargetSortLastRun   TargetSort = "last_run"
	TargetSortTableName TargetSort = "table_name"
)

// SortOrder is ascending or descending.
type SortOrder string

// The sort orders.
const (
	SortAscending  SortOrder = "asc"
	SortDescending SortOrder = "desc"
)

// TargetsOptions filters and sorts Targets. Window is required.
type TargetsOptions struct {
	ListOptions
	Window     Window
	Statuses   []RunStatus // any of these; sent as repeated status
	RunGroupID string
	SubRiverID string
	SortBy     TargetSort
	SortOrder  SortOrder
}

func (o *TargetsOptions) query() (url.Values, error) {
	if o == nil {
		return nil, fmt.Errorf("%w: TargetsOptions with a Window is required", ErrInvalidArgument)
	}
	v, err := windowQuery(o.Window, &o.ListOptions)
	if err != nil {
		return nil, err
	}
	for _, st := range o.Statuses {
		v.Add("status", string(st))
	}
	for _, p := range [][3]string{{"run group ID", "run_group_id", o.RunGroupID}, {"sub-river ID", "sub_river_id", o.SubRiverID}} {
		if p[2] == "" {
			continue
		}
		if err := validateID(p[0], p[2]); err != nil {
			return nil, err
		}
		v.Set(p[1], p[2])
	}
	if o.SortBy != "" {
		v.Set("sort_by", string(o.SortBy))
	}
	if o.SortOrder != "" {
		v.Set("sort_order", string(o.SortOrder))
	}
	return v, nil
}

// Targets breaks a multi-table river's runs in opts.Window down per
// target table: GET E/rivers/{riverID}/activities_targets. Each record's
// Name is the table; Units, Rows and LastRun are the table's.
func (s *ActivitiesService) Targets(ctx context.Context, riverID string, opts *TargetsOptions) ([]*RunRecord, *Response, error) {
	return windowPage(ctx, s.client, riverID, "activities_targets", opts, recordFromWire)
}

func (o *TargetsOptions) window() Window { return o.Window }
