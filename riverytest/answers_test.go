package riverytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

// postJSON sends a POST with a JSON body and decodes a JSON object answer.
func postJSON(t *testing.T, s *riverytest.Server, path, body string) map[string]any {
	t.Helper()
	status, answer := send(t, s, http.MethodPost, path, body)
	var m map[string]any
	if status/100 != 2 || json.Unmarshal([]byte(answer), &m) != nil {
		t.Fatalf("POST %s %s: %d %s", path, body, status, answer)
	}
	return m
}

// getJSON sends a GET with the admin token and decodes a JSON object answer.
func getJSON(t *testing.T, s *riverytest.Server, path string) map[string]any {
	t.Helper()
	status, answer := raw(t, s, s.AdminToken(), path)
	var m map[string]any
	if status != http.StatusOK || json.Unmarshal([]byte(answer), &m) != nil {
		t.Fatalf("GET %s: %d %s", path, status, answer)
	}
	return m
}

// A cancel answers, with the message "Run cancel requested" and nothing
// else, the ID it was asked to cancel by: run_id for a run (console, or v1
// with run_id), run_group_id for a run group (v1 only: the console API
// cancels runs, not groups).
func TestCancelAnswerBodies(t *testing.T) {
	t.Parallel()
	const slow = "63b724fc690def001131d2f1"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: slow, Duration: time.Hour}))
	trigger := func() (runID, groupID string) {
		t.Helper()
		answer := postJSON(t, s, envPath(s)+"/rivers/"+slow+"/run", `{}`)
		runs, _ := answer["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("trigger answered %v", answer)
		}
		runID, _ = runs[0].(map[string]any)["run_id"].(string)
		groupID, _ = answer["run_group_id"].(string)
		if runID == "" || groupID == "" {
			t.Fatalf("trigger answered %v", answer)
		}
		return runID, groupID
	}
	check := func(what string, got, want map[string]any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s answered %v, want %v", what, got, want)
		}
	}
	const msg = "Run cancel requested"

	// console: by run
	run := postJSON(t, s, "/api/run", `{"river_id": "`+slow+`"}`)
	id, _ := run["run_id"].(string)
	if id == "" {
		t.Fatalf("console run answered %v", run)
	}
	check("console cancel", postJSON(t, s, "/api/run/cancel", `{"run_id": "`+id+`"}`), map[string]any{"run_id": id, "message": msg})

	// v1: by run, then by group
	id, _ = trigger()
	check("v1 cancel by run", postJSON(t, s, envPath(s)+"/rivers/"+slow+"/cancel_run", `{"run_id": "`+id+`"}`),
		map[string]any{"run_id": id, "message": msg})
	_, group := trigger()
	check("v1 cancel by group", postJSON(t, s, envPath(s)+"/rivers/"+slow+"/cancel_run", `{"run_group_id": "`+group+`"}`),
		map[string]any{"run_group_id": group, "message": msg})
}

// A v1 trigger says "Run was triggered" of each run it started, unless the
// run has a message of its own: a trigger skipped while a run is in flight
// names that run. sub_river_id is null for a river without sub-rivers and
// the sub-river's ID for a master river's run, in the trigger answer and
// in the targets view.
func TestV1TriggerRunMessagesAndSubRiverIDs(t *testing.T) {
	t.Parallel()
	const skipper, master, sub = "63b724fc690def001131d2f2", "63b724fc690def001131d2f3", "64c1d2e3f4a5b6c7d8e9f4f0"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: skipper, Duration: time.Hour, SkipWhileRunning: true}),
		riverytest.WithRiver(riverytest.River{ID: master, SubRivers: []riverytest.SubRiver{{ID: sub, Name: "only"}}}),
	)
	trigger := func(river string) map[string]any {
		t.Helper()
		answer := postJSON(t, s, envPath(s)+"/rivers/"+river+"/run", `{}`)
		runs, _ := answer["runs"].([]any)
		if len(runs) != 1 {
			t.Fatalf("trigger of %s answered %v", river, answer)
		}
		run, _ := runs[0].(map[string]any)
		return run
	}
	check := func(what string, run map[string]any, status, message string, subRiver any) {
		t.Helper()
		if got, ok := run["sub_river_id"]; !ok || got != subRiver {
			t.Errorf("%s: sub_river_id = %#v (present %v), want %#v", what, got, ok, subRiver)
		}
		if run["status"] != status || run["message"] != message {
			t.Errorf("%s: status %v, message %q; want %s, %q", what, run["status"], run["message"], status, message)
		}
	}

	first := trigger(skipper)
	check("a trigger", first, "pending", "Run was triggered", nil)
	// A trigger while a run is in flight answers as the live API does: the
	// status and message at the top, and no runs.
	skipped := postJSON(t, s, envPath(s)+"/rivers/"+skipper+"/run", `{}`)
	if _, ok := skipped["runs"]; ok || skipped["status"] != "skipped" || skipped["run_group_id"] == nil ||
		skipped["message"] != fmt.Sprintf("The river is already in progress, please use the run id '%s' in order to check the status of the run.", first["run_id"]) {
		t.Errorf("a trigger while a run is in flight answered %v", skipped)
	}
	check("a master river's trigger", trigger(master), "pending", "Run was triggered", sub)

	now := time.Now().UTC()
	window := "?start_time=" + now.Add(-time.Hour).Format("2006-01-02T15:04:05") + "&end_time=" + now.Add(time.Hour).Format("2006-01-02T15:04:05")
	for river, want := range map[string]any{skipper: nil, master: sub} {
		items, _ := getJSON(t, s, envPath(s)+"/rivers/"+river+"/activities_targets"+window)["items"].([]any)
		if len(items) == 0 {
			t.Fatalf("targets of %s: no items", river)
		}
		for _, it := range items {
			if got, ok := it.(map[string]any)["sub_river_id"]; !ok || got != want {
				t.Errorf("targets of %s: sub_river_id = %#v (present %v), want %#v", river, got, ok, want)
			}
		}
	}
}

