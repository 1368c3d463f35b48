package rivery

import (
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder is a net.Conn that records the deadlines set on it.
type deadlineRecorder struct {
	net.Conn // nil: only Write and SetDeadline are called
	set      []time.Time
	written  int
}

func (r *deadlineRecorder) SetDeadline(t time.Time) error { r.set = append(r.set, t); return nil }
func (r *deadlineRecorder) Write(p []byte) (int, error)   { r.written += len(p); return len(p), nil }

// TestDeadlineConnSlack checks when a write moves the connection's
// deadline: on the first write, to timeout from then; not again while the
// deadline in place is within timeout/deadlineSlack of where a reset would
// put it; and again once it is not.
func TestDeadlineConnSlack(t *testing.T) {
	t.Parallel()
	const timeout = 2048 * time.Second // a slack of 2 s: two writes in a row fall within it
	rec := &deadlineRecorder{}
	// A connection made an hour ago: the test does not depend on how long
	// the process has run.
	c := &deadlineConn{Conn: rec, timeout: timeout, epoch: time.Now().Add(-time.Hour)}
	before := time.Now()
	for range 3 {
		if _, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	after := time.Now()
	if len(rec.set) != 1 || rec.written != 3*18 {
		t.Fatalf("3 writes in a row: %d deadlines set, %d bytes written; want 1 and %d", len(rec.set), rec.written, 3*18)
	}
	if d := rec.set[0]; d.Before(before.Add(timeout)) || d.After(after.Add(timeout)) {
		t.Errorf("deadline %v, want timeout from the write: within [%v, %v]", d, before.Add(timeout), after.Add(timeout))
	}

	const short = 1024 * time.Millisecond // a slack of 1 ms
	rec = &deadlineRecorder{}
	c = &deadlineConn{Conn: rec, timeout: short, epoch: time.Now()}
	_, _ = c.Write([]byte("a"))
	time.Sleep(5 * time.Millisecond)
	mid := time.Now()
	_, _ = c.Write([]byte("b"))
	if len(rec.set) != 2 {
		t.Fatalf("a write past the slack set %d deadlines in all, want 2", len(rec.set))
	}
	if d := rec.set[1]; d.Before(mid.Add(short)) || !d.After(rec.set[0].Add(4*time.Millisecond)) {
		t.Errorf("second deadline %v, want at least %v (timeout from the second write)", d, mid.Add(short))
	}
}

// TestHugeTimeoutIsNoDeadlineInThePast: a timeout near the largest
// Duration ("no limit, in effect") puts the deadline far off; adding it to
// the time since the dial in Durations wrapped around into the past, and
// every write failed at once with an i/o timeout.
func TestHugeTimeoutIsNoDeadlineInThePast(t *testing.T) {
	t.Parallel()
	rec := &deadlineRecorder{}
	c := &deadlineConn{Conn: rec, timeout: math.MaxInt64, epoch: time.Now().Add(-time.Second)}
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if len(rec.set) != 1 || !rec.set[0].After(time.Now().Add(100*365*24*time.Hour)) {
		t.Fatalf("deadlines set %v, want one more than a century away", rec.set)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[]}`)
	}))
	defer srv.Close()
	client, err := NewClient("a-token", WithBaseURL(srv.URL), WithAccountID("acc"), WithEnvironmentID("env"),
		WithTimeout(math.MaxInt64), WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, _, err := client.Rivers.List(t.Context(), nil); err != nil {
		t.Fatalf("List with WithTimeout(math.MaxInt64): %v", err)
	}
	for _, d := range []time.Duration{1 << 62, math.MaxInt64} { // 3 * 1<<62 wraps negative
		if it := defaultTransport(d).IdleConnTimeout; it <= 0 {
			t.Errorf("idle timeout %v with a timeout of %v, want a positive one", it, d)
		}
	}
}
