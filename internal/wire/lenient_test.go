package wire

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every form of a flag the reference, Boomi's tooling and the console's
// fixtures show, and the zero value for anything else.
func TestBool(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		`true`: true, `false`: false, `"True"`: true, `"False"`: false, `"true"`: true, `"false"`: false,
		`"TRUE"`: true, `1`: true, `0`: false, `"1"`: true, `"0"`: false, `null`: false, `2.5`: true,
		`"yes"`: true, `"no"`: false, `""`: false, `" True "`: true, `"maybe"`: false, `[]`: false,
		`{}`: false, `{"$oid":"x"}`: false, `"\u0054rue"`: true,
	} {
		var v Bool
		if err := json.Unmarshal([]byte(in), &v); err != nil || bool(v) != want {
			t.Errorf("Bool(%s) = %v, %v; want %v", in, v, err, want)
		}
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"orders"`: "orders", `"a\"b"`: `a"b`, `"é\u00e9"`: "éé", `12`: "12", `-1.5e3`: "-1.5e3",
		`null`: "", `true`: "", `[1]`: "", `{"$oid":"60cb1e2f"}`: "60cb1e2f", `{"x":1}`: "", "\"\xff\"": "\ufffd",
	} {
		var v Text
		if err := json.Unmarshal([]byte(in), &v); err != nil || string(v) != want {
			t.Errorf("Text(%s) = %q, %v; want %q", in, v, err, want)
		}
	}
}

// An ID reads from a string, {"$oid"} or a number; any other shape is a
// clear error (the SDK cannot act on an ID it cannot read).
func TestID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"63b724fc690def001131d242"`: "63b724fc690def001131d242", `{"$oid": "60cb1e2f3a4b5c6d7e8f9012"}`: "60cb1e2f3a4b5c6d7e8f9012",
		`1`: "1", `null`: "", `"faked-env-1"`: "faked-env-1",
	} {
		var v ID
		if err := json.Unmarshal([]byte(in), &v); err != nil || string(v) != want {
			t.Errorf("ID(%s) = %q, %v; want %q", in, v, err, want)
		}
	}
	for _, in := range []string{`true`, `[1]`, `{"id": "x"}`, `{"$oid": 5}`} {
		var v ID
		err := json.Unmarshal([]byte(in), &v)
		if err == nil || !strings.Contains(err.Error(), "an ID is a string") {
			t.Errorf("ID(%s) = %q, %v; want a clear error", in, v, err)
		}
	}
}

// next_page as the API sends it: a URL, "", a space, null or missing;
// anything but a string or null is an error.
func TestLink(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"https://api.rivery.io/v1/x?page=2"`: "https://api.rivery.io/v1/x?page=2", `""`: "", `" "`: "", `null`: "",
	} {
		var v Link
		if err := json.Unmarshal([]byte(in), &v); err != nil || string(v) != want {
			t.Errorf("Link(%s) = %q, %v; want %q", in, v, err, want)
		}
	}
	var env Envelope[int]
	if err := json.Unmarshal([]byte(`{"items":[1],"next_pages":"https://x"}`), &env); err != nil || env.NextPage != "" {
		t.Errorf("misspelled next_page: %+v, %v", env, err)
	}
	for _, in := range []string{`2`, `true`, `{}`} {
		var v Link
		if err := json.Unmarshal([]byte(in), &v); err == nil || !strings.Contains(err.Error(), "page link") {
			t.Errorf("Link(%s) = %q, %v; want a clear error", in, v, err)
		}
	}
}

func TestLax(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{`[{"cron_expression":"x"}]`: 1, `"x"`: 0, `null`: 0, `{}`: 0, `[1]`: 0} {
		var v Lax[[]Scheduler]
		if err := json.Unmarshal([]byte(in), &v); err != nil || len(v.V) != want {
			t.Errorf("Lax(%s) = %+v, %v; want %d items", in, v, err, want)
		}
	}
}

// Scopes as a list, or as the console's map from environment to list.
func TestScopes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`["river:list","river:execute"]`:                         "river:list river:execute",
		`{"e1":["river:list","me:list"],"e2":["river:list", 5]}`: "river:list me:list",
		`["river:list", null, "", 7]`:                            "river:list",
		`"river:list"`:                                           "",
		`null`:                                                   "",
	} {
		var v Scopes
		if err := json.Unmarshal([]byte(in), &v); err != nil || strings.Join(v, " ") != want {
			t.Errorf("Scopes(%s) = %q, %v; want %q", in, v, err, want)
		}
	}
}

