package wire

import (
	"encoding/json"
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
