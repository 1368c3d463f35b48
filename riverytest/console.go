package riverytest

import (
	"net/http"
	"strings"
	"time"
)

func (s *Server) me(w http.ResponseWriter, _ *http.Request, _ *token) {
	writeJSON(w, http.StatusOK, map[string]string{"account_id": s.AccountID, "environment_id": s.EnvironmentID})
}

func (s *Server) consoleRun(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		RiverID string `json:"river_id"`
	}
	if !decodeBody(w, r, console, &body) {
		return
	}
	if body.RiverID == "" {
		writeError(w, console, http.StatusBadRequest, "river_id is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[body.RiverID]
	switch {
	case !ok:
		writeError(w, console, http.StatusNotFound, "River "+body.RiverID+" not found")
	case rv.Disabled:
		writeError(w, console, http.StatusBadRequest, "River "+rv.ID+" is disabled")
	default:
		runs, ok := s.limitedTrigger(w, console, rv, "")
		if !ok {
			return
		}
		if len(runs) == 0 {
			writeJSON(w, http.StatusOK, map[string]any{"river_id": rv.ID, "river_run_message": "Nothing to run"})
			return
		}
		writeJSON(w, http.StatusOK, consoleRunJSON(runs[0], runs[0].status(rv, time.Now())))
	}
}

func (s *Server) consoleCheckRun(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.URL.Query().Get("run_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	run, ok := s.runs[id]
	if !ok {
		writeError(w, console, http.StatusNotFound, "Run "+id+" not found")
		return
	}
	rv := s.rivers[run.riverID]
	body := consoleRunJSON(run, run.poll(rv, time.Now()))
	if rv.OmitPendingStatus && body["river_run_status"] == "W" {
		delete(body, "river_run_status")
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) consoleCancel(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		RunID string `json:"run_id"`
	}
	if !decodeBody(w, r, console, &body) {
		return
	}
	s.cancel(w, console, "", body.RunID, "")
}

// cancel stops a run in progress, or every run of a group in progress;
// riverID, when set, must be the runs' river.
func (s *Server) cancel(w http.ResponseWriter, fam family, riverID, runID, groupID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var hit []*run
	for _, run := range s.runs {
		if (run.id == runID || groupID != "" && run.groupID == groupID) && (riverID == "" || run.riverID == riverID) &&
			!terminal(run.status(s.rivers[run.riverID], now)) {
			hit = append(hit, run)
		}
	}
	if len(hit) == 0 {
		writeError(w, fam, http.StatusBadRequest, "no runs found to cancel")
		return
	}
	for _, run := range hit {
		run.canceled = true
		run.ended = now.UTC()
	}
	if groupID != "" {
		writeJSON(w, http.StatusOK, map[string]string{"run_group_id": groupID, "message": "Run cancel requested"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"run_id": runID, "message": "Run cancel requested"})
}

func (s *Server) consoleRivers(w http.ResponseWriter, r *http.Request, _ *token) {
	group := r.URL.Query().Get("group") // a group's name
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]map[string]any, 0, len(s.order))
	for _, id := range s.order {
		if rv := s.rivers[id]; group == "" || rv.GroupName == group {
			items = append(items, consoleRiverJSON(rv))
		}
	}
	writeJSON(w, http.StatusOK, items)
}

// consoleRiver answers as the live API does: a one-element array, or an
// empty one for a river it does not have.
func (s *Server) consoleRiver(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []map[string]any{}
	if rv, ok := s.rivers[r.PathValue("river")]; ok {
		items = append(items, consoleRiverJSON(rv))
	}
	writeJSON(w, http.StatusOK, items)
}

// consoleRiverJSON is a console river: the fields nest under
// river_definitions.
func consoleRiverJSON(rv *river) map[string]any {
	typeID, title := rv.Type, rv.Type
	if rv.Type == "source_to_target" {
		typeID, title = "src_to_trgt", "Source to Target"
	}
	var group any
	if rv.GroupID != "" {
		group = map[string]string{"_id": rv.GroupID, "name": rv.GroupName}
	}
	return map[string]any{
		"_id":      "ff" + strings.TrimPrefix(rv.ID, rv.ID[:min(2, len(rv.ID))]),
		"cross_id": rv.ID,
		"river_definitions": map[string]any{
			"river_name":          rv.Name,
			"river_status":        riverStatus(rv),
			"river_type_id":       typeID,
			"river_type_title":    title,
			"river_desc":          rv.Description,
			"group_id":            group,
			"is_scheduled":        rv.Schedule != "",
			"scheduled_time":      rv.Schedule,
			"river_time_created":  "2026-01-05T09:30:00.000000+00:00",
			"river_modified_date": "2026-11-20T16:45:12.345678+00:00",
			"updated_by_name":     "admin@example.com",
			"source":              map[string]string{"name": "fake-source"},
			"target":              map[string]string{"name": "fake-target"},
			"is_master_river":     len(rv.SubRivers) > 0,
			"subrivers_enabled":   len(rv.SubRivers) > 0,
			"is_api_v2":           true,
		},
	}
}

func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func consoleRunJSON(run *run, status string) map[string]any {
	updated := run.started
	if !run.ended.IsZero() {
		updated = run.ended
	}
	return map[string]any{
		"run_id":            run.id,
		"river_id":          run.riverID,
		"river_run_status":  consoleStatus(status),
		"river_run_message": "",
		"error_description": run.message(status),
		"run_insert_date":   millis(run.started),
		"run_update_date":   millis(updated),
		"run_end_date":      millis(run.ended),
	}
}

func riverStatus(rv *river) string {
	if rv.Disabled {
		return "disabled"
	}
	return "active"
}

func riverListJSON(rv *river) map[string]any {
	return map[string]any{
		"river_cross_id": rv.ID,
		"name":           rv.Name,
		"river_type":     rv.Type,
		"group_id":       rv.GroupID,
		"group_name":     rv.GroupName,
		"description":    rv.Description,
		"river_status":   riverStatus(rv),
	}
}

func riverDetailJSON(rv *river) map[string]any {
	return map[string]any{
		"cross_id":   rv.ID,
		"name":       rv.Name,
		"type":       rv.Type,
		"kind":       "main_river",
		"group_id":   rv.GroupID,
		"group_name": rv.GroupName,
		"metadata": map[string]any{
			"description":  rv.Description,
			"river_status": riverStatus(rv),
		},
		"schedulers": []map[string]any{{"cron_expression": "0 3 * * *", "is_enabled": false}},
		"settings":   map[string]any{"run_type": "full"},
		"properties": map[string]any{"source": "fake", "target": "fake"},
	}
}
