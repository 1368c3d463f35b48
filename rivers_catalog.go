package rivery

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"

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
