package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Every usual shape of a v1 timestamp, at the edges of each field, is read
// by the allocation-free path, to the right instant; what the general
// reading refuses, the fast path refuses too.
func TestParseTimeJSONEdges(t *testing.T) {
	t.Parallel()
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"2026-11-27T10:02:05":            utc(2026, 11, 27, 10, 2, 5, 0), // the shortest shape: 21 bytes quoted
		"2026-11-27 10:02:05":            utc(2026, 11, 27, 10, 2, 5, 0),
		"2026-11-27T10:02:05Z":           utc(2026, 11, 27, 10, 2, 5, 0),
		"2026-01-01T00:00:00Z":           utc(2026, 1, 1, 0, 0, 0, 0),
		"2026-12-31T23:59:59Z":           utc(2026, 12, 31, 23, 59, 59, 0),
		"2026-11-30T00:00:00Z":           utc(2026, 11, 30, 0, 0, 0, 0),
		"2024-02-29T00:00:00Z":           utc(2024, 2, 29, 0, 0, 0, 0),
		"2000-02-29T00:00:00Z":           utc(2000, 2, 29, 0, 0, 0, 0),
		"2026-11-27T10:02:05.5Z":         utc(2026, 11, 27, 10, 2, 5, 500000000),
		"2026-11-27T10:02:05.123456789Z": utc(2026, 11, 27, 10, 2, 5, 123456789),
		"2026-11-27T10:02:05.000000001":  utc(2026, 11, 27, 10, 2, 5, 1),
		"2026-11-27T10:02:05+01:00":      utc(2026, 11, 27, 9, 2, 5, 0),
		"2026-11-27T10:02:05-05:30":      utc(2026, 11, 27, 15, 32, 5, 0),
		"2026-11-27T10:02:05+23:59":      utc(2026, 11, 26, 10, 3, 5, 0),
		"2026-11-27T10:02:05.25-00:01":   utc(2026, 11, 27, 10, 3, 5, 250000000),
		"0000-01-01T00:00:00Z":           utc(0, 1, 1, 0, 0, 0, 0),
		"9999-12-31T23:59:59.999999999Z": utc(9999, 12, 31, 23, 59, 59, 999999999),
	} {
		b := []byte(`"` + in + `"`)
		got, ok := parseTimeJSON(b)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTimeJSON(%s) = %v, %v; want %v, true", b, got, ok, want)
		}
		if slow := ParseTime(in); !slow.Equal(want) {
			t.Errorf("ParseTime(%s) = %v; want %v", in, slow, want)
		}
	}
	for _, in := range []string{
		"2026-00-27T10:02:05Z", "2026-13-27T10:02:05Z", "2026-11-00T10:02:05Z", "2026-11-31T10:02:05Z",
		"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-11-27T24:02:05Z", "2026-11-27T10:60:05Z",
		"2026-11-27T10:02:60Z", "2026-11-27T10:02:05.Z", "2026-11-27T10:02:05.1234567890Z",
		"2026-11-27T10:02:05+24:00", "2026-11-27T10:02:05+01:60", "2026-11-27T10:02:05+0100",
		"2026-11-27T10:02:05+01-00", "2026-11-27T10:02:05z", "2026-11-27X10:02:05Z", "2026/11-27T10:02:05Z",
		"2026-11/27T10:02:05Z", "2026-11-27T10-02:05Z", "2026-11-27T10:02-05Z", "2o26-11-27T10:02:05Z",
		"2026-1a-27T10:02:05Z", "2026-11-2aT10:02:05Z", "2026-11-27T1a:02:05Z", "2026-11-27T10:0a:05Z",
		"2026-11-27T10:02:0aZ", "2026-11-27T10:02:05+0a:00", "2026-11-27T10:02:05+01:0a", "2026-11-27T10:02:05ZZ",
	} {
		b := []byte(`"` + in + `"`)
		if got, ok := parseTimeJSON(b); ok {
			t.Errorf("parseTimeJSON(%s) = %v, true; want it refused", b, got)
		}
	}
	for _, b := range []string{`"2026-11-27T10:0"`, `2026-11-27T10:02:05Z`, `"2026-11-27T10:02:05Z`, `x2026-11-27T10:02:05Z"`} {
		if got, ok := parseTimeJSON([]byte(b)); ok {
			t.Errorf("parseTimeJSON(%s) = %v, true; want it refused", b, got)
		}
	}
}

