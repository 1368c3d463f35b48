package riverytest

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// Routes of river groups and river deletion.
const (
	RouteRiverGroups Route = "river_groups" // GET E/river_groups
	RouteDeleteRiver Route = "delete_river" // DELETE E/rivers/{id}
)

// RiverGroup is a group of rivers. The server lists the groups seeded with
// WithRiverGroup, then one for each other GroupID its rivers name.
type RiverGroup struct {
	ID      string // required
	Name    string
	Color   string // "#ffd300" when empty
	Icon    string
	Default bool
}

// WithRiverGroup seeds a river group.
func WithRiverGroup(g RiverGroup) Option {
	return func(s *Server) { s.mg.groups = append(s.mg.groups, g) }
}

// groupsCreated is when the fake's groups were made.
var groupsCreated = time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)

// riverGroups answers the groups as Rivery's Terraform client reads them:
// {items, total_items} and the page number, without next_page (page by
// number until the items reach total_items).
func (s *Server) riverGroups(w http.ResponseWriter, r *http.Request, _ *token) {
	page, per, ok := pageQuery(w, r, 500)
	if !ok {
		return
	}
	s.mu.Lock()
	groups := slices.Clone(s.mg.groups)
	for _, id := range s.order {
		rv := s.rivers[id]
		if rv.GroupID != "" && !slices.ContainsFunc(groups, func(g RiverGroup) bool { return g.ID == rv.GroupID }) {
			groups = append(groups, RiverGroup{ID: rv.GroupID, Name: rv.GroupName})
		}
	}
	s.mu.Unlock()
	items := []map[string]any{}
	start, end := pageBounds(page, per, len(groups))
	for _, g := range groups[start:end] {
		color := g.Color
		if color == "" {
			color = "#ffd300"
		}
		items = append(items, map[string]any{
			"cross_id": g.ID, "_id": g.ID, "name": g.Name, "color": color, "icon": nullable(g.Icon), "is_default": g.Default,
			"insert_time": groupsCreated.UnixMilli(), "update_time": groupsCreated.UnixMilli(),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total_items": len(groups), "page": page})
}

// deleteRiver deletes a river with its definition, runs, variables and
// CDC state, and answers 200 with null (no source shows the live answer;
// the fake answers as a deleted connection does).
func (s *Server) deleteRiver(w http.ResponseWriter, r *http.Request, t *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.lookupRiver(w, id)
	if rv == nil {
		return
	}
	delete(s.rivers, id)
	delete(s.mg.defs, id)
	delete(s.mg.riverVars, id)
	delete(s.pf.cdc, id)
	maps.DeleteFunc(s.runs, func(_ string, run *run) bool { return run.riverID == id })
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
	s.recordAudit(t, "delete", "rivers", rv.Type, id, rv.Name)
	writeJSON(w, http.StatusOK, nil)
}
