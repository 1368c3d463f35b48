package rivery

import (
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
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

// Each write sets the connection's deadline to timeout from then: three
// writes in a row set three deadlines, each timeout from within its write,
// so none before the one set before it.
func TestDeadlineConnSetsEachWrite(t *testing.T) {
	t.Parallel()
	const timeout = time.Minute
	rec := &deadlineRecorder{}
	c := &deadlineConn{Conn: rec, timeout: timeout}
	for i := range 3 {
		before := time.Now()
		if _, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		if len(rec.set) != i+1 {
			t.Fatalf("after %d writes, %d deadlines set; want one a write", i+1, len(rec.set))
		}
		if d := rec.set[i]; d.Before(before.Add(timeout)) || d.After(after.Add(timeout)) {
			t.Errorf("write %d: deadline %v, want timeout from the write: within [%v, %v]", i+1, d, before.Add(timeout), after.Add(timeout))
		}
	}
	if rec.written != 3*18 {
		t.Errorf("%d bytes written, want %d", rec.written, 3*18)
	}
}

// deadlineLog records the deadlines set on the connections under the
// SDK's own deadlineConn wrappers, in the order they were set.
type deadlineLog struct {
	mu    sync.Mutex
	dials int
	set   []connDeadline
}

// connDeadline is one deadline set on the n-th connection dialed.
type connDeadline struct {
	conn     int
	deadline time.Time
}

// hook makes tr's connections report to l: a connection dialed by tr gets
// a logging layer under its deadlineConn.
func (l *deadlineLog) hook(t *testing.T, tr *http.Transport) {
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		dc, ok := conn.(*deadlineConn)
		if !ok {
			t.Errorf("connection is a %T, want the deadline wrapper", conn)
			return conn, nil
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.dials++
		dc.Conn = &loggedConn{Conn: dc.Conn, log: l, n: l.dials}
		return dc, nil
	}
}

// since returns the deadlines set from the i-th on.
func (l *deadlineLog) since(i int) []connDeadline {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.set[min(i, len(l.set)):])
}

// count returns how many deadlines were set and connections dialed.
func (l *deadlineLog) count() (deadlines, dials int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.set), l.dials
}

// loggedConn is a connection whose deadlines go to a deadlineLog.
type loggedConn struct {
	net.Conn
	log *deadlineLog
	n   int
}

func (c *loggedConn) SetDeadline(d time.Time) error {
	c.log.mu.Lock()
	c.log.set = append(c.log.set, connDeadline{c.n, d})
	c.log.mu.Unlock()
	return c.Conn.SetDeadline(d)
}

// A kept connection serves call after call on deadlines of their own:
// each request's write moves the connection's deadline to the timeout
// from then, so the deadline of an earlier request ends nothing. The test
// reads the deadlines set on the connection instead of sleeping past one:
// with 400 ms pauses against the 750 ms idle limit of a 1 s timeout, a
// loaded machine once let the pool close the connection between calls,
// and the test counted 2 connections (issue #24). Here no deadline and no
// idle limit comes near (a minute, 45 s), and a connection net/http
// closes on its own (see TestConnectionReuse) is allowed for.
func TestDeadlineDoesNotEndTheNextRequest(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(benchRunBody)
	}))
	defer srv.Close()
	const timeout = time.Minute
	c, err := NewClient(benchToken, WithBaseURL(srv.URL), WithoutRetries(), WithTimeout(timeout))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tr := c.hc.Transport.(*http.Transport) // the SDK's own default transport
	var log deadlineLog
	log.hook(t, tr)
	audit := &connAudit{base: tr}
	c.hc.Transport = audit

	const calls = 4
	var prev connDeadline // the deadline in force after the previous call
	for i := range calls {
		from, _ := log.count()
		before := time.Now()
		if _, _, err := c.Rivers.Run(context.Background(), benchRiver); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		after := time.Now()
		set := log.since(from)
		if len(set) == 0 {
			t.Fatalf("call %d set no deadline: the one in place (%v) was an earlier request's", i, prev.deadline)
		}
		for _, d := range set {
			if d.deadline.Before(before.Add(timeout)) || d.deadline.After(after.Add(timeout)) {
				t.Errorf("call %d: deadline %v, want timeout from its write: within [%v, %v]", i, d.deadline, before.Add(timeout), after.Add(timeout))
			}
		}
		last := set[len(set)-1]
		if i > 0 && last.conn == prev.conn && last.deadline.Before(prev.deadline) {
			t.Errorf("call %d on connection %d: deadline %v, before the previous request's %v", i, last.conn, last.deadline, prev.deadline)
		}
		prev = last
	}
	dropped := audit.check(t, "4 sequential calls", calls)
	if _, n := log.count(); n > 1+dropped {
		t.Errorf("%d calls used %d connections, want 1 (+%d closed by net/http itself)", calls, n, dropped)
	}
}

// TestHugeTimeoutIsNoDeadlineInThePast: a timeout near the largest
// Duration ("no limit, in effect") puts the deadline far off; adding it to
// the time since the dial in Durations wrapped around into the past, and
// every write failed at once with an i/o timeout.
func TestHugeTimeoutIsNoDeadlineInThePast(t *testing.T) {
	t.Parallel()
	rec := &deadlineRecorder{}
	c := &deadlineConn{Conn: rec, timeout: math.MaxInt64}
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