// Shapes the fast path leaves to the general reading still decode.
func TestTimeGeneralPath(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 27, 10, 2, 5, 0, time.UTC)
	for _, in := range []string{`" 2026-11-27T10:02:05Z "`, `"2026-11-27T10:02:05\u005a"`, `"2026-11-27T11:02:05.000+01:00"`} {
		var v Time
		if _, ok := parseTimeJSON([]byte(in)); ok && !strings.Contains(in, ".000") {
			t.Errorf("%s: the fast path took it", in)
		}
		if err := json.Unmarshal([]byte(in), &v); err != nil || !v.Equal(want) {
			t.Errorf("Time(%s) = %v, %v; want %v", in, v.Time, err, want)
		}
	}
}

// The last writable year is kept; one past it is not.
func TestWritableYearEdges(t *testing.T) {
	t.Parallel()
	last := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	if got := writable(last); !got.Equal(last) {
		t.Errorf("writable(%v) = %v", last, got)
	}
	if got := writable(last.Add(time.Second)); !got.IsZero() {
		t.Errorf("writable(%v) = %v; want zero", last.Add(time.Second), got)
	}
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := writable(first); !got.Equal(first) {
		t.Errorf("writable(%v) = %v", first, got)
	}
	if got := writable(first.Add(-time.Second)); !got.IsZero() {
		t.Errorf("writable(%v) = %v; want zero", first.Add(-time.Second), got)
	}
}

// A group, source or target object as the API sends it is read in one pass
// (keys in any case, white space anywhere JSON allows, other keys ignored),
// and every other shape is left to encoding/json, which reads it the same.
func TestNamedRefFlatEdges(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]NamedRef{
		`{"_id":"g1","name":"Sales"}`: {"g1", "Sales"},
		`{}`:                          {},
		"{ \t\r\n}":                   {},
		"{\n\t\"_ID\" :\r\"g1\" ,\n \"NAME\": \"x\"\n}": {"g1", "x"},
		`{"name":"pg","type":"postgres"}`:               {"", "pg"},
		`{"name":"","_id":""}`:                          {},
		`{"name":"Sales team"}`:                         {"", "Sales team"},
		`{"_id":"é"}`:                                   {"é", ""},
	} {
		got, ok := flatNamedRef([]byte(in))
		if !ok || got != want {
			t.Errorf("flatNamedRef(%q) = %+v, %v; want %+v, true", in, got, ok, want)
		}
	}
	for _, in := range []string{
		``, `{`, `}`, `[]`, `{"_id":"a\"b"}`, `{"_id":1}`, `{"_id":"a",}`, `{"_id":"a"}}`, `{"_id" "a"}`,
		`{"_id":"a" "name":"b"}`, `{"_id":"a"`, `{"_id:"a"}`, `{_id:"a"}`, "{\"name\":\"a\x01\"}",
		"{\"name\":\"\xff\"}", `{"name":{"x":"y"}}`, `{"name":"x"`, `x{}`, `{} `,
	} {
		if got, ok := flatNamedRef([]byte(in)); ok {
			t.Errorf("flatNamedRef(%q) = %+v, true; want it left to encoding/json", in, got)
		}
	}
	for in, want := range map[string]NamedRef{
		`{"_id":"a\"b","name":"x"}`:          {`a"b`, "x"},
		`{ "_id" : "g1" }`:                   {"g1", ""},
		`{"name":"x","n":{"k":"v"}}`:         {"", "x"},
		`"g2"`:                               {"g2", ""},
		`{"_id":"g1","name":"x","_id":"g3"}`: {"g3", "x"},
	} {
		var got NamedRef
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("NamedRef(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

// The largest count kept is below 2^62; 2^62 and beyond give 0.
func TestCountUpperBound(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{`4611686018427387904`: 0, `4611686018427386880`: 4611686018427386880, `0`: 0} {
		var c Count
		if err := json.Unmarshal([]byte(in), &c); err != nil || int64(c) != want {
			t.Errorf("Count(%s) = %v, %v; want %v", in, c, err, want)
		}
	}
}
