package riverytest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// A rivers file of exactly 8 MiB is read; one byte more is refused.
func TestReadRiversSizeLimit(t *testing.T) {
	t.Parallel()
	const limit = 8 << 20
	doc := `[{"id": "63b724fc690def001131d2f1", "duration": "0s"}]`
	for size, wantErr := range map[int]bool{limit: false, limit + 1: true} {
		in := doc + strings.Repeat(" ", size-len(doc))
		rivers, err := riverytest.ReadRivers(strings.NewReader(in))
		if gotErr := err != nil; gotErr != wantErr || (!wantErr && len(rivers) != 1) {
			t.Errorf("%d bytes: %d rivers, %v; want an error: %v", size, len(rivers), err, wantErr)
		}
		if wantErr && err != nil && !strings.Contains(err.Error(), "over 8 MiB") {
			t.Errorf("%d bytes: %v; want it to say over 8 MiB", size, err)
		}
	}
}

// A zero duration is a river that ends at once; a negative one is refused.
func TestReadRiversDurations(t *testing.T) {
	t.Parallel()
	for dur, ok := range map[string]bool{"0s": true, "90s": true, "-1s": false} {
		_, err := riverytest.ReadRivers(strings.NewReader(`[{"id": "63b724fc690def001131d2f2", "duration": "` + dur + `"}]`))
		if (err == nil) != ok {
			t.Errorf("duration %s: %v; want accepted: %v", dur, err, ok)
		}
	}
}

// Triggering one sub-river of a master starts that sub-river's run only.
func TestRunSubRiverStartsOnlyIt(t *testing.T) {
	t.Parallel()
	const master, a, b = "63b724fc690def001131d2f3", "64c1d2e3f4a5b6c7d8e9f4f1", "64c1d2e3f4a5b6c7d8e9f4f2"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: master, Polls: -1,
		SubRivers: []riverytest.SubRiver{{ID: a, Name: "a"}, {ID: b, Name: "b"}}}))
	run, _, err := s.ClientV1().Rivers.RunSubRiver(context.Background(), master, b)
	if err != nil {
		t.Fatal(err)
	}
	if run.SubRiverID != b || (run.Group != nil && len(run.Group.Runs) != 1) {
		t.Errorf("RunSubRiver(b) = %+v (group %+v); want b's run only", run, run.Group)
	}
}

// A sub-river the master does not have is a 404, and nothing starts.
func TestRunUnknownSubRiver(t *testing.T) {
	t.Parallel()
	const master, a = "63b724fc690def001131d2f4", "64c1d2e3f4a5b6c7d8e9f4f3"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: master, SubRivers: []riverytest.SubRiver{{ID: a, Name: "a"}}}))
	if _, _, err := s.ClientV1().Rivers.RunSubRiver(context.Background(), master, "64c1d2e3f4a5b6c7d8e9f4ff"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("RunSubRiver(unknown) = %v; want a 404", err)
	}
	if _, _, err := s.ClientV1().Rivers.RunSubRiver(context.Background(), master, a); err != nil {
		t.Errorf("RunSubRiver(a) = %v", err)
	}
}

// The environment's variables list as an object: empty with none, and
// with the ones seeded.
func TestListEnvironmentVariables(t *testing.T) {
	t.Parallel()
	for want, opts := range map[string][]riverytest.Option{
		`{"variables":{}}`:        nil,
		`{"variables":{"a":"1"}}`: {riverytest.WithVariables(map[string]string{"a": "1"})},
	} {
		s := newServer(t, opts...)
		status, body := raw(t, s, s.AdminToken(), envPath(s)+"/variables")
		if status != 200 || strings.TrimSpace(body) != want {
			t.Errorf("GET variables: %d %s; want %s", status, body, want)
		}
	}
}
