package riverytest

import (
	"net/http"
	"sort"
	"time"
)

// The run-group and sub-river activity views read the run history: a v1
// trigger of a master river (River.SubRivers) starts one run per sub-river
// in one run group, and these views report exactly those runs.

// groupsIn returns the run groups of riverID that started in win, newest
// first, each with its runs in the order the trigger started them; the
// caller holds s.mu.
func (s *Server) groupsIn(riverID string, win window) [][]*run {
	var groups [][]*run
	at := map[string]int{}
	for _, run := range s.runsIn(riverID, win) {
		i, ok := at[run.groupID]
		if !ok {
			i = len(groups)
			at[run.groupID] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], run)
	}
	for _, g := range groups {
		sort.Slice(g, func(i, j int) bool { return g[i].id < g[j].id })
	}
	return groups
}

// groupStatus is a group's aggregate status, by the rule the SDK's
// Run.Group follows: in progress while any run is, succeeded when all
// did, "partially succeeded" when some did, then failed, canceled, or the
// first run's status.
func groupStatus(statuses []string) string {
	c := counts{}
	for _, st := range statuses {
		c[st]++
	}
	switch {
	case c["running"] > 0:
		return "running"
	case c["pending"] > 0:
		return "pending"
	case c["succeeded"] == len(statuses):
		return "succeeded"
	case c["succeeded"] > 0:
		return "partially succeeded"
	case c["failed"] > 0:
		return "failed"
	case c["canceled"] > 0:
		return "canceled"
	}
	return statuses[0]
}

// groupJSON is a run group as the activity views show it; detail adds its
// runs' counts by status.
func groupJSON(g []*run, rv *river, now time.Time, detail bool) map[string]any {
	statuses := make([]string, len(g))
	c := counts{}
	var ended time.Time
	var longest time.Duration
	allEnded := true
	for i, run := range g {
		statuses[i] = run.status(rv, now)
		c[statuses[i]]++
		if run.ended.IsZero() {
			allEnded = false
			continue
		}
		longest = max(longest, run.ended.Sub(run.started))
		if run.ended.After(ended) {
			ended = run.ended
		}
	}
	if !allEnded {
		ended = time.Time{} // a group ends when its last run does
	}
	st := groupStatus(statuses)
	units := runUnits * float64(len(g))
	m := map[string]any{
		"run_group_id": g[0].groupID, "river_cross_id": rv.ID, "status": st,
		"units": units, "rpu": units, "trigger": "api",
		"run_date_utc": rfc3339(g[0].started), "run_date_epoch_milliseconds": g[0].started.UnixMilli(),
		"run_end_date_utc": rfc3339(ended), "max_duration_in_milliseconds": longest.Milliseconds(),
	}
	if detail {
		c.json(m)
	}
	return m
}

func (s *Server) runGroups(w http.ResponseWriter, r *http.Request, win window) {
	rv, now := s.rivers[r.PathValue("river")], time.Now()
	groups := s.groupsIn(rv.ID, win)
	items := make([]map[string]any, len(groups))
	for i, g := range groups {
		items[i] = groupJSON(g, rv, now, false)
	}
	writePage(w, r, items)
}

func (s *Server) runGroup(w http.ResponseWriter, r *http.Request, _ *token) {
	id, group := r.PathValue("river"), r.PathValue("group")
	s.mu.Lock()
	defer s.mu.Unlock()
	var g []*run
	for _, run := range s.runs {
		if run.riverID == id && run.groupID == group {
			g = append(g, run)
		}
	}
	if len(g) == 0 {
		writeError(w, v1, http.StatusNotFound, "Run group "+group+" not found")
		return
	}
	sort.Slice(g, func(i, j int) bool { return g[i].id < g[j].id })
	writeJSON(w, http.StatusOK, groupJSON(g, s.rivers[id], time.Now(), true))
}

// subRiverRuns answers the sub-river runs of a master river that started
// in the window (those its triggers and sub-river triggers started),
// newest group first, as an unpaged envelope when they fit in one page, as
// the live API may send.
func (s *Server) subRiverRuns(w http.ResponseWriter, r *http.Request, win window) {
	rv, now := s.rivers[r.PathValue("river")], time.Now()
	items := []map[string]any{}
	for _, g := range s.groupsIn(rv.ID, win) {
		for _, run := range g {
			if run.subRiverID == "" {
				continue
			}
			st, msg := runStatus(run, rv, now)
			items = append(items, map[string]any{
				"run_id": run.id, "run_group_id": run.groupID,
				"sub_river_id": run.subRiverID, "sub_river_name": run.subRiverName, "is_sub_river_run": true,
				"status": st, "error_description": msg, "units": runUnits, "total_rows": runRows,
				"start_date_utc": rfc3339(run.started), "end_date_utc": rfc3339(run.ended),
			})
		}
	}
	if len(items) <= 20 && r.URL.Query().Get("items_per_page") == "" && r.URL.Query().Get("page") == "" {
		writeJSON(w, http.StatusOK, map[string]any{"items": items, "total_items": len(items), "current_page_size": len(items), "page": 1})
		return
	}
	writePage(w, r, items)
}

// nullable is s, or JSON null when empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// subRiverName is the name of rv's sub-river id.
func subRiverName(rv *river, id string) string {
	for _, sr := range rv.SubRivers {
		if sr.ID == id {
			return sr.Name
		}
	}
	return ""
}
