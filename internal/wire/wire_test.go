package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMillis(t *testing.T) {
	t.Parallel()
	want := time.UnixMilli(1732701600000).UTC()
	for in, exp := range map[string]time.Time{
		`1732701600000`:   want,
		`"1732701600000"`: want,
		`1732701600000.0`: want,
		`null`:            {},
		`"soon"`:          {},
		`-5`:              {},
		`1e300`:           {},
	} {
		var m Millis
		if err := json.Unmarshal([]byte(in), &m); err != nil || !m.Equal(exp) {
			t.Errorf("Millis(%s) = %v, %v; want %v", in, m.Time, err, exp)
		}
	}
}

func TestTime(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 27, 10, 2, 5, 500e6, time.UTC)
	for in, exp := range map[string]time.Time{
		`"2026-11-27T10:02:05.5Z"`:      want,
		`"2026-11-27T12:02:05.5+02:00"`: want,
		`"2026-11-27T10:02:05.5"`:       want,
		`"2026-11-27 10:02:05.5"`:       want,
		`null`:                          {},
		`""`:                            {},
		`"yesterday"`:                   {},
		`42`:                            {},
	} {
		var v Time
		if err := json.Unmarshal([]byte(in), &v); err != nil || !v.Equal(exp) {
			t.Errorf("Time(%s) = %v, %v; want %v", in, v.Time, err, exp)
		}
	}
}

// encodingJSON is what encoding/json writes for v with HTML escaping off.
func encodingJSON(t testing.TB, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{"63b724fc690def001131d242", `a"b\c`, "\x00\x01\b\f\n\r\t\x1f\x7f", "<&>", "\u2028\u2029é", "\xff\xfe", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(RunRiver{RiverID: s}.AppendJSON(nil)), encodingJSON(t, RunRiver{RiverID: s}); got != want {
			t.Fatalf("RunRiver %q: %s, encoding/json %s", s, got, want)
		}
		if got, want := string(CancelRun{RunID: s}.AppendJSON(nil)), encodingJSON(t, CancelRun{RunID: s}); got != want {
			t.Fatalf("CancelRun %q: %s, encoding/json %s", s, got, want)
		}
	})
}
