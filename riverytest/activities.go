package riverytest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// The activity and run-detail routes.
const (
	RouteActivities    Route = "activities"     // GET E/activities
	RouteStatistics    Route = "statistics"     // GET E/activities_statistics, E/rivers/{id}/activities_statistics
	RouteRunGroups     Route = "run_groups"     // GET E/rivers/{id}/activities_run_groups
	RouteRunGroup      Route = "run_group"      // GET E/rivers/{id}/activities_run_groups/{group}
	RouteSubRiverRuns  Route = "sub_river_runs" // GET E/rivers/{id}/activities_sub_rivers
	RouteTargets       Route = "targets"        // GET E/rivers/{id}/activities_targets
	RouteTasks         Route = "tasks"          // GET E/rivers/{id}/runs/{run}/tasks
	RouteLogicSteps    Route = "logic_steps"    // GET E/rivers/{id}/runs/{run}/logic_steps
	RouteStepLog       Route = "step_log"       // GET E/rivers/{id}/runs/{run}/logic_steps/{step}/logs
	RouteRunVariables  Route = "run_variables"  // GET E/rivers/{id}/runs/{run}/variables
	RoutePresignedLogs Route = "presigned_logs" // GET a code step's presigned log URL (no token)
)

// activityConfig holds the activity views' knobs.
type activityConfig struct {
	maxWindow time.Duration
}

// WithMaxWindow makes the windowed activity routes refuse a window longer
// than d with 400, as the live API refuses windows above its (unpublished)
// maximum.
func WithMaxWindow(d time.Duration) Option {
	return func(s *Server) { s.act.maxWindow = d }
}

// RecordedRun is a finished run put into the server's history by AddRun,
// for tests of dashboards and alerting over past runs.
type RecordedRun struct {
	RiverID string
	Started time.Time // required
	Ended   time.Time // zero: Started plus a minute
	Status  string    // as the v1 API says it; "succeeded" when empty
	Message string    // the error description
	// SubRiverID, if set, names one of the river's SubRivers: the run is
	// that sub-river's (a run group of its own), as a sub-river trigger
	// starts, and the sub-river runs view lists it.
	SubRiverID string
}

// AddRun records a run of an existing river and returns its ID. Every
// route reports it like the runs the server started: run status, the runs
// list, activities, statistics, run groups and run detail.
func (s *Server) AddRun(r RecordedRun) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[r.RiverID]
	switch {
	case !ok:
		return "", fmt.Errorf("riverytest: AddRun: no river %q", r.RiverID)
	case r.Started.IsZero():
		return "", fmt.Errorf("riverytest: AddRun: Started is required")
	case r.SubRiverID != "" && !hasSubRiver(rv, r.SubRiverID):
		return "", fmt.Errorf("riverytest: AddRun: river %q has no sub-river %q", r.RiverID, r.SubRiverID)
	}
	if r.Status == "" {
		r.Status = "succeeded"
	}
	if r.Ended.IsZero() && terminal(r.Status) {
		r.Ended = r.Started.Add(s.minute())
	}
	run := s.startRun(rv)
	run.started, run.ended, run.recorded = r.Started.UTC(), r.Ended.UTC(), &r
	if r.SubRiverID != "" {
		run.subRiverID, run.subRiverName = r.SubRiverID, subRiverName(rv, r.SubRiverID)
	}
	return run.id, nil
}

func (s *Server) activityRoutes(mux *http.ServeMux) {
	activity := []rivery.Scope{"activity:list", rivery.ScopeRiverList} // "activity:list" is undocumented (ScopeActivityList is deprecated)
	read := []rivery.Scope{rivery.ScopeRiverList}
	s.handle(mux, "GET "+envPrefix+"/activities", RouteActivities, v1, activity, s.windowed(s.activities))
	s.handle(mux, "GET "+envPrefix+"/activities_statistics", RouteStatistics, v1, activity, s.windowed(s.statistics))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/activities_statistics", RouteStatistics, v1, activity, s.windowed(s.statistics))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/activities_run_groups", RouteRunGroups, v1, activity, s.windowed(s.runGroups))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/activities_run_groups/{group}", RouteRunGroup, v1, activity, s.runGroup)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/activities_sub_rivers", RouteSubRiverRuns, v1, activity, s.windowed(s.subRiverRuns))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/activities_targets", RouteTargets, v1, activity, s.windowed(s.targets))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}/tasks", RouteTasks, v1, read, s.runPart(s.tasks))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}/logic_steps", RouteLogicSteps, v1, read, s.runPart(s.logicSteps))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}/logic_steps/{step}/logs", RouteStepLog, v1, read, s.runPart(s.stepLog))
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}/variables", RouteRunVariables, v1, read, s.runPart(s.runVariables))
}

