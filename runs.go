package rivery

import (
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// Run is one execution of a river, in either API family's terms.
type Run struct {
	ID      string // the run ID (32 hex digits)
	GroupID string // the v1 run group; empty on the console API
	RiverID string
	Status  RunStatus
	// RawStatus is what the server said: a letter (W, P, R, D, E, F) on the
	// console API, a word on the v1 API.
	RawStatus string
	// Message is the server's message or error description, if any.
	Message   string
	StartedAt time.Time // zero when unknown
	EndedAt   time.Time // zero until the run ends, or when unknown
}

// RunStatus is a run's status, the same for both API families.
type RunStatus string

// The statuses a run can have.
const (
	StatusPending   RunStatus = "pending"   // console W (waiting) and P (preparing)
	StatusRunning   RunStatus = "running"   // console R
	StatusSucceeded RunStatus = "succeeded" // console D (done)
	StatusFailed    RunStatus = "failed"    // console E and F
	StatusCanceled  RunStatus = "canceled"
	StatusSkipped   RunStatus = "skipped" // e.g. triggered while another run was in flight
	StatusPartial   RunStatus = "partially succeeded"
	// StatusUnknown is a status the SDK does not recognize; RawStatus has
	// it. It counts as terminal, so a poller never waits on it forever.
	StatusUnknown RunStatus = "unknown"
)

// Terminal reports whether a run in this status has ended. Only pending and
// running are not terminal.
func (s RunStatus) Terminal() bool {
	return s != StatusPending && s != StatusRunning
}

// ParseRunStatus maps a status of either API family onto RunStatus:
// console letters, v1 words (in any case), or StatusUnknown.
func ParseRunStatus(raw string) RunStatus {
	s := strings.TrimSpace(raw)
	switch s {
	case "W", "P":
		return StatusPending
	case "R":
		return StatusRunning
	case "D":
		return StatusSucceeded
	case "E", "F":
		return StatusFailed
	}
	switch strings.ToLower(s) {
	case "pending":
		return StatusPending
	case "running":
		return StatusRunning
	case "succeeded":
		return StatusSucceeded
	case "failed":
		return StatusFailed
	case "canceled", "cancelled": //nolint:misspell // the British spelling may come from the server
		return StatusCanceled
	case "skipped":
		return StatusSkipped
	case "partially succeeded", "partially_succeeded":
		return StatusPartial
	}
	return StatusUnknown
}

func runFromConsole(w *wire.ConsoleRun) *Run {
	msg := w.ErrorDescription
	if msg == "" {
		msg = w.Message
	}
	return &Run{
		ID:        w.RunID,
		RiverID:   w.RiverID,
		Status:    ParseRunStatus(w.Status),
		RawStatus: w.Status,
		Message:   msg,
		StartedAt: w.InsertDate.Time,
		EndedAt:   w.EndDate.Time,
	}
}

func runFromV1(w *wire.Run) *Run {
	return &Run{
		ID:        w.RunID,
		GroupID:   w.RunGroupID,
		RiverID:   w.RiverCrossID,
		Status:    ParseRunStatus(w.Status),
		RawStatus: w.Status,
		Message:   w.ErrorDescription,
		StartedAt: w.StartDateUTC.Time,
		EndedAt:   w.EndDateUTC.Time,
	}
}

// runFromGroup returns the first run of a v1 run group, or nil if it has none.
func runFromGroup(g *wire.RunGroup, riverID string) *Run {
	if len(g.Runs) == 0 {
		return nil
	}
	first := g.Runs[0]
	if g.RiverCrossID != "" {
		riverID = g.RiverCrossID
	}
	return &Run{
		ID:        first.RunID,
		GroupID:   g.RunGroupID,
		RiverID:   riverID,
		Status:    ParseRunStatus(first.Status),
		RawStatus: first.Status,
		Message:   first.Message,
	}
}