// Every time form of section D of the wire facts, read by Time, When and
// (where a field is declared in milliseconds) Millis.
func TestTimeForms(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 12, 25, 10, 35, 9, 357430000, time.UTC)
	sec := at.Truncate(time.Second)
	ms := at.Truncate(time.Millisecond)
	for in, want := range map[string]time.Time{
		`"2024-12-25T10:35:09.357430"`:                at,
		`"2024-12-25T10:35:09.357430Z"`:               at,
		`"2024-12-25T10:35:09.357430+00:00"`:          at,
		`"2024-12-25 10:35:09.357430"`:                at,
		`"2024-12-25 10:35:09.357430+0000"`:           at,
		`"2024-12-25T12:35:09.357430+0200"`:           at,
		`"Wed, 25 Dec 2024 10:35:09 GMT"`:             sec,
		`"2024-12-25"`:                                time.Date(2024, 12, 25, 0, 0, 0, 0, time.UTC),
		`1735122909`:                                  sec,
		`"1735122909"`:                                sec,
		`1735122909357`:                               ms,
		`"1735122909357"`:                             ms,
		`1735122909357.43`:                            ms,
		`{"$date": 1735122909357}`:                    ms,
		`{"$date": "2024-12-25T10:35:09.357430Z"}`:    at,
		`{"$date": {"$numberLong": "1735122909357"}}`: ms,
		`null`:                                 {},
		`""`:                                   {},
		`"FAKE"`:                               {},
		`"string"`:                             {},
		`0`:                                    {},
		`-5`:                                   {},
		`true`:                                 {},
		`[]`:                                   {},
		`{"$date": null}`:                      {},
		`{"$oid": "60cb1e2f3a4b5c6d7e8f9012"}`: {},
	} {
		var v Time
		var w When
		if err := json.Unmarshal([]byte(in), &v); err != nil || !v.Equal(want) {
			t.Errorf("Time(%s) = %v, %v; want %v", in, v.Time, err, want)
		}
		if err := json.Unmarshal([]byte(in), &w); err != nil || !w.Equal(want) {
			t.Errorf("When(%s) = %v, %v; want %v", in, w.Time, err, want)
		}
	}
	// Millis keeps numbers in milliseconds, and reads the other forms too.
	for in, want := range map[string]time.Time{
		`1735122909357`:                ms,
		`1735122909`:                   time.UnixMilli(1735122909).UTC(),
		`{"$date": 1735122909357}`:     ms,
		`"2024-12-25 10:35:09.357430"`: at,
		`"soon"`:                       {},
		`{"x": 1}`:                     {},
	} {
		var m Millis
		if err := json.Unmarshal([]byte(in), &m); err != nil || !m.Equal(want) {
			t.Errorf("Millis(%s) = %v, %v; want %v", in, m.Time, err, want)
		}
	}
}

// The lenient types never fail on valid JSON, and give UTC times that
// encoding/json can write; ID and Link fail only on the shapes they refuse.
func FuzzLenient(f *testing.F) {
	for _, s := range []string{`"True"`, `1`, `null`, `{"$oid":"x"}`, `{"$date":1}`, `"2024-12-25 10:35:09"`, `[]`, `"1705132839"`, `{"$date":{"$numberLong":"9e99"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		for _, v := range []any{new(Bool), new(Text), new(Lax[[]Scheduler]), new(Scopes), new(Number), new(Count)} {
			if err := json.Unmarshal(b, v); err != nil {
				t.Errorf("%T failed on %q: %v", v, b, err)
			}
		}
		for _, v := range []interface{ UnmarshalJSON([]byte) error }{new(Time), new(When), new(Millis)} {
			if err := v.UnmarshalJSON(b); err != nil {
				t.Errorf("%T failed on %q: %v", v, b, err)
			}
		}
		var tm Time
		_ = tm.UnmarshalJSON(b)
		if !tm.IsZero() && tm.Location() != time.UTC {
			t.Errorf("Time(%q) = %v, not UTC", b, tm.Time)
		}
		if _, err := json.Marshal(tm.Time); err != nil {
			t.Errorf("Time(%q) = %v, unwritable: %v", b, tm.Time, err)
		}
		var id ID
		if tb := bytes.TrimSpace(b); json.Unmarshal(b, &id) != nil && (tb[0] == '"' || tb[0] == 'n') {
			t.Errorf("ID refused %q", b)
		}
	})
}

// scopesByJSON is Scopes' reading of a list by encoding/json alone, what
// plainNames stands in for.
func scopesByJSON(b []byte) (Scopes, bool) {
	var list []json.RawMessage
	if json.Unmarshal(b, &list) != nil {
		return nil, false
	}
	return appendNames(nil, list), true
}

// plainNames reads every list as encoding/json does, or leaves it to it.
func FuzzPlainNames(f *testing.F) {
	for _, s := range []string{`["a","b"]`, ` [ "a" , "a", " " ] `, `[]`, `["a,b","c"]`, `["a\",\"b"]`, `["\u00e9",null,1]`, `["é"]`, `{"e":["a"]}`, `[["a"]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		want, isList := scopesByJSON(b)
		names, ok := plainNames(b)
		if !ok {
			return
		}
		if !isList {
			t.Fatalf("plainNames(%q) read a list where encoding/json finds none", b)
		}
		if got := uniqueNames(names); !slices.Equal(got, []string(want)) {
			t.Fatalf("plainNames(%q) = %q, encoding/json %q", b, got, want)
		}
	})
}

func TestPlainNamesLeavesOddListsToJSON(t *testing.T) {
	for in, wantOK := range map[string]bool{
		`["a","b"]`: true, `[ ]`: true, "\t[\n]": true, `["a,b"]`: false, `["a",null]`: false, `[1]`: false, `{"e":["a"]}`: false, `["a\"b"]`: true,
	} {
		if _, ok := plainNames([]byte(in)); ok != wantOK {
			t.Errorf("plainNames(%s) ok = %v, want %v", in, ok, wantOK)
		}
		want, isList := scopesByJSON([]byte(in))
		var s Scopes
		if err := json.Unmarshal([]byte(in), &s); err != nil || (isList && !slices.Equal(s, want)) {
			t.Errorf("Scopes(%s) = %q, %v; want %q", in, s, err, want)
		}
	}
}

// A token's scopes cost one allocation for the list and one per name: a
// page of tokens holds a list per token (issue #24's allocation guard rail
// failed at 1.5x the floor when they went through json.Unmarshal).
func TestScopesAllocations(t *testing.T) {
	b := []byte(`["river:execute", "river:list", "activity:list"]`)
	var s Scopes
	if n := testing.AllocsPerRun(100, func() { _ = s.UnmarshalJSON(b) }); n > 4 {
		t.Errorf("Scopes.UnmarshalJSON made %v allocations, want at most 4", n)
	}
	if len(s) != 3 {
		t.Errorf("Scopes = %q", s)
	}
}
