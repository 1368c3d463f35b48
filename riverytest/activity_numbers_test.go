package riverytest_test

import (
	"context"
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

// numbersFixture is a server with a plain river (three recorded runs: two
// succeeded, one failed) and a master river with two sub-rivers (one
// recorded run of each: s1 succeeded, s2 failed), and the query string of
// a window holding them all.
type numbersFixture struct {
	s             *riverytest.Server
	window        string
	masterRuns    map[string]string // sub-river ID -> run ID
	masterGroupOf map[string]string // run ID -> run group ID
}

const (
	numPlain  = "63b724fc690def001131d3a1"
	numMaster = "63b724fc690def001131d3a2"
	numSub1   = "64c1d2e3f4a5b6c7d8e9f3a1"
	numSub2   = "64c1d2e3f4a5b6c7d8e9f3a2"
)

func newNumbersFixture(t *testing.T) numbersFixture {
	t.Helper()
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: numPlain, Name: "plain", GroupID: "gp"}),
		riverytest.WithRiver(riverytest.River{ID: numMaster, Name: "master", GroupID: "gm", SubRivers: []riverytest.SubRiver{
			{ID: numSub1, Name: "s1"}, {ID: numSub2, Name: "s2"},
		}}),
	)
	at := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	for i, st := range []string{"succeeded", "failed", "succeeded"} {
		if _, err := s.AddRun(riverytest.RecordedRun{RiverID: numPlain, Started: at.Add(time.Duration(i) * time.Minute), Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	f := numbersFixture{s: s, masterRuns: map[string]string{}, masterGroupOf: map[string]string{}}
	for i, r := range []struct{ sub, st string }{{numSub1, "succeeded"}, {numSub2, "failed"}} {
		id, err := s.AddRun(riverytest.RecordedRun{RiverID: numMaster, SubRiverID: r.sub, Started: at.Add(time.Duration(i) * time.Minute), Status: r.st})
		if err != nil {
			t.Fatal(err)
		}
		f.masterRuns[r.sub] = id
	}
	now := time.Now().UTC()
	f.window = "start_time=" + now.Add(-2*time.Hour).Format("2006-01-02T15:04:05") + "&end_time=" + now.Add(time.Hour).Format("2006-01-02T15:04:05")
	run, _, err := s.ClientV1().Rivers.GetRun(context.Background(), numMaster, f.masterRuns[numSub1])
	if err != nil || run.GroupID == "" {
		t.Fatalf("GetRun = %+v, %v", run, err)
	}
	f.masterGroupOf[run.ID] = run.GroupID
	return f
}

func itemsIn(t *testing.T, page map[string]any) []map[string]any {
	t.Helper()
	v, present := page["items"]
	list, ok := v.([]any)
	if !present || (!ok && v != nil) {
		t.Fatalf("no items in %v", page)
	}
	out := make([]map[string]any, len(list))
	for i, it := range list {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func near(got any, want float64) bool {
	f, ok := got.(float64)
	return ok && math.Abs(f-want) < 1e-9
}

// The environment activities view: each river's units are 0.25 per run in
// the window, its total_size 100 bytes a row of 1000 rows a run, its
// total_files one per run, and is_master_river is true only for a river
// with sub-rivers.
func TestActivitiesNumbersPerRiver(t *testing.T) {
	t.Parallel()
	f := newNumbersFixture(t)
	byRiver := map[string]map[string]any{}
	for _, it := range itemsIn(t, getJSON(t, f.s, envPath(f.s)+"/activities?"+f.window)) {
		id, _ := it["river_id"].(string)
		byRiver[id] = it
	}
	for _, c := range []struct {
		river  string
		runs   int
		master bool
	}{{numPlain, 3, false}, {numMaster, 2, true}} {
		it := byRiver[c.river]
		if it == nil {
			t.Fatalf("activities: no item for river %s", c.river)
		}
		if !near(it["units"], 0.25*float64(c.runs)) || !near(it["rpu"], 0.25*float64(c.runs)) {
			t.Errorf("river %s: units %v, rpu %v; want %v", c.river, it["units"], it["rpu"], 0.25*float64(c.runs))
		}
		if it["total_size"] != float64(100000*c.runs) || it["total_files"] != float64(c.runs) {
			t.Errorf("river %s: total_size %v, total_files %v; want %d, %d", c.river, it["total_size"], it["total_files"], 100000*c.runs, c.runs)
		}
		if it["is_master_river"] != c.master {
			t.Errorf("river %s: is_master_river %v, want %v", c.river, it["is_master_river"], c.master)
		}
	}
}

// The statistics view's status filter counts the runs of that status
// only, and their units only.
func TestStatisticsStatusFilter(t *testing.T) {
	t.Parallel()
	f := newNumbersFixture(t)
	for _, c := range []struct {
		path              string
		status            string
		succeeded, failed int
		units             float64
	}{
		{"/activities_statistics", "", 3, 2, 1.25},
		{"/activities_statistics", "failed", 0, 2, 0.5},
		{"/activities_statistics", "succeeded", 3, 0, 0.75},
		{"/rivers/" + numPlain + "/activities_statistics", "", 2, 1, 0.75},
		{"/rivers/" + numPlain + "/activities_statistics", "failed", 0, 1, 0.25},
	} {
		q := f.window
		if c.status != "" {
			q += "&status=" + c.status
		}
		m := getJSON(t, f.s, envPath(f.s)+c.path+"?"+q)
		if m["succeeded"] != float64(c.succeeded) || m["failed"] != float64(c.failed) || !near(m["total_units"], c.units) || !near(m["total_rpu"], c.units) {
			t.Errorf("%s status=%q: succeeded %v, failed %v, units %v; want %d, %d, %v",
				c.path, c.status, m["succeeded"], m["failed"], m["total_units"], c.succeeded, c.failed, c.units)
		}
	}
}

// The targets view: per table, the units and rows of the runs it holds
// (orders 0.15 units and 600 rows a run, customers 0.10 and 400), filtered
// by run group and sub-river.
func TestTargetsNumbersAndFilters(t *testing.T) {
	t.Parallel()
	f := newNumbersFixture(t)
	var group string
	for _, g := range f.masterGroupOf {
		group = g
	}
	for _, c := range []struct {
		what, river, query string
		runs               int
		runID              string
	}{
		{"all runs of the plain river", numPlain, "", 3, ""},
		{"all runs of the master", numMaster, "", 2, f.masterRuns[numSub2]},
		{"sub-river s1", numMaster, "&sub_river_id=" + numSub1, 1, f.masterRuns[numSub1]},
		{"sub-river s2", numMaster, "&sub_river_id=" + numSub2, 1, f.masterRuns[numSub2]},
		{"s1's run group", numMaster, "&run_group_id=" + group, 1, f.masterRuns[numSub1]},
		{"failed runs", numPlain, "&status=failed", 1, ""},
	} {
		items := itemsIn(t, getJSON(t, f.s, envPath(f.s)+"/rivers/"+c.river+"/activities_targets?"+f.window+c.query))
		if len(items) != 2 {
			t.Errorf("%s: %d tables, want 2: %v", c.what, len(items), items)
			continue
		}
		for i, want := range []struct {
			name  string
			units float64
			rows  int
		}{{"orders", 0.15, 600}, {"customers", 0.10, 400}} {
			it := items[i]
			if it["table_name"] != want.name || !near(it["units"], want.units*float64(c.runs)) || it["total_rows"] != float64(want.rows*c.runs) {
				t.Errorf("%s: table %d = %v, %v units, %v rows; want %s, %v, %d",
					c.what, i, it["table_name"], it["units"], it["total_rows"], want.name, want.units*float64(c.runs), want.rows*c.runs)
			}
			if c.runID != "" && it["run_id"] != c.runID {
				t.Errorf("%s: table %s latest run %v, want %s", c.what, want.name, it["run_id"], c.runID)
			}
		}
	}
	for _, q := range []string{"&sub_river_id=64c1d2e3f4a5b6c7d8e9f3ff", "&run_group_id=" + url.QueryEscape("nope")} {
		if items := itemsIn(t, getJSON(t, f.s, envPath(f.s)+"/rivers/"+numMaster+"/activities_targets?"+f.window+q)); len(items) != 0 {
			t.Errorf("targets%s = %v; want none", q, items)
		}
	}
}

// The targets view comes by units, descending, unless asked otherwise:
// sort_order=asc reverses that order; sort_by=table_name sorts by name,
// ascending whatever the sort_order.
func TestTargetsSortOrder(t *testing.T) {
	t.Parallel()
	f := newNumbersFixture(t)
	for q, want := range map[string][2]string{
		"":                                   {"orders", "customers"},
		"&sort_order=desc":                   {"orders", "customers"},
		"&sort_order=asc":                    {"customers", "orders"},
		"&sort_by=units&sort_order=asc":      {"customers", "orders"},
		"&sort_by=units&sort_order=desc":     {"orders", "customers"},
		"&sort_by=table_name":                {"customers", "orders"},
		"&sort_by=table_name&sort_order=asc": {"customers", "orders"},
	} {
		items := itemsIn(t, getJSON(t, f.s, envPath(f.s)+"/rivers/"+numPlain+"/activities_targets?"+f.window+q))
		if len(items) != 2 || items[0]["table_name"] != want[0] || items[1]["table_name"] != want[1] {
			t.Errorf("targets%s = %v; want %v", q, items, want)
		}
	}
}

// A logic run's tasks are its steps, each counting half the run's 0.25
// units and no rows.
func TestLogicRunTasksUnits(t *testing.T) {
	t.Parallel()
	const logic = "63b724fc690def001131d3a3"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: logic, Type: "logic"}))
	id, err := s.AddRun(riverytest.RecordedRun{RiverID: logic, Started: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tasks, _, err := s.ClientV1().Rivers.RunTasks(context.Background(), logic, id)
	if err != nil || len(tasks) != 2 {
		t.Fatalf("RunTasks = %+v, %v", tasks, err)
	}
	for i, tk := range tasks {
		if tk.Units != 0.125 {
			t.Errorf("task %d: %v units, want 0.125", i, tk.Units)
		}
	}
}

// Connections lists the seeded connections by ID, ascending, whatever
// the order they were added in.
func TestConnectionsOrderedByID(t *testing.T) {
	t.Parallel()
	ids := []string{"660000000000000000000003", "660000000000000000000001", "660000000000000000000004", "660000000000000000000002"}
	s := newServer(t)
	for _, id := range ids {
		s.AddConnection(riverytest.Connection{ID: id})
	}
	got := s.Connections()
	want := []string{"660000000000000000000001", "660000000000000000000002", "660000000000000000000003", "660000000000000000000004"}
	if len(got) != len(want) {
		t.Fatalf("Connections() = %d connections, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i] {
			t.Errorf("Connections()[%d] = %s, want %s", i, got[i].ID, want[i])
		}
	}
}
