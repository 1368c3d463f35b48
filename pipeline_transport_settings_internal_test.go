package rivery

import (
	"testing"
	"time"
)

// The pool closes an idle connection after three quarters of the timeout
// (before its deadline could end a read on it), and never later than
// net/http's own 90 s.
func TestDefaultTransportIdleTimeout(t *testing.T) {
	t.Parallel()
	for timeout, want := range map[time.Duration]time.Duration{
		8 * time.Second:        6 * time.Second,
		100 * time.Millisecond: 75 * time.Millisecond,
		10 * time.Minute:       90 * time.Second,
	} {
		if got := defaultTransport(timeout).IdleConnTimeout; got != want {
			t.Errorf("timeout %v: idle timeout %v, want %v", timeout, got, want)
		}
	}
}