// window is a parsed start_time/end_time.
type window struct{ start, end time.Time }

func (w window) holds(t time.Time) bool { return !t.Before(w.start) && !t.After(w.end) }

// windowedHandler serves a request with a valid window, holding s.mu.
type windowedHandler func(w http.ResponseWriter, r *http.Request, win window)

// windowed checks start_time and end_time (both required; UTC
// yyyy-mm-ddThh:mm:ss or RFC 3339) and the maximum window, then calls h
// holding s.mu.
func (s *Server) windowed(h windowedHandler) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		q := r.URL.Query()
		var bad []fieldError
		var win window
		for _, p := range []struct {
			name string
			t    *time.Time
		}{{"start_time", &win.start}, {"end_time", &win.end}} {
			v := q.Get(p.name)
			if v == "" {
				bad = append(bad, fieldError{"missing", []string{"query", p.name}, "Field required", nil})
				continue
			}
			t, err := time.Parse("2006-01-02T15:04:05", v)
			if err != nil {
				t, err = time.Parse(time.RFC3339, v)
			}
			if err != nil {
				bad = append(bad, fieldError{"datetime_from_date_parsing", []string{"query", p.name}, "Input should be a valid datetime", v})
			}
			*p.t = t.UTC()
		}
		if len(bad) > 0 {
			writeValidation(w, bad...)
			return
		}
		s.mu.Lock()
		maxWin := s.scaled(s.act.maxWindow)
		if maxWin > 0 && win.end.Sub(win.start) > maxWin {
			s.mu.Unlock()
			writeError(w, v1, http.StatusBadRequest, fmt.Sprintf("The time range between start_time and end_time must be at most %d days", int(s.act.maxWindow.Hours()/24)))
			return
		}
		if id := r.PathValue("river"); id != "" && s.rivers[id] == nil {
			s.mu.Unlock()
			writeError(w, v1, http.StatusNotFound, "Data Flow "+id+" not found")
			return
		}
		defer s.mu.Unlock()
		h(w, r, win)
	}
}

// runsIn returns the runs of riverID (all rivers when empty) that started
// in win, newest first; the caller holds s.mu.
func (s *Server) runsIn(riverID string, win window) []*run {
	var out []*run
	for _, run := range s.runs {
		if (riverID == "" || run.riverID == riverID) && win.holds(run.started) {
			out = append(out, run)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].started.Equal(out[j].started) {
			return out[i].started.After(out[j].started)
		}
		return out[i].id > out[j].id
	})
	return out
}

// Every run counts 0.25 units and 1000 rows (as its status answer says),
// split over two target tables.
var tables = []struct {
	name  string
	units float64
	rows  int
}{{"orders", 0.15, 600}, {"customers", 0.10, 400}}

const runUnits, runRows = 0.25, 1000

type counts map[string]int

func (c counts) json(m map[string]any) map[string]any {
	for _, st := range []string{"pending", "running", "succeeded", "failed", "canceled", "skipped"} {
		m[st] = c[st]
	}
	return m
}

// rowJSON writes the counts under the names an activities row uses
// (Rivery's console fixtures): waiting and success for pending and
// succeeded.
func (c counts) rowJSON(m map[string]any) map[string]any {
	for st, name := range map[string]string{"pending": "waiting", "running": "running", "succeeded": "success", "failed": "failed", "canceled": "canceled", "skipped": "skipped"} {
		m[name] = c[st]
	}
	return m
}

func (s *Server) activities(w http.ResponseWriter, r *http.Request, win window) {
	group := r.URL.Query().Get("group_id")
	byRiver := map[string][]*run{}
	for _, run := range s.runsIn("", win) {
		byRiver[run.riverID] = append(byRiver[run.riverID], run)
	}
	now := time.Now()
	var items []map[string]any
	for _, id := range s.order {
		rv, runs := s.rivers[id], byRiver[id]
		if len(runs) == 0 || (group != "" && rv.GroupID != group) {
			continue
		}
		c := counts{}
		for _, run := range runs {
			c[run.observe(rv, now)]++
		}
		units := runUnits * float64(len(runs))
		items = append(items, c.rowJSON(map[string]any{
			"cross_id": rv.ID, "river_id": rv.ID, "master_river_id": rv.ID, "river_name": rv.Name, "group_id": rv.GroupID,
			"account": s.AccountID, "env_id": s.EnvironmentID, "datasource_id": "fake",
			"is_scheduled": rv.Schedule != "", "is_sub_river": false, "is_master_river": len(rv.SubRivers) > 0, "is_multi": false,
			"units": units, "rpu": units, "total_size": runRows * 100 * len(runs), "total_files": len(runs), "dry_runs": 0,
			"last_run": millis(runs[0].started), "last_runs": []any{},
		}))
	}
	writePage(w, r, items)
}

