package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// RiverGroup is a group of rivers in the environment (the console's
// folders), as GET E/river_groups lists it. Only Rivery's Terraform client
// shows that answer's items (cross_id or id, name, color, icon,
// is_default); the rest is read leniently and Raw keeps it.
type RiverGroup struct {
	ID        string // cross_id, else id, else _id (the console's _id may differ from cross_id)
	Name      string
	Color     string // e.g. "#ffd300"
	Icon      string
	Default   bool      // the group new rivers go to
	CreatedAt time.Time // insert_time; zero when not sent
	UpdatedAt time.Time // update_time; zero when not sent
	Raw       json.RawMessage
}

// UnmarshalJSON reads a group.
func (g *RiverGroup) UnmarshalJSON(b []byte) error {
	var w wire.RiverGroup
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = RiverGroup{
		ID:        firstNonEmpty(string(w.CrossID), string(w.ID), string(w.MongoID)),
		Name:      string(w.Name),
		Color:     string(w.Color),
		Icon:      string(w.Icon),
		Default:   bool(w.IsDefault),
		CreatedAt: w.InsertTime.Time,
		UpdatedAt: w.UpdateTime.Time,
		Raw:       append(json.RawMessage(nil), b...),
	}
	return nil
}

// String describes the group without Raw.
func (g RiverGroup) String() string {
	return fmt.Sprintf("RiverGroup{ID:%s Name:%q Default:%v}", g.ID, g.Name, g.Default)
}

// GoString is String prefixed with the package name, for %#v.
func (g RiverGroup) GoString() string { return "rivery." + g.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (g RiverGroup) Format(f fmt.State, verb rune) { formatRedacted(f, verb, g) }

// LogValue logs the typed fields, never Raw.
func (g RiverGroup) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", g.ID), slog.String("name", g.Name))
}

// MarshalJSON writes Raw with credential-named keys redacted (see
// Connection), or, without Raw, the typed fields.
func (g RiverGroup) MarshalJSON() ([]byte, error) {
	if len(g.Raw) > 0 {
		return redactJSON(g.Raw), nil
	}
	return json.Marshal(map[string]any{"cross_id": g.ID, "name": g.Name, "color": g.Color, "icon": g.Icon, "is_default": g.Default})
}

// Groups returns one page of the environment's river groups:
// GET E/river_groups (v1 API). The API creates, renames and deletes groups
// only in the console.
func (s *RiversService) Groups(ctx context.Context, opts *ListOptions) ([]*RiverGroup, *Response, error) {
	return scopedPage(ctx, s.client, opts, s.groupsURL, s.groupsPage)
}

// AllGroups iterates over every river group, page after page
// (GET E/river_groups). It follows next_page; an answer without one (as
// Rivery's Terraform client reads them: items and total_items) is followed
// by page number while the pages so far hold fewer than total_items.
func (s *RiversService) AllGroups(ctx context.Context, opts *ListOptions) iter.Seq2[*RiverGroup, error] {
	return scopedPages(ctx, s.client, opts, s.groupsURL, s.groupsPage)
}

// groupsURL is E/river_groups.
func (s *RiversService) groupsURL(sc scope) string { return s.client.envURL(sc, "river_groups") }

func (s *RiversService) groupsPage(ctx context.Context, u string, q any) ([]*RiverGroup, *Response, error) {
	items, resp, err := listPage[*RiverGroup](ctx, s.client, u, q)
	if err != nil {
		return nil, resp, err
	}
	if resp.NextPage == "" {
		resp.NextPage = numberedNext(u, q, resp.TotalItems, len(items))
	}
	return items, resp, nil
}
