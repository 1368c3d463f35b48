package riverytest

import (
	"fmt"
	"time"

	"github.com/rivery-go/rivery"
)

type river struct {
	River
}

type token struct {
	Token
	created   time.Time
	createdBy string
	lastUsed  *time.Time
}

// can reports whether the token may call an endpoint that needs one of
// scopes (none: any valid token).
func (t *token) can(scopes []rivery.Scope) bool {
	if t.Admin || len(scopes) == 0 {
		return true
	}
	for _, need := range scopes {
		for _, have := range t.Scopes {
			if have == need {
				return true
			}
		}
	}
	return false
}

type run struct {
	id, riverID, groupID string
	started              time.Time
	ended                time.Time
	polls                int
	canceled             bool
	recorded             *RecordedRun // set by AddRun: its status is fixed
}

// status is the run's v1 status now, without counting a poll.
func (r *run) status(rv *river, now time.Time) string {
	if r.recorded != nil {
		return r.recorded.Status
	}
	if r.canceled {
		return "canceled"
	}
	if rv.Duration > 0 {
		switch elapsed := now.Sub(r.started); {
		case elapsed < rv.Duration/4:
			return "pending"
		case elapsed < rv.Duration:
			return "running"
		}
		return rv.Outcome
	}
	switch {
	case r.polls == 0, r.polls == 1 && rv.Polls >= 1:
		return "pending" // as triggered, and the first status call
	case r.polls > max(rv.Polls, 0):
		return rv.Outcome
	}
	return "running"
}

// poll counts a status call and returns the status it sees.
func (r *run) poll(rv *river, now time.Time) string {
	r.polls++
	st := r.status(rv, now)
	if terminal(st) && r.ended.IsZero() {
		r.ended = now
	}
	return st
}

func terminal(status string) bool { return status != "pending" && status != "running" }

// message is the run's error description, if it has one.
func (r *run) message(rv *river, status string) string {
	switch {
	case r.recorded != nil && r.recorded.Message != "":
		return r.recorded.Message
	case status == "canceled":
		return "Run canceled"
	case terminal(status) && status != "succeeded":
		if rv.Message != "" {
			return rv.Message
		}
		return "Run ended " + status
	}
	return ""
}

// consoleStatus maps a v1 status onto the console API's letters.
func consoleStatus(status string) string {
	switch status {
	case "pending":
		return "W"
	case "running":
		return "R"
	case "succeeded":
		return "D"
	case "failed", "canceled":
		return "E"
	}
	return status // the console has no letter for it
}

type operation struct {
	id, riverID string
	activate    bool
	polls       int
	errMessage  string
}

// startRun creates a run of rv; the caller holds s.mu.
func (s *Server) startRun(rv *river) *run {
	s.seq++
	r := &run{
		id:      fmt.Sprintf("%032x", 0xa000+s.seq),
		riverID: rv.ID,
		groupID: fmt.Sprintf("%032x", 0xb000+s.seq),
		started: time.Now().UTC(),
	}
	s.runs[r.id] = r
	return r
}
