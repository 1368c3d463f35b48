package riverytest_test

import (
	"context"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// A run group's view counts its runs by status, sums their units, and says
// what the group came to: all succeeded, some (partially succeeded), none
// (failed).
func TestRunGroupViewStatusAndCounts(t *testing.T) {
	t.Parallel()
	const master = "63b724fc690def001131d3b1"
	for name, tc := range map[string]struct {
		outcomes []string
		status   string
		counts   map[string]float64
	}{
		"all succeeded": {[]string{"succeeded", "succeeded"}, "succeeded", map[string]float64{"succeeded": 2, "failed": 0}},
		"one failed":    {[]string{"succeeded", "failed", "succeeded"}, "partially succeeded", map[string]float64{"succeeded": 2, "failed": 1}},
		"all failed":    {[]string{"failed", "failed"}, "failed", map[string]float64{"succeeded": 0, "failed": 2}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var subs []riverytest.SubRiver
			for i, o := range tc.outcomes {
				subs = append(subs, riverytest.SubRiver{ID: "64c1d2e3f4a5b6c7d8e9f4a" + string(rune('0'+i)), Outcome: o})
			}
			s := newServer(t, riverytest.WithRiver(riverytest.River{ID: master, Polls: -1, SubRivers: subs}))
			c := s.ClientV1()
			run, _, err := c.Rivers.Run(context.Background(), master)
			if err != nil || run.GroupID == "" || run.Group == nil || len(run.Group.Runs) != len(tc.outcomes) {
				t.Fatalf("Run = %+v, %v", run, err)
			}
			for _, r := range run.Group.Runs { // one status call each: they end (Polls -1)
				if _, _, err := c.Rivers.GetRun(context.Background(), master, r.ID); err != nil {
					t.Fatal(err)
				}
			}
			g := getJSON(t, s, "/v1/accounts/"+s.AccountID+"/environments/"+s.EnvironmentID+"/rivers/"+master+"/activities_run_groups/"+run.GroupID)
			if g["status"] != tc.status {
				t.Errorf("status %v, want %s (%v)", g["status"], tc.status, g)
			}
			for st, want := range tc.counts {
				if !near(g[st], want) {
					t.Errorf("%s: %v, want %v", st, g[st], want)
				}
			}
			if !near(g["units"], 0.25*float64(len(tc.outcomes))) {
				t.Errorf("units %v, want 0.25 a run", g["units"])
			}
		})
	}
}
