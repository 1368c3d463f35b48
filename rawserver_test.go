package rivery_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// rawServer is a loopback listener that answers each request with bytes a
// test writes itself, for answers net/http would never send. Requests
// counts the requests it read; on cleanup it closes every connection and
// waits for its goroutines.
type rawServer struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	reqs  int
	wg    sync.WaitGroup
}

// newRawServer serves each request read on a connection with answer, which
// writes what it likes and reports whether to read another request on the
// same connection. A connection stays open until answer returns false or
// the test ends.
func newRawServer(t *testing.T, answer func(conn net.Conn, req *http.Request, n int) (more bool)) *rawServer {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				br := bufio.NewReader(conn)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					s.mu.Lock()
					s.reqs++
					n := s.reqs
					s.mu.Unlock()
					if !answer(conn, req, n) {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// URL is the server's base URL.
func (s *rawServer) URL() string { return "http://" + s.ln.Addr().String() }

// requests returns how many requests the server has read.
func (s *rawServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs
}

// client returns a client of s with a long per-attempt timeout, so that a
// test sees a hang as a hang.
func (s *rawServer) client(t *testing.T, opts ...rivery.Option) *rivery.Client {
	t.Helper()
	base := []rivery.Option{
		rivery.WithBaseURL(s.URL()),
		rivery.WithTimeout(10 * time.Minute),
		rivery.WithRetry(3, time.Millisecond, 5*time.Millisecond),
	}
	c, err := rivery.NewClient(testToken, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// hold blocks until the connection is closed (by the client or cleanup).
func hold(conn net.Conn) bool {
	_, _ = conn.Read(make([]byte, 1))
	return false
}

// hangLimit is how long a call may block before a test calls it a hang:
// far above what any call here should take.
const hangLimit = 10 * time.Second

// within runs f and fails the test if it has not returned after hangLimit
// (a hang, not a measurement). It returns how long f took.
func within(t *testing.T, f func()) time.Duration {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(hangLimit):
		t.Fatalf("still blocked after %v", hangLimit)
		return 0
	}
}

// familyClient returns srv's client for family: "v1" for the v1 API, any
// other for the console API where it can.
func familyClient(srv *riverytest.Server, family string, opts ...rivery.Option) *rivery.Client {
	if family == "v1" {
		return srv.ClientV1(opts...)
	}
	return srv.Client(opts...)
}
