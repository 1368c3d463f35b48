package rivery

import (
	"regexp"
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// Run is one execution of a river, in either API family's terms. Run values
// are comparable with == (Group compares by pointer).
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

	// SubRiverID is the sub-river a v1 run belongs to, when the server
	// names one (the runs of a master river).
	SubRiverID string
	// Group is set when one v1 trigger started several runs (a master river
	// starts one run per sub-river): the Run then stands for the group, and
	// Group holds every run. It is nil when the trigger started a single run,
	// on the console API, in what GetRun and ListRuns return, and in each run
	// of Group.Runs (a run does not point back to its group). When Group is
	// set, ID is the first run's, GroupID is Group.ID, RawStatus is empty,
	// Message names the first run that did not succeed, and Status is the
	// group's outcome (see RunGroup).
	Group *RunGroup
	// InFlightRunID is set on a skipped trigger (Status StatusSkipped) when
	// the server named the run already in flight; RunAndWait then waits for
	// that run instead.
	InFlightRunID string

	// The fields below come from the v1 run status and runs list (zero
	// elsewhere, and when not sent).

	// Units are the processing units the run used (units, or rpu).
	Units Units
	// SourceName and TargetName name what the run read and wrote; a logic
	// river's run has no target.
	SourceName, TargetName string
	// SubRiverRun reports a run of a sub-river (is_sub_river_run); its
	// SubRiverID names the sub-river.
	SubRiverRun bool
}

// RunGroup is a v1 run group whose trigger started several runs (see
// Run.Group). The SDK computes the group's outcome from its runs; it does not
// read Rivery's own group aggregate
// (GET E/rivers/{id}/activities_run_groups/{group}). The outcome is running
// (or pending) while any run is, then succeeded only if every run succeeded,
// partially succeeded if some did, else failed if one failed, canceled if
// one was canceled, or the runs' shared status (failed when they differ).
type RunGroup struct {
	ID      string // the run group ID
	RiverID string
	// Runs is every run the trigger started, in the server's order. Each
	// run's Group is nil.
	Runs []*Run
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

// runStatus maps a server status and message onto RunStatus. A canceled run
// can settle as failed with the message "Run canceled": that is
// StatusCanceled.
func runStatus(raw, msg string) RunStatus {
	st := ParseRunStatus(raw)
	if st == StatusFailed && isCancelMessage(msg) {
		return StatusCanceled
	}
	return st
}

func isCancelMessage(msg string) bool {
	m := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(msg)), ".")
	return m == "run canceled" || m == "run cancelled" //nolint:misspell // the British spelling may come from the server
}

func runFromConsole(w *wire.ConsoleRun) *Run {
	msg := firstNonEmpty(string(w.ErrorDescription), string(w.Message), string(w.TopMessage))
	st := runStatus(w.Status, msg)
	if strings.TrimSpace(w.Status) == "" {
		st = StatusPending // Rivery's CLI reads a missing status as W, still waiting
	}
	r := &Run{
		ID:        string(w.RunID),
		RiverID:   string(w.RiverID),
		Status:    st,
		RawStatus: w.Status,
		Message:   msg,
		StartedAt: w.InsertDate.Time,
		EndedAt:   w.EndDate.Time,
	}
	if st == StatusSkipped {
		r.InFlightRunID = inFlightID(msg, r.ID)
	}
	return r
}

func runFromV1(w *wire.Run) *Run {
	r := runOfV1(w)
	return &r
}

// runOfV1 is the run a v1 run status or runs-list item describes.
func runOfV1(w *wire.Run) Run {
	return Run{
		ID:          string(w.RunID),
		GroupID:     string(w.RunGroupID),
		RiverID:     string(w.RiverCrossID),
		Status:      runStatus(w.Status, string(w.ErrorDescription)),
		RawStatus:   w.Status,
		Message:     string(w.ErrorDescription),
		StartedAt:   firstTime(w.StartDateUTC.Time, w.StartDateMS.Time),
		EndedAt:     firstTime(w.EndDateUTC.Time, w.EndDateMS.Time),
		SubRiverID:  string(w.SubRiverID),
		Units:       Units(max(w.Units, w.RPU)),
		SourceName:  string(w.SourceName),
		TargetName:  string(w.TargetName),
		SubRiverRun: bool(w.IsSubRiverRun),
	}
}

