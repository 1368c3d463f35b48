package retry

import (
	"math"
	"net/http"
	"testing"
	"time"
)

// A Retry-After of exactly the max wait is waited for, on a 429 and on a
// 5xx alike; one second more is returned to the caller at once.
func TestRetryAfterAtMaxWait(t *testing.T) {
	t.Parallel()
	p := Policy{MaxWait: 30 * time.Second, Now: func() time.Time { return now }}
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		for ra, want := range map[string]bool{"30": true, "31": false, "29": true} {
			got, err := p.CheckRetry(t.Context(), response(code, ra), nil)
			if err != nil || got != want {
				t.Errorf("%d with Retry-After %s: retry = %v, %v; want %v", code, ra, got, err, want)
			}
		}
	}
}

// Exponential never overflows, even with a max wait near the largest
// duration: the doubling is still exact below the cap.
func TestExponentialNearMaxDuration(t *testing.T) {
	t.Parallel()
	const huge = time.Duration(math.MaxInt64)
	for attempt, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		if got := Exponential(time.Second, huge, attempt); got != want {
			t.Errorf("Exponential(1s, max, %d) = %v, want %v", attempt, got, want)
		}
	}
	if got := Exponential(time.Second, huge, 500); got != huge {
		t.Errorf("Exponential(1s, max, 500) = %v, want the cap", got)
	}
}

// A Retry-After of more seconds than a Duration holds is the largest
// duration, not a wrapped-around small one.
func TestParseRetryAfterHuge(t *testing.T) {
	t.Parallel()
	maxSecs := int64(math.MaxInt64 / int64(time.Second))
	for _, v := range []string{"9223372036", "9223372037", "99999999999"} {
		d, ok := ParseRetryAfter(v, now)
		if !ok || d < time.Duration(maxSecs-1)*time.Second {
			t.Errorf("ParseRetryAfter(%s) = %v, %v; want about %d s", v, d, ok, maxSecs)
		}
	}
}
