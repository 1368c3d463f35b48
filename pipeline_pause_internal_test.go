package rivery

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A Retry-After no longer than the poll interval is the interval, even
// when ctx ends first; a longer one is waited unless ctx ends first, when
// the answer is returned at once.
func TestPauseAfter(t *testing.T) {
	t.Parallel()
	soon, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	limited := &APIError{StatusCode: 429, RetryAfter: 5 * time.Second}
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		err      error
		interval time.Duration
		want     time.Duration
		wantErr  bool
	}{
		{"no error", soon, nil, 5 * time.Second, 5 * time.Second, false},
		{"not an API error", soon, errors.New("x"), 5 * time.Second, 5 * time.Second, false},
		{"Retry-After equal to the interval", soon, limited, 5 * time.Second, 5 * time.Second, false},
		{"longer Retry-After", context.Background(), limited, time.Second, 5 * time.Second, false},
		{"longer Retry-After past the deadline", soon, limited, time.Second, 0, true},
	} {
		got, err := pauseAfter(tc.ctx, tc.err, tc.interval)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: pauseAfter = %v, %v; want %v, error %t", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}
