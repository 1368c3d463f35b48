package riverytest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"time"
)

func (s *Server) v1Rivers(w http.ResponseWriter, r *http.Request, _ *token) {
	name, group, groupName := r.URL.Query().Get("name"), r.URL.Query().Get("group_id"), r.URL.Query().Get("group_name")
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.order))
	for _, id := range s.order {
		rv := s.rivers[id]
		if (name == "" || rv.Name == name) && (group == "" || rv.GroupID == group) && (groupName == "" || rv.GroupName == groupName) {
			items = append(items, riverListJSON(rv))
		}
	}
	s.mu.Unlock()
	writePage(w, r, items)
}

// v1River answers the river's definition (see definitions.go).
func (s *Server) v1River(w http.ResponseWriter, r *http.Request, t *token) {
	s.v1Definition(w, r, t)
}

func (s *Server) v1Run(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[id]
	switch {
	case !ok:
		writeError(w, v1, http.StatusNotFound, "Data Flow "+id+" not found")
	case rv.Disabled:
		writeError(w, v1, http.StatusBadRequest, "Data Flow "+id+" is disabled")
	default:
		sub := r.PathValue("sub")
		if sub != "" && !hasSubRiver(rv, sub) {
			writeError(w, v1, http.StatusNotFound, "Sub river "+sub+" not found")
			return
		}
		runs, ok := s.limitedTrigger(w, v1, rv, sub)
		if !ok {
			return
		}
		if len(runs) == 1 && runs[0].skippedFor != "" { // as the live API answers it: no runs
			writeJSON(w, http.StatusAccepted, map[string]any{"river_cross_id": rv.ID, "run_group_id": runs[0].groupID,
				"status": "skipped", "message": runs[0].message("skipped")})
			return
		}
		s.seq++
		group := fmt.Sprintf("%032x", 0xb000+s.seq)
		items := make([]map[string]any, len(runs))
		now := time.Now()
		for i, run := range runs {
			group = run.groupID
			msg := "Run was triggered"
			if m := run.message(run.status(rv, now)); m != "" {
				msg = m
			}
			items[i] = map[string]any{"run_id": run.id, "sub_river_id": nullable(run.subRiverID), "status": run.status(rv, now), "message": msg}
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"run_group_id": group, "river_cross_id": rv.ID, "runs": items})
	}
}

func hasSubRiver(rv *river, id string) bool {
	for _, sr := range rv.SubRivers {
		if sr.ID == id {
			return true
		}
	}
	return false
}

// findRun returns the run with runID of riverID; the caller holds s.mu.
func (s *Server) findRun(w http.ResponseWriter, riverID, runID string) (*run, *river, bool) {
	run, ok := s.runs[runID]
	if !ok || run.riverID != riverID {
		writeError(w, v1, http.StatusNotFound, "Run "+runID+" not found")
		return nil, nil, false
	}
	return run, s.rivers[riverID], true
}

func (s *Server) v1RunStatus(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run, rv, ok := s.findRun(w, r.PathValue("river"), r.PathValue("run"))
	if ok {
		writeJSON(w, http.StatusOK, v1RunJSON(run, run.poll(rv, time.Now())))
	}
}

func rfc3339(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// zoneless is a time as the v1 run answers write it: UTC without a zone,
// to the microsecond.
func zoneless(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000")
}

// v1RunJSON is a run in the live shape (Rivery's console fixtures): times
// without a zone beside epoch milliseconds, units, the source and target
// names, and the sub-river of a master river's run.
func v1RunJSON(run *run, status string) map[string]any {
	var desc any
	if msg := run.message(status); msg != "" {
		desc = msg
	}
	return map[string]any{
		"run_id":                     run.id,
		"river_cross_id":             run.riverID,
		"run_group_id":               run.groupID,
		"status":                     status,
		"error_description":          desc,
		"datasource_id":              "fake",
		"units":                      0.25,
		"rpu":                        0.25,
		"source_name":                "fake-source",
		"target_name":                "fake-target",
		"start_date_utc":             zoneless(run.started),
		"start_date_in_milliseconds": millis(run.started),
		"end_date_utc":               zoneless(run.ended),
		"end_date_in_milliseconds":   millis(run.ended),
		"sub_river_id":               nullable(run.subRiverID),
		"is_sub_river_run":           run.subRiverID != "",
		"total_rows":                 1000,
	}
}

func (s *Server) v1Runs(w http.ResponseWriter, r *http.Request, _ *token) {
	q := r.URL.Query()
	var bad []fieldError
	times := map[string]time.Time{}
	for _, name := range []string{"start_time", "end_time"} {
		v := q.Get(name)
		if v == "" {
			bad = append(bad, fieldError{"missing", []string{"query", name}, "Field required", nil})
			continue
		}
		t, err := time.Parse("2006-01-02T15:04:05", v) // as Boomi's tooling sends it
		if err != nil {
			t, err = time.Parse(time.RFC3339, v)
		}
		if err != nil {
			bad = append(bad, fieldError{"datetime_from_date_parsing", []string{"query", name}, "Input should be a valid datetime", v})
		}
		times[name] = t.UTC()
	}
	if len(bad) > 0 {
		writeValidation(w, bad...)
		return
	}
	id := r.PathValue("river")
	s.mu.Lock()
	rv, ok := s.rivers[id]
	if !ok {
		s.mu.Unlock()
		writeError(w, v1, http.StatusNotFound, "Data Flow "+id+" not found")
		return
	}
	var runs []*run
	for _, run := range s.runs {
		if run.riverID == id && !run.started.Before(times["start_time"]) && !run.started.After(times["end_time"]) {
			runs = append(runs, run)
		}
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].id > runs[j].id }) // newest first
	items := make([]map[string]any, len(runs))
	now := time.Now()
	for i, run := range runs {
		items[i] = v1RunJSON(run, run.status(rv, now))
	}
	s.mu.Unlock()
	writePage(w, r, items)
}

