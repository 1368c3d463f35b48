package rivery

import (
	"testing"
	"time"
)

// The run a trigger at since started is the earliest at or after since;
// failing that the latest before it; a run without a start comes last.
func TestCloserRanksRuns(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *Run { return &Run{StartedAt: since.Add(d)} }
	unknown := &Run{}
	for _, tc := range []struct {
		name      string
		run, best *Run
		want      bool
	}{
		{"anything beats none", unknown, nil, true},
		{"earlier after since", at(time.Second), at(time.Minute), true},
		{"later after since", at(time.Minute), at(time.Second), false},
		{"after since beats before", at(time.Minute), at(-time.Second), true},
		{"latest before since", at(-time.Second), at(-time.Minute), true},
		{"known beats unknown", at(-time.Minute), unknown, true},
		{"unknown loses", unknown, at(-time.Minute), false},
		{"at since counts as after", at(0), at(-time.Second), true},
	} {
		if got := closer(tc.run, tc.best, since); got != tc.want {
			t.Errorf("%s: closer = %v, want %v", tc.name, got, tc.want)
		}
	}
}
