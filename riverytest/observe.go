package riverytest

import (
	"net/http"
	"sort"
	"time"
)

// Request is a request the server received. The Authorization header is
// recorded as "[redacted]"; TokenID names the token it carried, if known.
type Request struct {
	Route    Route
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
	TokenID  string
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsTo returns the requests received on one route.
func (s *Server) RequestsTo(route Route) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Route == route {
			out = append(out, r)
		}
	}
	return out
}

// RunsStarted reports how many runs of riverID the server really started,
// whatever the client was told: the count a test of "started exactly once"
// checks.
func (s *Server) RunsStarted(riverID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.runs {
		if r.riverID == riverID && r.skippedFor == "" { // a skipped trigger started nothing
			n++
		}
	}
	return n
}

// RunInfo is the server's view of a run.
type RunInfo struct {
	ID, RiverID, GroupID string
	Status               string // v1 word
	StartedAt            time.Time
	Polls                int // status calls so far
}

// Runs returns the runs of riverID, oldest first.
func (s *Server) Runs(riverID string) []RunInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RunInfo
	for _, r := range s.runs {
		if r.riverID == riverID {
			out = append(out, RunInfo{r.id, r.riverID, r.groupID, r.status(s.rivers[r.riverID], time.Now()), r.started, r.polls})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
