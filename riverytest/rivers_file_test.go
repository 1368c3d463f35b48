package riverytest_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

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

// Every River field is a key of the rivers file, in snake case: a knob
// added to River and not to ReadRivers fails here.
func TestReadRiversKnowsEveryKnob(t *testing.T) {
	t.Parallel()
	in := `[{"id": "63b724fc690def001131d2e1", "name": "master", "type": "logic", "group_id": "g1", "group_name": "nightly",
		"description": "d", "disabled": true, "outcome": "failed", "message": "disk full", "polls": 3, "duration": "90s",
		"operation_error": "op failed", "sub_rivers": [{"id": "64c1d2e3f4a5b6c7d8e9f4e1", "name": "orders", "outcome": "canceled", "message": "m"}],
		"no_runs": true, "skip_while_running": true, "cancel_as_failed": true, "omit_pending_status": true, "schedule": "0 0 * * * ? *"}]`
	rivers, err := riverytest.ReadRivers(strings.NewReader(in))
	if err != nil || len(rivers) != 1 {
		t.Fatalf("ReadRivers = %+v, %v", rivers, err)
	}
	got := reflect.ValueOf(rivers[0])
	for i := range got.NumField() {
		if got.Field(i).IsZero() {
			t.Errorf("River.%s was not read from the file (want key %q)", got.Type().Field(i).Name, snake(got.Type().Field(i).Name))
		}
	}
	want := riverytest.SubRiver{ID: "64c1d2e3f4a5b6c7d8e9f4e1", Name: "orders", Outcome: "canceled", Message: "m"}
	if len(rivers[0].SubRivers) != 1 || rivers[0].SubRivers[0] != want || rivers[0].Duration != 90*time.Second || rivers[0].Polls != 3 {
		t.Errorf("river = %+v", rivers[0])
	}
}

// snake is a Go field name in snake case: SkipWhileRunning is
// skip_while_running, ID is id.
func snake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 && !unicode.IsUpper(rune(name[i-1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// A wrong file is reported by river, key and what the key wants, never by
// a Go type.
func TestReadRiversErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`[{"id": "a", "polls": "three"}]`:        `river 0: key "polls": want a whole number, got "three"`,
		`[{}, {"name": "orders", "polls": 1.5}]`: `river 1 ("orders"): key "polls": want a whole number, got 1.5`,
		`[{"id": "a", "sub_river": []}]`:         `river 0: unknown key "sub_river" (the keys are `,
		`[{"id": "a/b"}]`:                        `river 0: key "id": want a plain ID`,
		`[{"sub_rivers": [{"name": "x"}]}]`:      `river 0: key "sub_rivers": want an array of objects with "id" (required)`,
		`[{"skip_while_running": "yes"}]`:        `river 0: key "skip_while_running": want true or false, got "yes"`,
		`[{"duration": "soon"}]`:                 `river 0: key "duration": want a Go duration such as "90s" or "10m", got "soon"`,
		`{"id": "a"}`:                            `rivers file: want a JSON array of river objects, got an object`,
		`[1]`:                                    `river 0: want an object, got 1`,
		"[\n{\"id\": \"a\",}\n]":                 `rivers file: line 2: invalid character '}'`,
		``:                                       `rivers file: empty: want a JSON array`,
		`[{"id": "a"}, {"id": "a", "name": "again"}]`:             `river 1 ("again") repeats ID "a"`,
		`[{"id": "https://console.rivery.io/river/a/b/river/c"}]`: `key "id": want a plain ID`,
		"[\n{\"id\": \"a\",\n":                                    `rivers file: the JSON ends too soon, after line 2: want a JSON array`,
	} {
		_, err := riverytest.ReadRivers(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Go value") || strings.Contains(err.Error(), "Go struct") || strings.Contains(err.Error(), "json:") {
			t.Errorf("%q: error %v; want %q", in, err, want)
		}
	}
}
