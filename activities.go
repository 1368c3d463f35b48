package rivery

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// ActivitiesService is the environment-wide view of runs: what ran, what
// failed and what it cost, across every river, in one call rather than
// polling river by river against the API's rate limit (about 15 requests
// a minute). Every call uses the v1 API; a token-only client learns its
// IDs once through GET /api/me.
type ActivitiesService service

// Units are processing units, the consumption metric a run is billed in
// (Boomi Data Units in today's console, RPU in older material).
type Units float64

// Rows is a row count.
type Rows int64

// StatusCounts are runs counted by status.
type StatusCounts struct {
	Pending, Running, Succeeded, Failed, Canceled, Skipped int64
}

// Total is the sum of all counts.
func (c StatusCounts) Total() int64 {
	return c.Pending + c.Running + c.Succeeded + c.Failed + c.Canceled + c.Skipped
}

// Of returns the count of one status; 0 for a status that is not counted.
func (c StatusCounts) Of(s RunStatus) int64 {
	switch s {
	case StatusPending:
		return c.Pending
	case StatusRunning:
		return c.Running
	case StatusSucceeded:
		return c.Succeeded
	case StatusFailed:
		return c.Failed
	case StatusCanceled:
		return c.Canceled
	case StatusSkipped:
		return c.Skipped
	}
	return 0
}

func countsFromWire(w *wire.Counts) StatusCounts {
	return StatusCounts{
		Pending:   int64(max(w.Pending, w.Waiting)), // the old names may come as aliases too
		Running:   int64(w.Running),
		Succeeded: int64(max(w.Succeeded, w.Success)),
		Failed:    int64(w.Failed),
		Canceled:  int64(w.Canceled),
		Skipped:   int64(w.Skipped),
	}
}

// Activity is one river's runs in a window, aggregated: an item of
// GET E/activities. It is a summary per river, not a run; a river's runs
// themselves come from Rivers.ListRuns.
type Activity struct {
	RiverID       string
	RiverName     string
	GroupID       string
	MasterRiverID string // the master river of a sub-river's row
	SubRiver      bool
	MasterRiver   bool
	Scheduled     bool
	Counts        StatusCounts
	Units         Units
	Bytes         int64 // data moved
	Files         int64
	LastRun       time.Time // zero when unknown
}

func activityFromWire(w *wire.Activity) *Activity {
	return &Activity{
		RiverID:       firstNonEmpty(string(w.CrossID), string(w.RiverCrossID), string(w.RiverID)),
		RiverName:     firstNonEmpty(string(w.RiverName), string(w.Name)),
		GroupID:       string(w.GroupID),
		MasterRiverID: string(w.MasterRiverID),
		SubRiver:      bool(w.IsSubRiver),
		MasterRiver:   bool(w.IsMasterRiver),
		Scheduled:     bool(w.IsScheduled),
		Counts:        countsFromWire(&w.Counts),
		Units:         Units(max(w.Units, w.RPU)),
		Bytes:         int64(w.TotalSize),
		Files:         int64(w.TotalFiles),
		LastRun:       w.LastRun.Time,
	}
}

// ActivitiesOptions selects and pages Activities.List. Window is required.
type ActivitiesOptions struct {
	ListOptions
	Window  Window
	GroupID string // only rivers of this river group
}

func (o *ActivitiesOptions) query() (url.Values, error) {
	if o == nil {
		return nil, fmt.Errorf("%w: ActivitiesOptions with a Window is required", ErrInvalidArgument)
	}
	v, err := windowQuery(o.Window, &o.ListOptions)
	if err != nil {
		return nil, err
	}
	if o.GroupID != "" {
		if err := validateID("group ID", o.GroupID); err != nil {
			return nil, err
		}
		v.Set("group_id", o.GroupID)
	}
	return v, nil
}

// windowQuery is the query of a windowed list: page, items_per_page,
// start_time and end_time.
func windowQuery(w Window, lo *ListOptions) (url.Values, error) {
	if err := w.validate(); err != nil {
		return nil, err
	}
	if err := lo.validate(); err != nil {
		return nil, err
	}
	v := url.Values{}
	if lo != nil && lo.Page > 0 {
		v.Set("page", strconv.Itoa(lo.Page))
	}
	if lo != nil && lo.PerPage > 0 {
		v.Set("items_per_page", strconv.Itoa(lo.PerPage))
	}
	w.setQuery(v)
	return v, nil
}

