package wire

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// The activity and run-detail shapes below are unions of the field names
// Rivery's clients and console show for each answer; a field the server
// leaves out stays zero. Numbers are read leniently (a number, a numeric
// string or null), so one odd field never makes a whole page unreadable.

// Counts are the per-status run counts of an activity row, a statistics
// answer or a run group.
type Counts struct {
	Pending   Count `json:"pending"`
	Waiting   Count `json:"waiting"` // an older name of pending
	Running   Count `json:"running"`
	Succeeded Count `json:"succeeded"`
	Success   Count `json:"success"` // an older name of succeeded
	Failed    Count `json:"failed"`
	Canceled  Count `json:"canceled"`
	Skipped   Count `json:"skipped"`
}

// Activity is an item of GET E/activities: one river's runs in the window,
// aggregated.
type Activity struct {
	Counts
	CrossID       string `json:"cross_id"`
	RiverCrossID  string `json:"river_cross_id"`
	RiverID       string `json:"river_id"`
	MasterRiverID string `json:"master_river_id"`
	RiverName     string `json:"river_name"`
	Name          string `json:"name"`
	GroupID       string `json:"group_id"`
	IsScheduled   bool   `json:"is_scheduled"`
	IsSubRiver    bool   `json:"is_sub_river"`
	IsMasterRiver bool   `json:"is_master_river"`
	Units         Number `json:"units"`
	RPU           Number `json:"rpu"`
	TotalSize     Count  `json:"total_size"`
	TotalFiles    Count  `json:"total_files"`
	LastRun       When   `json:"last_run"`
}

// Statistics is GET E/activities_statistics and
// E/rivers/{id}/activities_statistics.
type Statistics struct {
	Counts
	TotalUnits Number `json:"total_units"`
	TotalRPU   Number `json:"total_rpu"`
}

// RunGroupActivity is an item of GET E/rivers/{id}/activities_run_groups
// and the answer of .../activities_run_groups/{run_group_id}.
type RunGroupActivity struct {
	Counts
	RunGroupID    string `json:"run_group_id"`
	RiverCrossID  string `json:"river_cross_id"`
	Status        string `json:"status"`
	Units         Number `json:"units"`
	RPU           Number `json:"rpu"`
	MaxDurationMS Number `json:"max_duration_in_milliseconds"`
	RunDateUTC    When   `json:"run_date_utc"`
	RunDateMS     When   `json:"run_date_epoch_milliseconds"`
	RunEndDateUTC When   `json:"run_end_date_utc"`
	RunEndDateMS  When   `json:"run_end_date_epoch_milliseconds"`
	Trigger       string `json:"trigger"`
}

// RunDetail is a run as the activity views show it: an item of
// GET E/rivers/{id}/activities_sub_rivers, and the per-table rows of
// .../activities_targets and .../runs/{run}/tasks. Each answer fills its
// own subset.
type RunDetail struct {
	RunID            string `json:"run_id"`
	TaskID           string `json:"task_id"`
	RunGroupID       string `json:"run_group_id"`
	RiverCrossID     string `json:"river_cross_id"`
	SubRiverID       string `json:"sub_river_id"`
	SubRiverName     string `json:"sub_river_name"`
	RiverName        string `json:"river_name"`
	Name             string `json:"name"`
	TaskName         string `json:"task_name"`
	TableName        string `json:"table_name"`
	TargetName       string `json:"target_name"`
	SourceName       string `json:"source_name"`
	Status           string `json:"status"`
	ErrorDescription string `json:"error_description"`
	ErrorMessage     string `json:"error_message"`
	Units            Number `json:"units"`
	RPU              Number `json:"rpu"`
	TotalRows        Count  `json:"total_rows"`
	TotalSize        Count  `json:"total_size"`
	StartDateUTC     When   `json:"start_date_utc"`
	StartDateMS      When   `json:"start_date_in_milliseconds"`
	EndDateUTC       When   `json:"end_date_utc"`
	EndDateMS        When   `json:"end_date_in_milliseconds"`
	LastRun          When   `json:"last_run"`
}

// LogicStep is an item of GET E/rivers/{id}/runs/{run}/logic_steps.
type LogicStep struct {
	StepID          string `json:"step_id"`
	StepName        string `json:"step_name"`
	Name            string `json:"name"`
	BlockType       string `json:"block_type"`
	StepType        string `json:"step_type"`
	Type            string `json:"type"`
	Status          string `json:"status"`
	ErrorMessage    string `json:"error_message"`
	IterationNumber Count  `json:"iteration_number"`
	Units           Number `json:"units"`
	StartDateUTC    When   `json:"start_date_utc"`
	EndDateUTC      When   `json:"end_date_utc"`
}

// StepLog is GET E/rivers/{id}/runs/{run}/logic_steps/{step}/logs.
type StepLog struct {
	LogsURL string `json:"logs_url"`
}

// Items reads a list that comes either as a v1 envelope or as a bare
// array; Paged says which.
type Items[T any] struct {
	Envelope[T]
	Paged bool
}

// UnmarshalJSON accepts an envelope, a bare array or null.
func (l *Items[T]) UnmarshalJSON(b []byte) error {
	*l = Items[T]{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, &l.Items)
	}
	if string(b) == "null" {
		return nil
	}
	l.Paged = true
	return json.Unmarshal(b, &l.Envelope)
}

// Number is a decimal such as processing units: a JSON number, a numeric
// string, or null/missing/unreadable (0).
type Number float64

// UnmarshalJSON never fails; see Number.
func (n *Number) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(bytes.Trim(b, `"`)), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	*n = Number(f)
	return nil
}

// Count is a whole number such as a row count, read like Number and
// truncated; negative or out-of-range values give 0.
type Count int64

// UnmarshalJSON never fails; see Count.
func (c *Count) UnmarshalJSON(b []byte) error {
	var n Number
	_ = n.UnmarshalJSON(b)
	*c = 0
	if n >= 0 && n < 1<<62 {
		*c = Count(n)
	}
	return nil
}

// When is a timestamp sent either way Rivery sends them: a string (see
// Time) or milliseconds since the epoch (see Millis).
type When struct{ time.Time }

// UnmarshalJSON never fails; see When.
func (w *When) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		if t := ParseTime(s); !t.IsZero() {
			w.Time = t
			return nil
		}
	}
	var m Millis
	_ = m.UnmarshalJSON(b)
	w.Time = m.Time
	return nil
}