// inFlightID finds a run ID (32 hex digits) other than self in a skipped
// run's message, which names the run already in flight.
func inFlightID(msg, self string) string {
	for _, id := range runIDPattern.FindAllString(strings.ToLower(msg), -1) {
		if !strings.EqualFold(id, self) {
			return id
		}
	}
	return ""
}

var runIDPattern = regexp.MustCompile(`\b[0-9a-f]{32}\b`)

// runFromGroup turns a v1 trigger answer into a Run: the one run it started,
// or a Run standing for the group when it started several (see Run.Group).
// Runs with neither an ID nor a named in-flight run are left out; it
// returns nil when no run is left. An answer without runs whose own status
// is skipped (a run of the river is in flight) is a skipped Run.
func runFromGroup(g *wire.RunGroup, riverID string) *Run {
	if g.RiverCrossID != "" {
		riverID = string(g.RiverCrossID)
	}
	if len(g.Runs) == 0 && ParseRunStatus(g.Status) == StatusSkipped {
		return &Run{
			GroupID:       string(g.RunGroupID),
			RiverID:       riverID,
			Status:        StatusSkipped,
			RawStatus:     g.Status,
			Message:       string(g.Message),
			InFlightRunID: inFlightID(string(g.Message), ""),
		}
	}
	runs := make([]*Run, 0, len(g.Runs))
	for _, w := range g.Runs {
		r := &Run{
			ID:         string(w.RunID),
			GroupID:    string(g.RunGroupID),
			RiverID:    riverID,
			SubRiverID: string(w.SubRiverID),
			Status:     runStatus(w.Status, string(w.Message)),
			RawStatus:  w.Status,
			Message:    string(w.Message),
		}
		if r.Status == StatusSkipped {
			r.InFlightRunID = inFlightID(r.Message, r.ID)
		}
		if r.ID == "" && r.InFlightRunID == "" {
			continue // nothing to follow
		}
		runs = append(runs, r)
	}
	switch len(runs) {
	case 0:
		return nil
	case 1:
		return runs[0]
	}
	group := *runs[0]
	group.SubRiverID, group.InFlightRunID = "", ""
	group.Group = &RunGroup{ID: string(g.RunGroupID), RiverID: riverID, Runs: runs}
	group.aggregate()
	return &group
}

// aggregate sets the Status, RawStatus, Message and times of a Run standing
// for a group (g.Group set) from the group's runs:
// running while any run is running, pending while any is pending; then
// succeeded if every run succeeded, partially succeeded if some did, failed
// if none did and one failed, canceled if none failed and one was
// canceled, and otherwise the runs' shared status (failed when they
// differ).
// Message names the first run that did not succeed.
func (g *Run) aggregate() {
	runs := g.Group.Runs
	var running, pending, succeeded, failed, canceled int
	g.Message = ""
	for _, r := range runs {
		switch r.Status {
		case StatusRunning:
			running++
		case StatusPending:
			pending++
		case StatusSucceeded:
			succeeded++
		case StatusFailed:
			failed++
		case StatusCanceled:
			canceled++
		}
		if r.Status.Terminal() && r.Status != StatusSucceeded && g.Message == "" {
			g.Message = "run " + r.ID + " " + string(r.Status)
			if r.Message != "" {
				g.Message += ": " + r.Message
			}
		}
	}
	g.RawStatus = ""
	n := len(runs)
	switch {
	case running > 0:
		g.Status = StatusRunning
	case pending > 0:
		g.Status = StatusPending
	case succeeded == n:
		g.Status = StatusSucceeded
	case succeeded > 0:
		g.Status = StatusPartial
	case failed > 0:
		g.Status = StatusFailed
	case canceled > 0:
		g.Status = StatusCanceled
	default:
		g.Status = runs[0].Status // all skipped or unknown
		for _, r := range runs[1:] {
			if r.Status != g.Status {
				g.Status = StatusFailed
				break
			}
		}
	}
	g.StartedAt, g.EndedAt = time.Time{}, time.Time{}
	for _, r := range runs {
		if !r.StartedAt.IsZero() && (g.StartedAt.IsZero() || r.StartedAt.Before(g.StartedAt)) {
			g.StartedAt = r.StartedAt
		}
		if g.Status.Terminal() && r.EndedAt.After(g.EndedAt) {
			g.EndedAt = r.EndedAt
		}
	}
}
