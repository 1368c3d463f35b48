package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// River is a river (a data pipeline) as either list or detail call returns
// it. Fields a call does not return stay zero: the v1 list leaves out Kind,
// Schedulers, Settings and Properties; the console API (list and detail)
// gives no Kind, Settings or Properties, and fills the fields below them
// from its river_definitions; the v1 detail fills them from its schedulers
// and metadata.
type River struct {
	ID          string // "river_cross_id" in lists, "cross_id" in details
	Name        string
	Type        string // e.g. "source_to_target" (v1), "src_to_trgt" or "logic" (console)
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

	// The fields below come from the console API's river_definitions (both
	// its list and its detail), and on the v1 API from the detail's
	// schedulers and metadata (rivers_search items give the schedule and
	// the last change; the v1 list none of them).

	// Schedule is the river's cron expression (Rivery's 7-field form on the
	// console API, 5 fields on the v1 API), empty when it has none. It is
	// also in Schedulers.
	Schedule string
	// Scheduled reports whether the schedule is on.
	Scheduled bool
	// TypeTitle is the type's display name, e.g. "Source to Target"; Type
	// holds its ID, e.g. "src_to_trgt" or "logic".
	TypeTitle string
	// SourceName and TargetName name the river's source and target; empty
	// when it has none (a logic river has no target).
	SourceName, TargetName string
	// CreatedAt and ModifiedAt are when the river was created and last
	// changed, ModifiedBy who changed it last.
	CreatedAt, ModifiedAt time.Time
	ModifiedBy            string

	// CreatedBy is who created the river (the v1 detail's
	// metadata.created_by, a display name); empty when not sent.
	CreatedBy string
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
	r := new(River)
	r.setWire(w)
	return r
}

// setWire fills r from a v1 (or console flat) river.
func (r *River) setWire(w *wire.River) {
	*r = River{
		ID:          firstNonEmpty(string(w.RiverCrossID), string(w.CrossID), string(w.RiverID)),
		Name:        string(w.Name),
		Type:        firstNonEmpty(string(w.Type), string(w.RiverType)),
		Kind:        string(w.Kind),
		GroupID:     string(w.GroupID),
		GroupName:   string(w.GroupName),
		Description: string(w.Description),
		Status:      RiverStatus(w.RiverStatus),
		Settings:    w.Settings,
		Properties:  w.Properties,
		ModifiedAt:  w.LastUpdatedAt.Time,
		ModifiedBy:  string(w.LastUpdatedBy),
	}
	if m := w.Metadata.V; m != nil {
		r.Description = firstNonEmpty(string(m.Description), r.Description)
		r.Status = RiverStatus(firstNonEmpty(string(m.RiverStatus), string(r.Status)))
		r.CreatedAt, r.CreatedBy = m.CreatedAt.Time, string(m.CreatedBy)
		r.ModifiedAt = firstTime(m.LastUpdatedAt.Time, r.ModifiedAt)
		r.ModifiedBy = firstNonEmpty(string(m.LastUpdatedBy), r.ModifiedBy)
	}
	for _, s := range w.Schedulers.V {
		r.Schedulers = append(r.Schedulers, Scheduler{string(s.CronExpression), bool(s.IsEnabled)})
	}
	for _, cron := range w.RiverSchedulers.V {
		if cron != "" {
			r.Schedulers = append(r.Schedulers, Scheduler{CronExpression: string(cron), Enabled: true})
		}
	}
	// The river's schedule is its first (the API allows one).
	if len(r.Schedulers) > 0 {
		r.Schedule, r.Scheduled = r.Schedulers[0].CronExpression, r.Schedulers[0].Enabled
	}
}

// riverFromConsole maps a console river: the flat fields, then what
// river_definitions holds.
func riverFromConsole(w *wire.ConsoleRiver) *River {
	r := new(River)
	r.setConsole(w, nil)
	return r
}

