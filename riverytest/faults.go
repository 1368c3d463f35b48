package riverytest

import (
	"net/http"
	"time"
)

// Route names an endpoint of both API families, for fault injection and
// observation.
type Route string

// The routes the server serves.
const (
	RouteMe          Route = "me"            // GET /api/me
	RouteRun         Route = "run"           // POST /api/run, POST E/rivers/{id}/run
	RouteRunStatus   Route = "run_status"    // GET /api/check_run, GET E/rivers/{id}/runs/{run}
	RouteCancelRun   Route = "cancel_run"    // POST /api/run/cancel, POST E/rivers/{id}/cancel_run
	RouteRivers      Route = "rivers"        // GET /api/rivers, GET E/rivers
	RouteRiver       Route = "river"         // GET /api/rivers/{id}, GET E/rivers/{id}
	RouteRunSubRiver Route = "run_sub_river" // POST E/rivers/{id}/sub_rivers/{sub}/run
	RouteRuns        Route = "runs"          // GET E/rivers/{id}/runs
	RouteLogs        Route = "logs"          // GET E/rivers/{id}/runs/{run}/logs
	RouteActivate    Route = "activate"      // POST E/rivers/{id}/activate_river
	RouteDisable     Route = "disable"       // POST E/rivers/{id}/disable_river
	RouteOperation   Route = "operation"     // GET E/operations/{id}
	RouteTokens      Route = "tokens"        // GET A/tokens
	RouteToken       Route = "token"         // GET A/tokens/{id}
	RouteCreateToken Route = "create_token"  // POST A/tokens
	RouteDeleteToken Route = "delete_token"  // DELETE A/tokens/{id}
	RouteScopes      Route = "scopes"        // GET /v1/scopes
	RouteUnknown     Route = "unknown"       // anything else (404)
)

// Fault is what the next requests on a route get instead of a normal answer.
type Fault struct {
	// Status, if set, is answered with Body (or an error body in the
	// route's family style) and, if set, a Retry-After header.
	Status     int
	RetryAfter string
	Body       string
	// Header is added to a Status answer, e.g. a Location for a redirect.
	Header http.Header
	// Delay holds the answer back this long (or until the client gives
	// up). With no Status and no CloseConnection, the normal answer follows.
	Delay time.Duration
	// CloseConnection closes the connection after the request was read,
	// without an answer: a failure after sending.
	CloseConnection bool
	// Truncate sends the normal answer's status and headers, with its full
	// Content-Length, but only half of its body, then closes the
	// connection. The request is handled first, as with Apply.
	Truncate bool
	// Apply makes the server handle the request before the fault replaces
	// its answer, as a server that did the work and then failed: a run
	// trigger then really starts a run.
	Apply bool
}

type pendingFault struct {
	Fault
	left int
}

// Fail makes the next times requests on route get f, after any faults
// already queued there.
func (s *Server) Fail(route Route, times int, f Fault) {
	if times <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], &pendingFault{f, times})
}

// takeFault returns the fault for the next request on route, if any.
func (s *Server) takeFault(route Route) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.faults[route]
	if len(queue) == 0 {
		return nil
	}
	f := queue[0]
	f.left--
	if f.left == 0 {
		s.faults[route] = queue[1:]
	}
	return &f.Fault
}

// hold keeps r waiting for f's Delay, scaled; it reports false when the
// client gave up first.
func (s *Server) hold(r *http.Request, f *Fault) bool {
	if f.Delay <= 0 {
		return true
	}
	select {
	case <-time.After(s.scaled(f.Delay)):
		return true
	case <-r.Context().Done():
		return false
	}
}
