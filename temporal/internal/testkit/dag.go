package testkit

import (
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// FailingDAG is a DAG with a failing branch, its rivers on the fake and
// its nodes:
//
//	extract(A) -> load(B, fails) -> report(C)
//	extract(A) -> index(D)
//	audit(E)
//
// ids are the five rivers' IDs, A to E.
func FailingDAG(ids [5]string) ([]riverytest.River, []riverytemporal.RiverNode) {
	rivers := []riverytest.River{
		{ID: ids[0], Polls: 3},
		{ID: ids[1], Outcome: "failed", Message: "target table locked"},
		{ID: ids[2]},
		{ID: ids[3], Polls: 5},
		{ID: ids[4], Polls: 1},
	}
	nodes := []riverytemporal.RiverNode{
		{Name: "extract", RiverID: ids[0]},
		{Name: "load", RiverID: ids[1], After: []string{"extract"}},
		{Name: "report", RiverID: ids[2], After: []string{"load"}},
		{Name: "index", RiverID: ids[3], After: []string{"extract"}},
		{Name: "audit", RiverID: ids[4]},
	}
	return rivers, nodes
}

// CheckFailingDAG checks how RunRivers ended on FailingDAG: failed, naming
// the rivers that did not succeed; load failed with its run, report
// skipped without one, the others succeeded; one run of every river but
// report on srv.
func CheckFailingDAG(t testing.TB, err error, srv *riverytest.Server, ids [5]string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != riverytemporal.ErrTypeRunFailed || !strings.Contains(err.Error(), "load, report") {
		t.Fatalf("err = %v", err)
	}
	var res riverytemporal.RunRiversResult
	if err := appErr.Details(&res); err != nil {
		t.Fatal(err)
	}
	want := map[string]riverytemporal.Outcome{
		"extract": riverytemporal.OutcomeSucceeded,
		"load":    riverytemporal.OutcomeFailed,
		"report":  riverytemporal.OutcomeSkipped,
		"index":   riverytemporal.OutcomeSucceeded,
		"audit":   riverytemporal.OutcomeSucceeded,
	}
	if len(res.Rivers) != len(want) {
		t.Fatalf("outcomes: %+v", res.Rivers)
	}
	for _, o := range res.Rivers {
		if o.Outcome != want[o.Name] {
			t.Errorf("%s: %s (%s), want %s", o.Name, o.Outcome, o.Error, want[o.Name])
		}
	}
	if load := res.Rivers[1]; load.Run == nil || load.Run.Status != rivery.StatusFailed || !strings.Contains(load.Error, "target table locked") {
		t.Errorf("load: %+v", load)
	}
	if extract := res.Rivers[0]; extract.Run == nil || extract.Run.Status != rivery.StatusSucceeded {
		t.Errorf("extract: %+v", extract)
	}
	for i, n := range []int{1, 1, 0, 1, 1} {
		if got := srv.RunsStarted(ids[i]); got != n {
			t.Errorf("runs of %s: %d, want %d", ids[i], got, n)
		}
	}
}