// setConsole fills r from a console river. A schedule goes into spare
// (one Scheduler of a page-wide array, so a page of rivers costs one
// allocation for all their schedules), or a slice of its own when spare is
// nil.
func (r *River) setConsole(w *wire.ConsoleRiver, spare []Scheduler) {
	r.setWire(&w.River)
	r.ID = firstNonEmpty(r.ID, string(w.ObjectID))
	d := &w.Definitions
	r.Name = firstNonEmpty(string(d.Name), r.Name)
	r.Status = RiverStatus(firstNonEmpty(string(d.Status), string(r.Status)))
	r.Type = firstNonEmpty(string(d.TypeID), r.Type)
	r.TypeTitle = string(d.TypeTitle)
	r.Description = firstNonEmpty(string(d.Description), r.Description)
	r.GroupID = firstNonEmpty(d.Group.ID, r.GroupID)
	r.GroupName = firstNonEmpty(d.Group.Name, r.GroupName)
	r.Schedule, r.Scheduled = string(d.ScheduledTime), bool(d.IsScheduled)
	if d.ScheduledTime != "" && len(r.Schedulers) == 0 {
		if spare == nil {
			spare = make([]Scheduler, 1)
		}
		spare[0] = Scheduler{string(d.ScheduledTime), bool(d.IsScheduled)}
		r.Schedulers = spare[:1:1]
	}
	r.SourceName, r.TargetName = d.Source.Name, d.Target.Name
	r.CreatedAt = firstTime(d.Created.Time, d.Inserted.Time)
	r.ModifiedAt = firstTime(d.Modified.Time, d.Updated.Time)
	r.ModifiedBy = string(d.UpdatedBy)
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
// every river at once and ignores it, but for GroupName, which it takes as
// ?group=.
type ListRiversOptions struct {
	ListOptions
	Name    string `url:"name,omitempty"`
	GroupID string `url:"group_id,omitempty"`
	// GroupName keeps the rivers of the group of this name (group_name, as
	// Boomi's tooling sends it; the console API's ?group=).
	GroupName string `url:"group_name,omitempty"`
}

func (o *ListRiversOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// List returns rivers: one page of GET E/rivers on the v1 API (filtered by
// opts), or all of GET /api/rivers[?group=] on the console API.
func (s *RiversService) List(ctx context.Context, opts *ListRiversOptions) ([]*River, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	c := s.client
	if !c.usesV1() {
		var ws wire.ConsoleRiverList // values: one allocation for the lot
		var q url.Values
		if opts != nil && opts.GroupName != "" {
			q = url.Values{"group": {opts.GroupName}}
		}
		resp, err := c.do(ctx, call{method: http.MethodGet, url: c.urls.rivers, query: q, out: &ws, limit: limitPage})
		if err != nil {
			return nil, resp, err
		}
		ws = dropZero(ws)
		out := pointers(make([]River, len(ws)))
		schedules := make([]Scheduler, len(ws))
		for i := range ws {
			out[i].setConsole(&ws[i], schedules[i:i+1:i+1])
		}
		return out, resp, nil
	}
	return s.listV1(ctx, c.envURL(*c.fixed, "rivers"), opts)
}

func (s *RiversService) listV1(ctx context.Context, u string, q any) ([]*River, *Response, error) {
	ws, resp, err := listValues[wire.River](ctx, s.client, u, q)
	if err != nil {
		return nil, resp, err
	}
	out := pointers(make([]River, len(ws)))
	for i := range ws {
		out[i].setWire(&ws[i])
	}
	return out, resp, nil
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
// GET /api/rivers/{riverID} or GET E/rivers/{riverID}. The console API
// answers a one-element array (an object is accepted too); an empty one is
// an error matching ErrNotFound.
func (s *RiversService) Get(ctx context.Context, riverID string) (*River, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	c := s.client
	if !c.usesV1() {
		var ws wire.ConsoleRivers
		resp, err := c.do(ctx, call{method: http.MethodGet, url: c.urls.rivers + "/" + url.PathEscape(riverID), out: &ws, limit: limitLarge})
		if err != nil {
			return nil, resp, err
		}
		if len(ws) == 0 || ws[0] == nil {
			return nil, resp, fmt.Errorf("%w: river %s (the console answered no river)", ErrNotFound, riverID)
		}
		return riverFromConsole(ws[0]), resp, nil
	}
	var w wire.River
	resp, err := c.do(ctx, call{method: http.MethodGet, url: c.riverURL(*c.fixed, riverID), out: &w, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	return riverFromWire(&w), resp, nil
}
