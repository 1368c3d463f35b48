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
		`42`:                            time.Unix(42, 0).UTC(), // epoch seconds (see lenient_test.go)
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

// Times outside the years 0 to 9999 in UTC are unreadable: the zero Time,
// which encoding/json can write, never a year it refuses.
func TestTimesOutsideWritableYears(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`"9999-12-31T23:00:00-05:00"`, `"0000-01-01T00:30:00+01:00"`} {
		var v Time
		if err := json.Unmarshal([]byte(in), &v); err != nil || !v.IsZero() {
			t.Errorf("Time(%s) = %v, %v; want the zero Time", in, v.Time, err)
		}
	}
	for _, in := range []string{`999999999999999`, `"253402300800000"`, `253402300799999.9e0`} {
		var m Millis
		if err := json.Unmarshal([]byte(in), &m); err != nil {
			t.Errorf("Millis(%s): %v", in, err)
		}
		if _, err := json.Marshal(m.Time); err != nil {
			t.Errorf("Millis(%s) = %v, which encoding/json cannot write: %v", in, m.Time, err)
		}
	}
	var edge Time // the last writable instant stays readable
	if err := json.Unmarshal([]byte(`"9999-12-31T23:59:59Z"`), &edge); err != nil || edge.IsZero() {
		t.Errorf("Time(9999-12-31T23:59:59Z) = %v, %v", edge.Time, err)
	}
}

// Whatever the server sends, ParseTime and Millis give a time that
// encoding/json can write.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-11-27T10:02:05.5Z", "9999-12-31T23:00:00-05:00", "0000-01-01T00:00:00+01:00", "2026-11-27 10:02:05.5", "999999999999999", "1e300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := json.Marshal(ParseTime(s)); err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
		var m Millis
		_ = m.UnmarshalJSON([]byte(s))
		if _, err := json.Marshal(m.Time); err != nil {
			t.Errorf("Millis(%q): %v", s, err)
		}
	})
}

// The allocation-free reading of the usual shapes agrees with the general
// one wherever it answers.
func FuzzParseTimeFast(f *testing.F) {
	for _, s := range []string{"2026-11-27T10:02:05.5Z", "2026-11-27T10:02:05Z", "2026-11-27 10:02:05.123456789",
		"9999-12-31T23:00:00-05:00", "0000-01-01T00:00:00+01:00", "2024-02-29T00:00:00+05:30", "2023-02-29T00:00:00Z",
		"2026-11-27T24:00:00Z", "2026-13-01T00:00:00Z", "2026-11-27T10:02:05.Z", "2026-11-27T10:02:05.1234567891Z",
		"2026-11-27T10:02:05+24:00", " 2026-11-27T10:02:05Z", `2026-11-27T10:02:05\u005a`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(`"` + s + `"`)
		fast, ok := parseTimeJSON(b)
		if !ok {
			return
		}
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			t.Fatalf("fast path read %q, which is not a JSON string: %v", b, err)
		}
		if slow := ParseTime(str); fast != slow {
			t.Errorf("%s: fast %v, general %v", b, fast, slow)
		}
	})
}

func TestParseTimeJSONAllocates0(t *testing.T) {
	b := []byte(`"2026-11-27T10:02:05.123456-05:00"`)
	var v Time
	if n := testing.AllocsPerRun(100, func() { _ = v.UnmarshalJSON(b) }); n != 0 {
		t.Errorf("Time.UnmarshalJSON allocates %v times, want 0", n)
	}
	if want := time.Date(2026, 11, 27, 15, 2, 5, 123456000, time.UTC); v.Time != want {
		t.Errorf("read %v, want %v", v.Time, want)
	}
}