func (s *Server) statistics(w http.ResponseWriter, r *http.Request, win window) {
	only := r.URL.Query().Get("status")
	c, units, now := counts{}, 0.0, time.Now()
	for _, run := range s.runsIn(r.PathValue("river"), win) {
		st := run.status(s.rivers[run.riverID], now)
		if only == "" || st == only {
			c[st]++
			units += runUnits
		}
	}
	writeJSON(w, http.StatusOK, c.json(map[string]any{
		"account": s.AccountID, "env_id": s.EnvironmentID, "total_units": units, "total_rpu": units,
	}))
}

// runStatus is a run's status and message now.
func runStatus(run *run, rv *river, now time.Time) (string, any) {
	st := run.status(rv, now)
	var msg any
	if m := run.message(st); m != "" {
		msg = m
	}
	return st, msg
}

func (s *Server) targets(w http.ResponseWriter, r *http.Request, win window) {
	q := r.URL.Query()
	rv, now := s.rivers[r.PathValue("river")], time.Now()
	statuses, group, sub := q["status"], q.Get("run_group_id"), q.Get("sub_river_id")
	var items []map[string]any
	for _, tb := range tables {
		var latest *run
		n := 0
		for _, run := range s.runsIn(rv.ID, win) {
			st := run.status(rv, now)
			if (group != "" && run.groupID != group) || (sub != "" && run.subRiverID != sub) || (len(statuses) > 0 && !contains(statuses, st)) {
				continue
			}
			if latest == nil {
				latest = run
			}
			n++
		}
		if latest == nil {
			continue
		}
		st, msg := runStatus(latest, rv, now)
		items = append(items, map[string]any{
			"table_name": tb.name, "target_name": tb.name, "status": st, "error_description": msg,
			"units": tb.units * float64(n), "total_rows": tb.rows * n, "last_run": rfc3339(latest.started),
			"run_id": latest.id, "run_group_id": latest.groupID, "sub_river_id": nullable(latest.subRiverID),
		})
	}
	switch q.Get("sort_by") {
	case "table_name":
		sort.SliceStable(items, func(i, j int) bool { return items[i]["table_name"].(string) < items[j]["table_name"].(string) })
	case "units", "last_run", "":
		// already by units, descending
	}
	if q.Get("sort_order") == "asc" && q.Get("sort_by") != "table_name" {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total_items": len(items), "current_page_size": len(items), "page": 1, "next_page": nil})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// runPart serves a part of one run, holding s.mu.
func (s *Server) runPart(h func(w http.ResponseWriter, r *http.Request, run *run, rv *river)) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if run, rv, ok := s.findRun(w, r.PathValue("river"), r.PathValue("run")); ok {
			h(w, r, run, rv)
		}
	}
}

// A logic river's steps: a code step, then a SQL step.
var logicSteps = []struct{ id, name, kind string }{
	{fmt.Sprintf("%032x", 0x5e01), "extract", "logicode"},
	{fmt.Sprintf("%032x", 0x5e02), "load", "snowflake_sql_query"},
}

func isLogic(rv *river) bool { return rv.Type == "logic" }

// stepStatus is step i's status in a run of status st: both steps share a
// run in progress or succeeded; otherwise the first succeeded and the
// second ended as the run did.
func stepStatus(i int, st string) string {
	if i == 0 && terminal(st) {
		return "succeeded"
	}
	return st
}

func (s *Server) tasks(w http.ResponseWriter, r *http.Request, run *run, rv *river) {
	now := time.Now()
	st, msg := runStatus(run, rv, now)
	var items []map[string]any
	if isLogic(rv) {
		for i, step := range logicSteps {
			items = append(items, s.partJSON(run, step.id, step.name, stepStatus(i, st), msg, i == len(logicSteps)-1, runUnits/2, 0))
		}
	} else {
		for i, tb := range tables {
			items = append(items, s.partJSON(run, fmt.Sprintf("%s%02x", run.id[:30], i), tb.name, st, msg, true, tb.units, tb.rows))
		}
	}
	writePage(w, r, items)
}

