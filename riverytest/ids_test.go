package riverytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// Connections, runs, operations, definition versions and the Boomi user
// all take their numbers from one sequence. However creations of different
// kinds interleave, no ID is handed out twice and each keeps its form: a
// connection added after another thing was made does not replace an
// earlier connection, and a saved version does not reuse an older one's ID.
func TestIDsDistinctWhenKindsInterleave(t *testing.T) {
	t.Parallel()
	const disabled = "63b724fc690def001131d2f0"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: disabled, Disabled: true}))
	console, v1 := s.Client(), s.ClientV1()
	ctx := context.Background()
	forms := map[string]*regexp.Regexp{
		"connection": regexp.MustCompile(`^[0-9a-f]{24}$`),
		"operation":  regexp.MustCompile(`^[0-9a-f]{24}$`),
		"version":    regexp.MustCompile(`^[0-9a-f]{24}$`),
		"run":        regexp.MustCompile(`^[0-9a-f]{32}$`),
	}
	seen := map[string]string{} // ID -> the step that got it
	step := 0
	note := func(kind, id string) {
		t.Helper()
		step++
		what := fmt.Sprintf("%s (step %d)", kind, step)
		if !forms[kind].MatchString(id) {
			t.Errorf("%s: ID %q is not of the documented form %s", what, id, forms[kind])
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("%s: ID %s was already handed out to %s", what, id, prev)
		}
		seen[id] = what
	}

	conns := 0
	conn := func() {
		t.Helper()
		conns++
		note("connection", s.AddConnection(riverytest.Connection{}).ID)
	}
	run := func() {
		t.Helper()
		r, _, err := console.Rivers.Run(ctx, riverID) // one run: one number
		if err != nil {
			t.Fatal(err)
		}
		note("run", r.ID)
	}
	op := func() {
		t.Helper()
		o, _, err := v1.Rivers.Activate(ctx, disabled) // never polled: the river stays disabled
		if err != nil {
			t.Fatal(err)
		}
		note("operation", o.ID)
	}
	version := func() {
		t.Helper()
		status, body := send(t, s, http.MethodPut, envPath(s)+"/rivers/"+riverID, `{"name": "demo", "metadata": {}}`)
		var def struct {
			Metadata struct {
				CurrentVersionID string `json:"current_version_id"`
			} `json:"metadata"`
		}
		if status != http.StatusOK || json.Unmarshal([]byte(body), &def) != nil {
			t.Fatalf("PUT river: %d %s", status, body)
		}
		note("version", def.Metadata.CurrentVersionID)
	}

	// Each kind twice with exactly one creation of another kind between.
	conn()
	run()
	conn()
	op()
	run()
	op()
	version()
	run()
	version()
	conn()
	if cr := s.BoomiCredentials(); cr.AccountID == "" {
		t.Fatalf("Boomi credentials without an account: %+v", cr)
	}
	conn()

	if got := len(s.Connections()); got != conns {
		t.Errorf("Connections() lists %d connections, want the %d added", got, conns)
	}
	status, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/versions")
	var versions struct {
		Items []struct {
			VersionID string `json:"version_id"`
		} `json:"items"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &versions) != nil || len(versions.Items) != 3 {
		t.Fatalf("versions: %d %s", status, body) // the seeded one and two PUTs
	}
	ids := map[string]bool{}
	for _, v := range versions.Items {
		if ids[v.VersionID] {
			t.Errorf("versions list version %s twice: %s", v.VersionID, body)
		}
		ids[v.VersionID] = true
	}
}