// List returns one page of activity rows, one per river that ran in
// opts.Window: GET E/activities. Use it instead of asking river by river.
func (s *ActivitiesService) List(ctx context.Context, opts *ActivitiesOptions) ([]*Activity, *Response, error) {
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	out, resp, err := s.list(ctx, s.client.envURL(sc, "activities"), q)
	return out, resp, windowError(err, opts.Window)
}

func (s *ActivitiesService) list(ctx context.Context, u string, q any) ([]*Activity, *Response, error) {
	return listMapped(ctx, s.client, u, q, activityFromWire)
}

// All iterates over every activity row of opts.Window, following
// next_page from the page opts selects (opts is copied), holding one page
// at a time. The window is asked about whole: each row aggregates a river
// over the entire window, so splitting it would count rivers twice. It
// stops at the first error, which it yields, and when the loop breaks.
func (s *ActivitiesService) All(ctx context.Context, opts *ActivitiesOptions) iter.Seq2[*Activity, error] {
	var o *ActivitiesOptions
	if opts != nil {
		cp := *opts
		o = &cp
	}
	return func(yield func(*Activity, error) bool) {
		q, err := o.query()
		if err != nil {
			yield(nil, err)
			return
		}
		sc, err := s.client.v1Scope(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		for a, err := range allPages(ctx, s.client, s.client.envURL(sc, "activities"), q, s.list) {
			if !yield(a, windowError(err, o.Window)) || err != nil {
				return
			}
		}
	}
}

// StatisticsOptions selects what Statistics and RiverStatistics count.
// Window is required.
type StatisticsOptions struct {
	Window Window
	Status RunStatus // only runs in this status; empty counts all
}

// Statistics are run counts by status and the units they used, over a
// window.
type Statistics struct {
	Counts StatusCounts
	Units  Units
}

// Statistics counts the environment's runs in opts.Window by status, with
// the units they used: GET E/activities_statistics.
func (s *ActivitiesService) Statistics(ctx context.Context, opts *StatisticsOptions) (*Statistics, *Response, error) {
	return s.statistics(ctx, "", opts)
}

// RiverStatistics is Statistics for one river:
// GET E/rivers/{riverID}/activities_statistics.
func (s *ActivitiesService) RiverStatistics(ctx context.Context, riverID string, opts *StatisticsOptions) (*Statistics, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	return s.statistics(ctx, riverID, opts)
}

func (s *ActivitiesService) statistics(ctx context.Context, riverID string, opts *StatisticsOptions) (*Statistics, *Response, error) {
	if opts == nil {
		return nil, nil, fmt.Errorf("%w: StatisticsOptions with a Window is required", ErrInvalidArgument)
	}
	q, err := windowQuery(opts.Window, nil)
	if err != nil {
		return nil, nil, err
	}
	if opts.Status != "" {
		q.Set("status", string(opts.Status))
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	u := s.client.envURL(sc, "activities_statistics")
	if riverID != "" {
		u = s.client.riverURL(sc, riverID, "activities_statistics")
	}
	var w wire.Statistics
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, query: q, out: &w})
	if err != nil {
		return nil, resp, windowError(err, opts.Window)
	}
	return &Statistics{Counts: countsFromWire(&w.Counts), Units: Units(max(w.TotalUnits, w.TotalRPU))}, resp, nil
}

// listMapped GETs one list, an envelope or a bare array, and maps its
// non-nil items. Pagination is recorded in the Response when the answer
// was an envelope.
func listMapped[W, T any](ctx context.Context, c *Client, u string, q any, conv func(*W) T) ([]T, *Response, error) {
	var l wire.Items[*W]
	resp, err := c.do(ctx, call{method: http.MethodGet, url: u, query: q, out: &l, limit: limitPage})
	if err != nil {
		return nil, resp, err
	}
	if l.Paged {
		setPaging(resp, &l.Envelope)
	}
	out := make([]T, 0, len(l.Items))
	for _, w := range l.Items {
		if w != nil {
			out = append(out, conv(w))
		}
	}
	return out, resp, nil
}
