package rivery_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// %#v prints a Token as Go syntax with its package; other verbs, %#x
// included, print the plain redacted form.
func TestTokenFormatVerbs(t *testing.T) {
	t.Parallel()
	tok := rivery.Token{ID: "t1", Name: "ci", Value: "rvt_secret"}
	if got := fmt.Sprintf("%#v", tok); !strings.HasPrefix(got, "rivery.Token{ID:t1") || strings.Contains(got, "rvt_secret") {
		t.Errorf("%%#v = %q", got)
	}
	for _, verb := range []string{"%v", "%s", "%#x", "%+v"} {
		if got := fmt.Sprintf(verb, tok); !strings.HasPrefix(got, "Token{ID:t1") || strings.Contains(got, "rvt_secret") {
			t.Errorf("%s = %q", verb, got)
		}
	}
}

// A v1 run that names no river gets the river asked for; one that names
// its river keeps it.
func TestGetRunRiverFallback(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","status":"running"}`),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_cross_id":"other","status":"running"}`),
	))
	for _, want := range []string{riverID, "other"} {
		run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
		if err != nil || run.RiverID != want {
			t.Errorf("GetRun = %+v, %v; want river %s", run, err, want)
		}
	}
}
