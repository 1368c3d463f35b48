package rivery

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"time"
)

// maxConnsPerHost bounds the default transport's connections to one host.
const maxConnsPerHost = 32

// The default transport's per-attempt timeout is delivered by deadlines on
// its connections rather than by http.Client.Timeout, which costs a timer,
// a context and a copy of the request on every call. Each write of a
// request sets the connection's deadline to timeout from then, for reads
// and writes alike. So an attempt ends timeout after the last write of its
// request began: a server that never answers, or stops sending in the
// middle of a body, fails the attempt with an i/o timeout.
// Connecting is bounded separately: dialing by min(timeout, 30 s), the TLS
// handshake by min(timeout, 10 s). The transport speaks HTTP/1.1 only,
// where a connection carries one request at a time, so its deadline is that
// request's; HTTP/2 would share one connection (and one deadline) between
// calls. A connection kept idle is closed by the pool after three quarters
// of the timeout, before its deadline could end a read on it.
const (
	maxDialTimeout      = 30 * time.Second
	maxHandshakeTimeout = 10 * time.Second
)

// defaultTransport builds the SDK's default transport: TLS 1.2 at least, up to
// maxConnsPerHost connections per host (more calls wait for one rather than
// dial spares; the API rate-limits far below that anyway) and, when timeout
// is positive, per-attempt deadlines on its connections.
func defaultTransport(timeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	t.MaxConnsPerHost = maxConnsPerHost
	t.MaxIdleConnsPerHost = maxConnsPerHost
	if timeout <= 0 {
		return t
	}
	dialer := &net.Dialer{Timeout: min(timeout, maxDialTimeout), KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &deadlineConn{Conn: conn, timeout: timeout}, nil
	}
	t.TLSHandshakeTimeout = min(timeout, maxHandshakeTimeout)
	t.IdleConnTimeout = min(t.IdleConnTimeout, timeout/4*3) // not timeout*3: a huge timeout would overflow
	t.ForceAttemptHTTP2 = false
	t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{} // HTTP/1.1 only
	return t
}

// deadlineConn sets its deadline to timeout from each write: the
// per-attempt timeout of the request being written.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

// Write sets the deadline, then writes.
func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.SetDeadline(time.Now().Add(c.timeout)); err != nil { // Add saturates: a huge timeout stays far off
		return 0, err
	}
	return c.Conn.Write(p)
}

// sharedTransports holds the transports WithSharedTransport clients share,
// one per timeout (the deadline is part of the transport).
var sharedTransports sync.Map // time.Duration -> sharedRoundTripper

// sharedRoundTripper is a shared transport without CloseIdleConnections, so
// neither one client's Close nor go-retryablehttp (which closes idle
// connections after a failed call) drops the connections other clients
// keep.
type sharedRoundTripper struct{ t *http.Transport }

// RoundTrip is the shared transport's.
func (s sharedRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	return s.t.RoundTrip(req)
}

// sharedTransport returns the transport shared by clients with timeout.
func sharedTransport(timeout time.Duration) http.RoundTripper {
	if rt, ok := sharedTransports.Load(timeout); ok {
		return rt.(sharedRoundTripper)
	}
	rt, _ := sharedTransports.LoadOrStore(timeout, sharedRoundTripper{defaultTransport(timeout)})
	return rt.(sharedRoundTripper)
}
