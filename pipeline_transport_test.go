package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

// On the SDK's own transport the per-attempt timeout is a deadline on the
// connection: a server that never answers, or stops in the middle of a
// body, still ends the attempt, with a timeout error, and the context's
// own error is not reported for it.
func TestAttemptTimeoutOnOwnTransport(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]string{
		"no answer":      "",
		"stalled body":   fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(runStatusJSON), runStatusJSON[:10]),
		"stalled header": "HTTP/1.1 200 OK\r\nContent-Type: appl",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int) bool {
				_, _ = io.WriteString(conn, answer)
				<-t.Context().Done() // then send nothing more
				return false
			})
			c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL()), rivery.WithoutRetries(),
				// Far above what a loaded machine takes to dial (which the
				// timeout bounds too): only the silent server can reach it.
				rivery.WithTimeout(time.Second), rivery.WithAccountID(accountID), rivery.WithEnvironmentID(envID))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var callErr error
			within(t, func() { _, _, callErr = c.Rivers.GetRun(context.Background(), riverID, runID) })
			reqErr := asRequestError(t, callErr)
			if !errors.Is(callErr, os.ErrDeadlineExceeded) || errors.Is(callErr, context.DeadlineExceeded) {
				t.Errorf("error = %v (%T), want the connection's deadline", callErr, reqErr.Err)
			}
		})
	}
}

// Clients built WithSharedTransport share one pool: a second client reuses
// the first one's connection, and the first one's Close leaves it open.
func TestSharedTransport(t *testing.T) {
	t.Parallel()
	srv, conns := countingServer(t)
	// A timeout of its own, so no other test's shared pool is this one.
	newClient := func() *rivery.Client {
		c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithSharedTransport(), rivery.WithTimeout(47*time.Second),
			rivery.WithAccountID(accountID), rivery.WithEnvironmentID(envID))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := newClient(), newClient()
	var pool poolTrace
	for i, c := range []*rivery.Client{a, b, a, b} {
		if i == 2 {
			_ = a.Close()
		}
		if _, _, err := c.Rivers.GetRun(pool.context(), riverID, runID); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	dropped := pool.check(t, 4)
	if n := int(conns.Load()); n > 1+dropped {
		t.Errorf("two clients opened %d connections, want 1 shared (+%d closed by net/http itself)", n, dropped)
	}

	if _, err := rivery.NewClient(testToken, rivery.WithSharedTransport(), rivery.WithHTTPClient(&http.Client{})); err == nil {
		t.Error("WithSharedTransport with WithHTTPClient: no error")
	}
}

// countingServer answers every request with a run status and counts the
// connections it accepts.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, runStatusJSON)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// poolTrace follows the calls made with its context to the idle pool.
// net/http itself sometimes closes a connection the SDK handed back
// correctly, without offering it to the pool (its write goroutine
// reported the request written late: see TestConnectionReuse, which also
// checks that the SDK reads each body to its end). Each such call may cost
// one more connection, and only those: whatever the machine's load, a
// test counting connections allows for them and for nothing else.
type poolTrace struct {
	mu      sync.Mutex
	offered int     // connections offered to the idle pool
	refused []error // the pool's reasons for refusing one
}

// context returns a context whose calls report to p.
func (p *poolTrace) context() context.Context {
	return httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{PutIdleConn: func(err error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.offered++
		if err != nil {
			p.refused = append(p.refused, err)
		}
	}})
}

// check fails t if the pool refused a connection, and returns how many of
// calls had theirs closed by net/http instead of offered to the pool.
func (p *poolTrace) check(t *testing.T, calls int) (dropped int) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.refused) > 0 {
		t.Errorf("the idle pool refused %d connections: %v", len(p.refused), p.refused[0])
	}
	if dropped = calls - p.offered; dropped > 0 {
		t.Logf("net/http closed %d connections on its own (its write goroutine reported late)", dropped)
	}
	return dropped
}
