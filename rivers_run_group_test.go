package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// Run stays comparable with == and usable as a map key, as in 0.1.0: this
// file does not compile otherwise.
var _ = map[rivery.Run]bool{}

// A multi-run trigger's Run points to its group; the group's runs do not
// point back, so a group marshals to JSON (no cycle) with every run in it.
func TestRunGroupShapeAndJSON(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+masterRiver+"/run", httpmock.NewStringResponder(202, fixture(t, "v1_run_group_multi.json")))
	run, _, err := c.Rivers.Run(context.Background(), masterRiver)
	if err != nil || run.Group == nil {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	g := run.Group
	if g.ID != groupID || g.RiverID != masterRiver || run.GroupID != g.ID || len(g.Runs) != 3 || g.Runs[0].ID != run.ID {
		t.Fatalf("group = %+v", g)
	}
	for _, r := range g.Runs {
		if r.Group != nil || r.GroupID != groupID {
			t.Errorf("run %s of the group: Group %v, GroupID %q", r.ID, r.Group, r.GroupID)
		}
	}
	body, err := json.Marshal(run)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var back struct {
		ID    string
		Group *struct {
			ID   string
			Runs []struct {
				ID    string
				Group *json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(body, &back); err != nil || back.Group == nil || back.Group.ID != groupID || len(back.Group.Runs) != 3 ||
		back.Group.Runs[1].ID != subRun2 || back.Group.Runs[1].Group != nil {
		t.Errorf("JSON of a group run = %s (%v)", body, err)
	}
	// A single run has no group.
	single := *g.Runs[0]
	if single.Group != nil || single == *run {
		t.Errorf("a run of the group equals the group: %+v", single)
	}
}

func TestWaitForGroupWithoutRunsIsAnError(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	empty := &rivery.Run{ID: subRun1, RiverID: masterRiver, Group: &rivery.RunGroup{ID: groupID, RiverID: masterRiver}}
	if _, err := c.Rivers.WaitForGroup(context.Background(), empty, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("WaitForGroup of a group without runs: %v", err)
	}
}
