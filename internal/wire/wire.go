// Package wire holds the JSON shapes of the two Rivery API families as they
// travel, before the SDK turns them into its public types.
package wire

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Me is GET /api/me: who the token belongs to.
type Me struct {
	AccountID     string `json:"account_id"`
	EnvironmentID string `json:"environment_id"`
}

// ConsoleRun is the console API's run (POST /api/run, GET /api/check_run):
// the fields Run is made of. Its run_update_date is left undecoded, as
// nothing returns it.
type ConsoleRun struct {
	RunID            string `json:"run_id"`
	RiverID          string `json:"river_id"`
	Status           string `json:"river_run_status"`
	Message          string `json:"river_run_message"`
	ErrorDescription string `json:"error_description"`
	TopMessage       string `json:"message"`
	InsertDate       Millis `json:"run_insert_date"`
	EndDate          Millis `json:"run_end_date"`
}

// RunGroup is the v1 answer to a run trigger (202).
type RunGroup struct {
	RunGroupID   string     `json:"run_group_id"`
	RiverCrossID string     `json:"river_cross_id"`
	Runs         []GroupRun `json:"runs"`
}

// GroupRun is one run of a RunGroup.
type GroupRun struct {
	RunID      string `json:"run_id"`
	SubRiverID string `json:"sub_river_id"`
	Status     string `json:"status"`
	Message    string `json:"message"`
}

// Run is the v1 run status (GET .../rivers/{id}/runs/{run_id}) and an item
// of the runs list.
type Run struct {
	RunID            string `json:"run_id"`
	RiverCrossID     string `json:"river_cross_id"`
	RunGroupID       string `json:"run_group_id"`
	Status           string `json:"status"`
	ErrorDescription string `json:"error_description"`
	StartDateUTC     Time   `json:"start_date_utc"`
	EndDateUTC       Time   `json:"end_date_utc"`
}

// CancelRun is the body of both families' cancel requests.
type CancelRun struct {
	RunID string `json:"run_id"`
}

// RunRiver is the body of the console run trigger.
type RunRiver struct {
	RiverID string `json:"river_id"`
}

// Envelope is a v1 page of items.
type Envelope[T any] struct {
	Items           []T    `json:"items"`
	Page            int    `json:"page"`
	CurrentPageSize int    `json:"current_page_size"`
	TotalItems      int    `json:"total_items"`
	NextPage        string `json:"next_page"`
	PreviousPage    string `json:"previous_page"`
}

// Millis is a time sent as milliseconds since the epoch: a number or a numeric
// string. Null, missing or unreadable values, and times outside the years
// 0 to 9999, give the zero Time: a timestamp the SDK cannot read must not
// make a run unreadable.
type Millis struct{ time.Time }

// UnmarshalJSON never fails; see Millis.
func (m *Millis) UnmarshalJSON(b []byte) error {
	m.Time = time.Time{}
	if string(b) == "null" {
		return nil
	}
	// Read as a float, whatever its shape (digits, a fraction, an exponent,
	// a sign): a value in (0, 1) is the epoch itself.
	f, err := strconv.ParseFloat(string(bytes.Trim(b, `"`)), 64)
	if err == nil && f > 0 && f < 1e15 {
		m.Time = writable(time.UnixMilli(int64(f)).UTC())
	}
	return nil
}

// Time is a v1 timestamp: RFC 3339, or ISO 8601 without a zone (taken as
// UTC). Null, missing or unreadable values, and times outside the years 0
// to 9999 once in UTC, give the zero Time.
type Time struct{ time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// UnmarshalJSON never fails; see Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if v, ok := parseTimeJSON(b); ok { // the usual shapes, without allocating
		t.Time = v
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		t.Time = time.Time{}
		return nil
	}
	t.Time = ParseTime(s)
	return nil
}

// writable returns t (in UTC) when its year is within 0 to 9999, the years
// RFC 3339 and encoding/json can write, and the zero Time otherwise: a
// time the SDK returns must never make a value impossible to write out.
func writable(t time.Time) time.Time {
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}
	}
	return t
}

// ParseTime reads a v1 timestamp (see Time); the zero Time when it cannot,
// or when it falls outside the years 0 to 9999 in UTC.
func ParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return writable(v.UTC())
		}
	}
	return time.Time{}
}

// River is the union of the v1 list item (river_cross_id, river_type, flat
// group and status fields) and the detail (cross_id, type, kind, metadata,
// schedulers, settings, properties); the console API uses the same names.
type River struct {
	RiverCrossID string          `json:"river_cross_id"`
	CrossID      string          `json:"cross_id"`
	RiverID      string          `json:"river_id"`
	Name         string          `json:"name"`
	RiverType    string          `json:"river_type"`
	Type         string          `json:"type"`
	Kind         string          `json:"kind"`
	GroupID      string          `json:"group_id"`
	GroupName    string          `json:"group_name"`
	Description  string          `json:"description"`
	RiverStatus  string          `json:"river_status"`
	Metadata     *RiverMetadata  `json:"metadata"`
	Schedulers   []Scheduler     `json:"schedulers"`
	Settings     json.RawMessage `json:"settings"`
	Properties   json.RawMessage `json:"properties"`
}

// RiverMetadata is the detail's metadata block.
type RiverMetadata struct {
	Description string `json:"description"`
	RiverStatus string `json:"river_status"`
}

// Scheduler is one schedule of a river.
type Scheduler struct {
	CronExpression string `json:"cron_expression"`
	IsEnabled      bool   `json:"is_enabled"`
}

// Operation is a v1 asynchronous operation (activate, disable).
type Operation struct {
	OperationID  string `json:"operation_id"`
	Status       string `json:"status"`
	ErrorMessage string `json:"error_message"`
}

// ScopeInfo is an item of GET /v1/scopes.
type ScopeInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// AppendJSON appends {"river_id": ...} to b, as encoding/json would with
// HTML escaping off, without reflection.
func (r RunRiver) AppendJSON(b []byte) []byte {
	b = append(b, `{"river_id":`...)
	return append(AppendString(b, r.RiverID), '}')
}

// AppendJSON appends {"run_id": ...} to b, as RunRiver.AppendJSON does.
func (r CancelRun) AppendJSON(b []byte) []byte {
	b = append(b, `{"run_id":`...)
	return append(AppendString(b, r.RunID), '}')
}

// AppendString appends s as a JSON string, byte for byte as encoding/json
// writes it with HTML escaping off: short escapes for \b \f \n \r \t,
// \u00XX for other control characters, \u2028 and \u2029 escaped, and
// invalid UTF-8 replaced by \ufffd.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Keyed reports whether one of the river's identifying fields is set, so
// that it is not an empty (null) list item.
func (r *River) Keyed() bool {
	return r.RiverCrossID != "" || r.CrossID != "" || r.RiverID != "" || r.Name != ""
}

// Keyed reports whether the run's ID is set, so that it is not an empty
// (null) list item.
func (r *Run) Keyed() bool { return r.RunID != "" }
