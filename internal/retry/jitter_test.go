package retry

import (
	"testing"
	"time"
)

// Jitter spreads clients that failed together: its waits must actually
// vary, cover the whole of [d/2, d] (both ends included) and not cluster in
// one half. The bounds test alone passes for a constant. The chance that a
// fair draw fails any check below is far below 1e-12.
func TestJitterVaries(t *testing.T) {
	t.Parallel()
	// Small d: every value of [d/2, d] comes up, ends included.
	for _, d := range []time.Duration{2, 3, 7, 10} {
		seen := map[time.Duration]int{}
		for range 2000 {
			seen[Jitter(d)]++
		}
		for v := d / 2; v <= d; v++ {
			if seen[v] == 0 {
				t.Errorf("Jitter(%d) never gave %d in 2,000 draws: %v", d, v, seen)
			}
		}
		if len(seen) != int(d-d/2+1) {
			t.Errorf("Jitter(%d) gave %v, want only values in [%d, %d]", d, seen, d/2, d)
		}
	}

	// Large d: nearly every draw differs, and both halves of the range get
	// a fair share.
	const d, n = 10 * time.Second, 1000
	distinct := map[time.Duration]bool{}
	low := 0
	for range n {
		w := Jitter(d)
		distinct[w] = true
		if w < d/2+d/4 {
			low++
		}
	}
	if len(distinct) < n-5 {
		t.Errorf("Jitter(%v) gave %d distinct waits in %d draws, want nearly all distinct", d, len(distinct), n)
	}
	if low < n/2-150 || low > n/2+150 {
		t.Errorf("Jitter(%v): %d of %d draws in the lower half of [d/2, d], want about half", d, low, n)
	}
}

// Without Retry-After, Backoff's waits are jittered too: two clients
// failing at once do not retry in step.
func TestBackoffIsJittered(t *testing.T) {
	t.Parallel()
	p := policy()
	const minW, maxW = time.Second, 30 * time.Second
	for attempt := range 5 {
		distinct := map[time.Duration]bool{}
		for range 50 {
			distinct[p.Backoff(minW, maxW, attempt, nil)] = true
			distinct[p.Backoff(minW, maxW, attempt, response(503, ""))] = true
		}
		if len(distinct) < 90 {
			t.Errorf("Backoff(attempt %d) gave %d distinct waits in 100 draws, want nearly all distinct", attempt, len(distinct))
		}
	}
	// A Retry-After is obeyed exactly, not jittered.
	for range 20 {
		if got := p.Backoff(minW, maxW, 3, response(429, "7")); got != 7*time.Second {
			t.Fatalf("Backoff with Retry-After 7 = %v, want exactly 7s", got)
		}
	}
}

// Jitter of 0 and 1 is the value itself: there is nothing to spread.
func TestJitterTiny(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{-5, 0, 1} {
		for range 100 { // a jittered 1 would be 0 half the time
			if got := Jitter(d); got != d {
				t.Fatalf("Jitter(%d) = %d, want %d", d, got, d)
			}
		}
	}
}
