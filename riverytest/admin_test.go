package riverytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// A deleted river takes its runs along: every route that reads runs
// answers as if the river never ran (404 for its run), instead of failing
// on a run whose river is gone.
func TestDeletedRiverTakesItsRuns(t *testing.T) {
	t.Parallel()
	const gone = "63b724fc690def001131d2dd"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: gone, Name: "gone"}))
	c := s.ClientV1(rivery.WithoutRetries())
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, gone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rivers.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.GetRun(ctx, gone, run.ID); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("GetRun of the deleted river's run = %v, want 404", err)
	}
	if status, body := raw(t, s, s.AdminToken(), "/api/check_run?run_id="+run.ID); status != http.StatusNotFound {
		t.Errorf("check_run of the deleted river's run: %d %s", status, body)
	}
	win := "?start_time=2000-01-01T00:00:00&end_time=2100-01-01T00:00:00"
	if status, body := raw(t, s, s.AdminToken(), envPath(s)+"/activities_statistics"+win); status != http.StatusOK {
		t.Errorf("environment statistics: %d %s", status, body)
	}
	if runs := s.Runs(gone); len(runs) != 0 || s.RunsStarted(gone) != 0 {
		t.Errorf("Runs of the deleted river = %v", runs)
	}
}

// A pull request's cancel takes pull requests only: the operation of a CDC
// switch or a dataframe's clear is not one, and its cancel answers 404.
func TestCancelPullTakesOnlyPullRequests(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithDataframe(riverytest.Dataframe{Name: "orders"}))
	c := s.ClientV1(rivery.WithoutRetries())
	ctx := context.Background()
	cdcOp, _, err := c.CDC.Enable(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	clearOp, _, err := c.Dataframes.Clear(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []*rivery.Operation{cdcOp, clearOp} {
		if status, body := send(t, s, http.MethodPost, envPath(s)+"/pull_requests/"+op.ID+"/cancel_run", "{}"); status != http.StatusNotFound {
			t.Errorf("cancel of %s operation %s as a pull request: %d %s", op.Type, op.ID, status, body)
		}
	}
	if op, err := c.Rivers.WaitForOperation(ctx, cdcOp, nil); err != nil || op.Status != rivery.OperationDone || !s.CDCState(riverID).Enabled {
		t.Errorf("the CDC switch after the refused cancel = %+v, %v", op, err)
	}
}

// A connection's tables page by cursor both ways: previous_page names the
// page before, not the first.
func TestConnectionTablesPreviousPage(t *testing.T) {
	t.Parallel()
	tables := make([]riverytest.Table, 5)
	for i := range tables {
		tables[i] = riverytest.Table{Name: fmt.Sprintf("t%d", i)}
	}
	s := newServer(t, riverytest.WithConnection(riverytest.Connection{ID: "66a1b2c3d4e5f60718293a4c", Tables: tables}))
	type page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Next     string `json:"next_page"`
		Previous string `json:"previous_page"`
	}
	get := func(path string) page {
		t.Helper()
		status, body := raw(t, s, s.AdminToken(), path)
		var p page
		if status != http.StatusOK || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		return p
	}
	names := func(p page) string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		return strings.Join(out, ",")
	}
	p := get(envPath(s) + "/connections/66a1b2c3d4e5f60718293a4c/tables?items_per_page=2")
	for _, want := range []string{"t2,t3", "t4"} {
		p = get(strings.TrimPrefix(p.Next, s.URL))
		if got := names(p); got != want {
			t.Fatalf("next page = %s, want %s", got, want)
		}
	}
	if got := names(get(strings.TrimPrefix(p.Previous, s.URL))); got != "t2,t3" {
		t.Errorf("previous page of the last = %s, want t2,t3", got)
	}
}

// Disabling a river turns its CDC log off too, as the live API does.
func TestDisablingARiverTurnsItsCDCOff(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithCDC(riverytest.CDC{RiverID: riverID, Enabled: true, Config: map[string]any{"binlog_file": "mysql-bin.000042"}}))
	c, ctx := s.ClientV1(), context.Background()
	op, _, err := c.Rivers.Disable(ctx, riverID)
	if err == nil {
		op, err = c.Rivers.WaitForOperation(ctx, op, nil)
	}
	if err != nil || op.Status != rivery.OperationDone {
		t.Fatalf("Disable = %+v, %v", op, err)
	}
	if st := s.CDCState(riverID); st.Enabled {
		t.Errorf("CDC after the river was disabled = %+v, want off", st)
	}
}
