package wire

import (
	"bytes"
	"encoding/json"
	"errors"
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
	CrossID       ID     `json:"cross_id"`
	RiverCrossID  ID     `json:"river_cross_id"`
	RiverID       ID     `json:"river_id"`
	MasterRiverID Text   `json:"master_river_id"`
	RiverName     Text   `json:"river_name"`
	Name          Text   `json:"name"`
	GroupID       Text   `json:"group_id"`
	IsScheduled   Bool   `json:"is_scheduled"`
	IsSubRiver    Bool   `json:"is_sub_river"`
	IsMasterRiver Bool   `json:"is_master_river"`
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
	RunGroupID    ID     `json:"run_group_id"`
	RiverCrossID  ID     `json:"river_cross_id"`
	Status        string `json:"status"`
	Units         Number `json:"units"`
	RPU           Number `json:"rpu"`
	MaxDurationMS Number `json:"max_duration_in_milliseconds"`
	RunDateUTC    When   `json:"run_date_utc"`
	RunDateMS     When   `json:"run_date_epoch_milliseconds"`
	RunEndDateUTC When   `json:"run_end_date_utc"`
	RunEndDateMS  When   `json:"run_end_date_epoch_milliseconds"`
	Trigger       Text   `json:"trigger"`
}

// RunDetail is a run as the activity views show it: an item of
// GET E/rivers/{id}/activities_sub_rivers, and the per-table rows of
// .../activities_targets and .../runs/{run}/tasks. Each answer fills its
// own subset: tasks name their status task_status and their source and
// target source and target.
type RunDetail struct {
	RunID            ID     `json:"run_id"`
	TaskID           ID     `json:"task_id"`
	RunGroupID       ID     `json:"run_group_id"`
	RiverCrossID     ID     `json:"river_cross_id"`
	SubRiverID       ID     `json:"sub_river_id"`
	SubRiverName     Text   `json:"sub_river_name"`
	RiverName        Text   `json:"river_name"`
	Name             Text   `json:"name"`
	TaskName         Text   `json:"task_name"`
	TableName        Text   `json:"table_name"`
	TargetTable      Text   `json:"target_table"`
	TargetName       Text   `json:"target_name"`
	SourceName       Text   `json:"source_name"`
	Source           Text   `json:"source"`
	Target           Text   `json:"target"`
	Status           string `json:"status"`
	TaskStatus       string `json:"task_status"`
	ErrorDescription Text   `json:"error_description"`
	ErrorMessage     Text   `json:"error_message"`
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

// LogicStep is a step of GET E/rivers/{id}/runs/{run}/logic_steps. The
// console's answer names its status step_status, its message
// error_description and its iteration loop_iteration_number.
type LogicStep struct {
	StepID              ID     `json:"step_id"`
	StepName            Text   `json:"step_name"`
	Name                Text   `json:"name"`
	BlockType           Text   `json:"block_type"`
	StepType            Text   `json:"step_type"`
	Type                Text   `json:"type"`
	Status              string `json:"status"`
	StepStatus          string `json:"step_status"`
	ErrorMessage        Text   `json:"error_message"`
	ErrorDescription    Text   `json:"error_description"`
	IterationNumber     Count  `json:"iteration_number"`
	LoopIterationNumber Count  `json:"loop_iteration_number"`
	Units               Number `json:"units"`
	StartDateUTC        When   `json:"start_date_utc"`
	StartDateMS         When   `json:"start_date_in_milliseconds"`
	EndDateUTC          When   `json:"end_date_utc"`
	EndDateMS           When   `json:"end_date_in_milliseconds"`
}

// LogicSteps is GET E/rivers/{id}/runs/{run}/logic_steps: the steps under
// "steps", an object keyed by each step's name (as the console's answer
// has it) or a list, or under "items", paged or not. Keyed steps keep the
// server's order, and a step without a name takes its key.
type LogicSteps struct {
	Items[*LogicStep]
}

// UnmarshalJSON reads any of the shapes LogicSteps names.
func (l *LogicSteps) UnmarshalJSON(b []byte) error {
	*l = LogicSteps{}
	if err := l.Items.UnmarshalJSON(b); err != nil {
		return err
	}
	if !l.Paged {
		return nil
	}
	var v struct {
		Steps json.RawMessage `json:"steps"`
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Steps) == 0 || string(v.Steps) == "null" {
		return err
	}
	if v.Steps[0] == '[' {
		var list []*LogicStep
		if err := json.Unmarshal(v.Steps, &list); err != nil {
			return err
		}
		l.Items.Items = append(l.Items.Items, list...)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v.Steps))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("logic steps are an object keyed by step name or a list")
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		step := new(LogicStep)
		if err := dec.Decode(step); err != nil {
			return err
		}
		if name, _ := key.(string); step.StepName == "" && step.Name == "" {
			step.StepName = Text(name)
		}
		l.Items.Items = append(l.Items.Items, step)
	}
	return nil
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

// When is a timestamp sent either way Rivery sends them: a string or
// epoch seconds or milliseconds (it reads exactly what Time reads).
type When struct{ time.Time }

// UnmarshalJSON never fails; see When.
func (w *When) UnmarshalJSON(b []byte) error { return (*Time)(w).UnmarshalJSON(b) }
