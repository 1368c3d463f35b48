package riverytest

import (
	"net/http"
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
		run := s.startRun(rv)
		writeJSON(w, http.StatusOK, consoleRunJSON(run, rv, run.status(rv, time.Now())))
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
	writeJSON(w, http.StatusOK, consoleRunJSON(run, rv, run.poll(rv, time.Now())))
}

func (s *Server) consoleCancel(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		RunID string `json:"run_id"`
	}
	if !decodeBody(w, r, console, &body) {
		return
	}
	s.cancel(w, console, "", body.RunID)
}

// cancel stops a run in progress; riverID, when set, must be the run's.
func (s *Server) cancel(w http.ResponseWriter, fam family, riverID, runID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run, ok := s.runs[runID]
	if !ok || (riverID != "" && run.riverID != riverID) {
		writeError(w, fam, http.StatusBadRequest, "no runs found to cancel")
		return
	}
	if terminal(run.status(s.rivers[run.riverID], time.Now())) {
		writeError(w, fam, http.StatusBadRequest, "no runs found to cancel")
		return
	}
	run.canceled = true
	run.ended = time.Now().UTC()
	writeJSON(w, http.StatusOK, map[string]string{"run_id": run.id, "message": "Run cancel requested"})
}

func (s *Server) consoleRivers(w http.ResponseWriter, _ *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]map[string]any, 0, len(s.order))
	for _, id := range s.order {
		items = append(items, riverListJSON(s.rivers[id]))
	}
	writeJSON(w, http.StatusOK, items)
}

func (s *Server) consoleRiver(w http.ResponseWriter, r *http.Request, _ *token) {
	s.writeRiver(w, console, r.PathValue("river"))
}

func (s *Server) writeRiver(w http.ResponseWriter, fam family, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[id]
	if !ok {
		writeError(w, fam, http.StatusNotFound, "River "+id+" not found")
		return
	}
	writeJSON(w, http.StatusOK, riverDetailJSON(rv))
}

func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func consoleRunJSON(run *run, rv *river, status string) map[string]any {
	updated := run.started
	if !run.ended.IsZero() {
		updated = run.ended
	}
	return map[string]any{
		"run_id":            run.id,
		"river_id":          run.riverID,
		"river_run_status":  consoleStatus(status),
		"river_run_message": "",
		"error_description": run.message(rv, status),
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
