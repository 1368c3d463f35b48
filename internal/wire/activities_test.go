package wire

import (
	"encoding/json"
	"testing"
	"time"
)

func TestNumberAndCount(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]float64{
		`1.25`: 1.25, `"0.5"`: 0.5, `null`: 0, `"n/a"`: 0, `true`: 0, `1e400`: 0, `-2`: -2,
	} {
		var n Number
		if err := json.Unmarshal([]byte(in), &n); err != nil || float64(n) != want {
			t.Errorf("Number(%s) = %v, %v; want %v", in, n, err, want)
		}
	}
	for in, want := range map[string]int64{
		`12`: 12, `"12"`: 12, `12.9`: 12, `null`: 0, `-3`: 0, `1e300`: 0, `"x"`: 0,
	} {
		var c Count
		if err := json.Unmarshal([]byte(in), &c); err != nil || int64(c) != want {
			t.Errorf("Count(%s) = %v, %v; want %v", in, c, err, want)
		}
	}
}

func TestWhen(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for in, exp := range map[string]time.Time{
		`"2026-11-27T10:00:00"`:       want,
		`"2026-11-27T12:00:00+02:00"`: want,
		`1795773600000`:               want,
		`"1795773600000"`:             want,
		`""`:                          {},
		`null`:                        {},
		`{}`:                          {},
	} {
		var w When
		if err := json.Unmarshal([]byte(in), &w); err != nil || !w.Equal(exp) {
			t.Errorf("When(%s) = %v, %v; want %v", in, w.Time, err, exp)
		}
	}
}

func TestItems(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]struct {
		n     int
		paged bool
		next  string
	}{
		`[{"run_id": "a"}, {"run_id": "b"}]`:                     {2, false, ""},
		`{"items": [{"run_id": "a"}], "next_page": "https://x"}`: {1, true, "https://x"},
		`{"items": []}`: {0, true, ""},
		`null`:          {0, false, ""},
	} {
		var l Items[*RunDetail]
		if err := json.Unmarshal([]byte(in), &l); err != nil || len(l.Items) != want.n || l.Paged != want.paged || string(l.NextPage) != want.next {
			t.Errorf("Items(%s) = %+v, %v; want %+v", in, l, err, want)
		}
	}
	var l Items[*RunDetail]
	if err := json.Unmarshal([]byte(`{"items": 5}`), &l); err == nil {
		t.Error("Items accepted items that are not a list")
	}
}

// FuzzDecodeActivity decodes arbitrary bytes as every activity shape:
// never a panic, and the lenient fields never fail a decode on their own.
func FuzzDecodeActivity(f *testing.F) {
	for _, s := range []string{
		`{"items": [{"cross_id": "a", "units": "0.5", "last_run": 1795773600000, "failed": 2}]}`,
		`[{"run_id": "r", "total_rows": "12", "start_date_utc": "2026-11-27T10:00:00"}]`,
		`{"total_units": 1e308, "succeeded": -1}`, `null`, `[]`, `{"items": null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Items[*Activity]
		_ = json.Unmarshal(b, &a)
		var r Items[*RunDetail]
		_ = json.Unmarshal(b, &r)
		var g RunGroupActivity
		_ = json.Unmarshal(b, &g)
		var s Statistics
		_ = json.Unmarshal(b, &s)
		for _, v := range []any{new(Number), new(Count), new(When)} {
			if json.Valid(b) {
				if err := json.Unmarshal(b, v); err != nil {
					t.Errorf("%T failed on valid JSON %q: %v", v, b, err)
				}
			}
		}
	})
}