func (s *Server) v1Logs(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	run, rv, ok := s.findRun(w, r.PathValue("river"), r.PathValue("run"))
	if !ok {
		s.mu.Unlock()
		return
	}
	now := time.Now()
	status := run.status(rv, now)
	started, ended := run.started, run.ended
	s.mu.Unlock()

	// The lines are dated as the run went: none after the run's end, or
	// after now while it is in progress; a pending run has only started.
	last := now
	if terminal(status) && !ended.IsZero() {
		last = ended
	}
	lines := [][]string{{rfc3339String(started), "INFO", "Run " + run.id + " started"}}
	if status != "pending" {
		extracted := started.Add(min(time.Second, last.Sub(started)/2))
		lines = append(lines, []string{rfc3339String(extracted), "INFO", "Extracted 1000 rows from fake-source,\nschema \"public\""})
	}
	if terminal(status) {
		lines = append(lines, []string{rfc3339String(last), levelFor(status), "Run ended " + status})
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"timestamp", "level", "msg"})
	for i := len(lines) - 1; i >= 0; i-- { // newest first
		_ = cw.Write(lines[i])
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

func rfc3339String(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func levelFor(status string) string {
	if status == "succeeded" {
		return "INFO"
	}
	return "ERROR"
}

func (s *Server) v1Cancel(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		RunID      string `json:"run_id"`
		RunGroupID string `json:"run_group_id"`
	}
	if decodeBody(w, r, v1, &body) {
		s.cancel(w, v1, r.PathValue("river"), body.RunID, body.RunGroupID)
	}
}

// v1Activate starts an operation that activates or disables a river (a
// river disabled has its CDC log turned off too, as on the live API); 204
// when it already is in that state.
func (s *Server) v1Activate(activate bool) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		id := r.PathValue("river")
		s.mu.Lock()
		defer s.mu.Unlock()
		rv, ok := s.rivers[id]
		if !ok {
			writeError(w, v1, http.StatusNotFound, "Data Flow "+id+" not found")
			return
		}
		if rv.Disabled != activate {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		kind := "disable_river"
		if activate {
			kind = "activate_river"
		}
		s.startOp(w, kind, map[string]any{"results": map[string]any{}}, rv.OperationError, func() {
			if rv, ok := s.rivers[id]; ok {
				rv.Disabled = !activate
			}
			if c := s.pf.cdc[id]; c != nil && !activate {
				c.Enabled = false
			}
		})
	}
}

// v1Operation reports an operation: R, then D (applying it) or E.
func (s *Server) v1Operation(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("op")
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[id]
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Operation "+id+" not found")
		return
	}
	op.polls++
	status, msg := op.settle()
	if status == "D" && op.apply != nil {
		op.apply()
		op.apply = nil
	}
	writeJSON(w, http.StatusOK, op.json(status, msg))
}

// settle is the status and message of an operation seen by its latest
// poll: R on the first, then D, or E with its message (or as canceled).
func (op *operation) settle() (string, any) {
	switch {
	case op.canceled:
		return "E", "Pull request canceled"
	case op.polls < 2:
		return "R", nil
	case op.errMessage != "":
		return "E", op.errMessage
	}
	return "D", ""
}

// json is the operation in the reference's shape: its result once it is
// D.
func (op *operation) json(status string, msg any) map[string]any {
	var result any
	if status == "D" {
		result = op.result
	}
	return map[string]any{
		"operation_id": op.id, "operation_type": op.kind, "status": status, "error_message": msg, "result": result,
		"last_update_date": time.Now().UTC().Format("2006-01-02T15:04:05.000000"),
	}
}
