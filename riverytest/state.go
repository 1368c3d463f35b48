package riverytest

import (
	"fmt"
	"net/http"
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
	subRiverID           string
	subRiverName         string
	outcome, msg         string // the final status and its message, from the river or sub-river
	started              time.Time
	ended                time.Time
	dur                  time.Duration // River.Duration, scaled; 0: runs move by polls
	pending              time.Duration // how long a run with a dur is pending, scaled
	polls                int
	canceled             bool
	recorded             *RecordedRun // set by AddRun: its status is fixed
	skippedFor           string       // the run in flight when this trigger was skipped
}

// pendingAtMost bounds how long a run with a Duration is pending before it
// runs: a quarter of its Duration, at most this.
const pendingAtMost = time.Second

// status is the run's v1 status now, without counting a poll.
func (r *run) status(rv *river, now time.Time) string {
	switch {
	case r.recorded != nil:
		return r.recorded.Status
	case r.skippedFor != "":
		return "skipped"
	case r.canceled && rv.CancelAsFailed:
		return "failed"
	case r.canceled:
		return "canceled"
	}
	if r.dur > 0 {
		switch elapsed := now.Sub(r.started); {
		case elapsed < r.pending:
			return "pending"
		case elapsed < r.dur:
			return "running"
		}
		return r.outcome
	}
	switch {
	case r.polls == 0, r.polls == 1 && rv.Polls >= 1:
		return "pending" // as triggered, and the first status call
	case r.polls > max(rv.Polls, 0):
		return r.outcome
	}
	return "running"
}

// observe is the status an activity view reports for the run: for a run
// that moves by polls and has not ended, that counts as a status call.
func (r *run) observe(rv *river, now time.Time) string {
	if st := r.status(rv, now); r.dur > 0 || r.recorded != nil || terminal(st) {
		return st
	}
	return r.poll(rv, now)
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
func (r *run) message(status string) string {
	switch {
	case r.recorded != nil && r.recorded.Message != "":
		return r.recorded.Message
	case r.skippedFor != "":
		return "The river is already in progress, please use the run id '" + r.skippedFor + "' in order to check the status of the run."
	case status == "canceled", r.canceled && terminal(status):
		return "Run canceled"
	case terminal(status) && status != "succeeded":
		if r.msg != "" {
			return r.msg
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

// operation is an asynchronous operation of the v1 API (a river's
// activation, a CDC switch, a pull request, a dataframe's clear or
// download, an environment's deletion), polled through E/operations/{id}:
// R on its first poll, then D with result (doing apply first), or E with
// errMessage.
type operation struct {
	id         string
	kind       string // its operation_type
	polls      int
	result     any
	errMessage string
	// apply, when set, is what it does when it ends D (s.mu held).
	apply func()
	// pull marks a pull request, which POST E/pull_requests/{id}/cancel_run
	// may cancel: canceled ends it E.
	pull, canceled bool
}

// newOperation starts an operation of kind that ends D with result (doing
// apply, if set), or E with errMessage when it is set; the caller holds
// s.mu.
func (s *Server) newOperation(kind string, result any, errMessage string, apply func()) *operation {
	s.seq++
	op := &operation{id: fmt.Sprintf("%024x", 0xd000+s.seq), kind: kind, result: result, errMessage: errMessage, apply: apply}
	s.ops[op.id] = op
	return op
}

// startOp starts an operation (see newOperation) and answers it 202 as it
// starts; the caller holds s.mu.
func (s *Server) startOp(w http.ResponseWriter, kind string, result any, errMessage string, apply func()) {
	op := s.newOperation(kind, result, errMessage, apply)
	writeJSON(w, http.StatusAccepted, op.json("W", nil))
}

// startRun creates a run of rv; the caller holds s.mu.
func (s *Server) startRun(rv *river) *run {
	s.seq++
	r := &run{
		id:      fmt.Sprintf("%032x", 0xa000+s.seq),
		riverID: rv.ID,
		groupID: fmt.Sprintf("%032x", 0xb000+s.seq),
		outcome: rv.Outcome,
		msg:     rv.Message,
		started: time.Now().UTC(),
		dur:     s.scaled(rv.Duration),
		pending: min(s.scaled(rv.Duration)/4, s.scaled(pendingAtMost)),
	}
	s.runs[r.id] = r
	return r
}

// trigger starts what one trigger of rv starts, in the group's order: one
// run, one per sub-river (or only sub when set), a skipped run naming the
// run in flight, or nothing (River.NoRuns). The caller holds s.mu.
func (s *Server) trigger(rv *river, sub string) []*run {
	if rv.NoRuns {
		return nil
	}
	now := time.Now()
	if rv.SkipWhileRunning {
		for _, other := range s.runs {
			if other.riverID == rv.ID && other.skippedFor == "" && !terminal(other.status(rv, now)) {
				r := s.startRun(rv)
				r.skippedFor, r.ended = other.id, r.started
				return []*run{r}
			}
		}
	}
	if len(rv.SubRivers) == 0 {
		return []*run{s.startRun(rv)}
	}
	var runs []*run
	for _, sr := range rv.SubRivers {
		if sub != "" && sr.ID != sub {
			continue
		}
		r := s.startRun(rv)
		r.subRiverID, r.subRiverName = sr.ID, sr.Name
		if sr.Outcome != "" {
			r.outcome = sr.Outcome
		}
		if sr.Message != "" {
			r.msg = sr.Message
		}
		if len(runs) > 0 { // one group, started at once
			r.groupID, r.started = runs[0].groupID, runs[0].started
		}
		runs = append(runs, r)
	}
	return runs
}