// The sub-river runs view answers an unpaged envelope (no next_page) when
// its runs fit in one page of 20 and the request names no page, and a page
// otherwise: 20 runs come whole, 21 come as a first page of 20 and a link
// to the rest. A run's error_description is null until it has one.
func TestSubRiverRunsUnpagedUpToTwenty(t *testing.T) {
	t.Parallel()
	const master = "63b724fc690def001131d2f4"
	subs := make([]riverytest.SubRiver, 19)
	for i := range subs {
		subs[i] = riverytest.SubRiver{ID: fmt.Sprintf("64c1d2e3f4a5b6c7d8e9f%03x", i), Name: fmt.Sprintf("sub-%d", i)}
	}
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: master, Duration: time.Hour, SubRivers: subs}))
	now := time.Now().UTC()
	recorded, err := s.AddRun(riverytest.RecordedRun{RiverID: master, SubRiverID: subs[0].ID, Started: now.Add(-30 * time.Minute), Status: "failed", Message: "source is down"})
	if err != nil {
		t.Fatal(err)
	}
	postJSON(t, s, envPath(s)+"/rivers/"+master+"/run", `{}`) // 19 runs, still pending
	view := envPath(s) + "/rivers/" + master + "/activities_sub_rivers?start_time=" + now.Add(-time.Hour).Format("2006-01-02T15:04:05") +
		"&end_time=" + now.Add(time.Hour).Format("2006-01-02T15:04:05")
	itemsOf := func(page map[string]any) []map[string]any {
		t.Helper()
		list, _ := page["items"].([]any)
		items := make([]map[string]any, len(list))
		for i, it := range list {
			items[i], _ = it.(map[string]any)
		}
		return items
	}

	// 20 runs: one unpaged envelope, the recorded (oldest) run last.
	page := getJSON(t, s, view)
	items := itemsOf(page)
	if next, paged := page["next_page"]; paged || len(items) != 20 || page["total_items"] != 20.0 || page["current_page_size"] != 20.0 || page["page"] != 1.0 {
		t.Fatalf("20 runs: next_page %v (present %v), %d items, total_items %v, current_page_size %v, page %v; want an unpaged envelope of 20",
			next, paged, len(items), page["total_items"], page["current_page_size"], page["page"])
	}
	for i, it := range items {
		desc, ok := it["error_description"]
		switch {
		case !ok:
			t.Errorf("run %d: no error_description", i)
		case i < 19 && desc != nil:
			t.Errorf("pending run %d: error_description = %#v, want null", i, desc)
		case i == 19 && (it["run_id"] != recorded || desc != "source is down"):
			t.Errorf("last run = %v, want the recorded run %s with its message", it, recorded)
		}
	}
	// Naming a page gets a page, even of 20.
	for _, q := range []string{"&page=1", "&items_per_page=20"} {
		page := getJSON(t, s, view+q)
		if next, paged := page["next_page"]; !paged || next != nil || len(itemsOf(page)) != 20 {
			t.Errorf("20 runs with %s: next_page %v (present %v), %d items; want a page of 20 with a null next_page", q, next, paged, len(itemsOf(page)))
		}
	}

	// 21 runs: a first page of 20 and a link to the 21st.
	postJSON(t, s, envPath(s)+"/rivers/"+master+"/sub_rivers/"+subs[1].ID+"/run", `{}`)
	page = getJSON(t, s, view)
	next, _ := page["next_page"].(string)
	if len(itemsOf(page)) != 20 || page["total_items"] != 21.0 || !strings.HasPrefix(next, s.URL+"/") {
		t.Fatalf("21 runs: %d items, total %v, next_page %q", len(itemsOf(page)), page["total_items"], next)
	}
	rest := getJSON(t, s, strings.TrimPrefix(next, s.URL))
	if items := itemsOf(rest); len(items) != 1 || items[0]["run_id"] != recorded || items[0]["error_description"] != "source is down" || rest["next_page"] != nil {
		t.Errorf("second page = %v, want only the recorded run", rest)
	}
}
