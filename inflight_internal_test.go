package rivery

import "testing"

// A skipped run's message may name the skipped run before the one in
// flight; the one in flight is found wherever it comes.
func TestInFlightIDSkipsSelf(t *testing.T) {
	t.Parallel()
	const self, other = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	for msg, want := range map[string]string{
		"Run " + self + " skipped: run " + other + " is already running": other,
		"Run " + other + " is already running; this run was skipped":     other,
		"Run " + self + " was skipped":                                   "",
		"Run FEDCBA9876543210FEDCBA9876543210 is already running":        other,
	} {
		if got := inFlightID(msg, self); got != want {
			t.Errorf("inFlightID(%q) = %q, want %q", msg, got, want)
		}
	}
}