// partJSON is a task row in the live shape (task_status, source, target,
// times without a zone beside epoch milliseconds); msg goes only on a part
// that carries the run's failure (withMsg).
func (s *Server) partJSON(run *run, id, name, st string, msg any, withMsg bool, units float64, rows int) map[string]any {
	if !withMsg || st == "succeeded" {
		msg = nil
	}
	return map[string]any{
		"task_id": id, "task_name": name, "run_id": run.id, "run_group_id": run.groupID, "task_type": "src_to_trgt",
		"task_status": st, "error_description": msg, "units": units, "total_rows": rows,
		"source": "fake-source", "target": "fake-target", "target_table": name,
		"start_date_utc": zoneless(run.started), "start_date_in_milliseconds": millis(run.started),
		"end_date_utc": zoneless(run.ended), "end_date_in_milliseconds": millis(run.ended),
	}
}

// logicSteps answers as the live API does: the steps under "steps", an
// object keyed by each step's name.
func (s *Server) logicSteps(w http.ResponseWriter, _ *http.Request, run *run, rv *river) {
	if !isLogic(rv) {
		writeError(w, v1, http.StatusBadRequest, "Only logic flows have logic steps")
		return
	}
	st, msg := runStatus(run, rv, time.Now())
	steps := make(map[string]any, len(logicSteps))
	for i, step := range logicSteps {
		stepSt := stepStatus(i, st)
		var stepMsg any
		if i == len(logicSteps)-1 && stepSt != "succeeded" {
			stepMsg = msg
		}
		steps[step.name] = map[string]any{
			"step_id": step.id, "block_type": step.kind, "step_status": stepSt, "error_description": stepMsg,
			"is_container": false, "container_type": nil, "loop_iteration_number": 0, "step_index": fmt.Sprintf("%d.0", i),
			"step_execution_id": run.id + ":" + step.id + ":0", "units": runUnits / 2, "logicode_statistics": nil,
			"start_date_utc": zoneless(run.started), "start_date_in_milliseconds": millis(run.started),
			"end_date_utc": zoneless(run.ended), "end_date_in_milliseconds": millis(run.ended),
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"account_id": s.AccountID, "environment_id": s.EnvironmentID,
		"river_cross_id": rv.ID, "run_id": run.id, "steps": steps})
}

// stepLog answers a presigned URL of the server's storage for a code
// step's log (of the loop iteration asked for); SQL steps have no log, as
// on the live API.
func (s *Server) stepLog(w http.ResponseWriter, r *http.Request, run *run, rv *river) {
	id := r.PathValue("step")
	for _, step := range logicSteps {
		if !isLogic(rv) || step.id != id {
			continue
		}
		if step.kind != "logicode" {
			writeError(w, v1, http.StatusBadRequest, "Invalid step type "+step.kind)
			return
		}
		path := stepLogPrefix + run.id + "/" + id
		if it := r.URL.Query().Get("iteration_number"); it != "" {
			n, err := strconv.Atoi(it)
			if err != nil || n < 0 {
				writeValidation(w, fieldError{"int_parsing", []string{"query", "iteration_number"}, "Input should be a valid integer", it})
				return
			}
			path += "/" + strconv.Itoa(n)
		}
		writeJSON(w, http.StatusOK, map[string]string{"logs_url": s.presign(path, 5*time.Minute)})
		return
	}
	writeError(w, v1, http.StatusNotFound, "Step "+id+" not found")
}

// stepLogPrefix begins the storage path of a step's log:
// step-logs/{run}/{step}[/{iteration}].
const stepLogPrefix = "step-logs/"

// stepLogContent is the log a step-log storage path names, if its run is
// known; s.mu held.
func (s *Server) stepLogContent(path string) ([]byte, bool) {
	parts := strings.Split(strings.TrimPrefix(path, stepLogPrefix), "/")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, false
	}
	run, ok := s.runs[parts[0]]
	if !ok {
		return nil, false
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s INFO step extract started (run %s", run.started.UTC().Format(time.RFC3339), run.id)
	if len(parts) == 3 {
		fmt.Fprintf(&b, ", iteration %s", parts[2])
	}
	fmt.Fprintf(&b, ")\n%s INFO extracted 1000 rows\n", run.started.Add(time.Second).UTC().Format(time.RFC3339))
	return []byte(b.String()), true
}

func (s *Server) runVariables(w http.ResponseWriter, _ *http.Request, run *run, rv *river) {
	if !isLogic(rv) {
		writeError(w, v1, http.StatusBadRequest, "Only logic flows have run variables")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"variables": map[string]any{
		"run_date": run.started.UTC().Format("2006-01-02"), "rows_loaded": runRows, "target_schema": "analytics",
	}})
}
