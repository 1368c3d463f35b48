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
	AccountID     ID `json:"account_id"`
	EnvironmentID ID `json:"environment_id"`
}

// ConsoleRun is the console API's run (POST /api/run, GET /api/check_run):
// the fields Run is made of. Its run_update_date is left undecoded, as
// nothing returns it.
type ConsoleRun struct {
	RunID            ID     `json:"run_id"`
	RiverID          ID     `json:"river_id"`
	Status           string `json:"river_run_status"`
	Message          Text   `json:"river_run_message"`
	ErrorDescription Text   `json:"error_description"`
	TopMessage       Text   `json:"message"`
	InsertDate       Millis `json:"run_insert_date"`
	EndDate          Millis `json:"run_end_date"`
}

// RunGroup is the v1 answer to a run trigger (202). A trigger skipped
// because a run is in flight may answer without runs, with the status and
// message at the top; one refused by the rate limit may answer a 2xx
// {"error": "..."}.
type RunGroup struct {
	RunGroupID   ID         `json:"run_group_id"`
	RiverCrossID ID         `json:"river_cross_id"`
	Runs         []GroupRun `json:"runs"`
	Status       string     `json:"status"`
	Message      Text       `json:"message"`
	Error        Text       `json:"error"`
}

// GroupRun is one run of a RunGroup.
type GroupRun struct {
	RunID      ID     `json:"run_id"`
	SubRiverID Text   `json:"sub_river_id"`
	Status     string `json:"status"`
	Message    Text   `json:"message"`
}

// Run is the v1 run status (GET .../rivers/{id}/runs/{run_id}) and an item
// of the runs list.
type Run struct {
	RunID            ID     `json:"run_id"`
	RiverCrossID     ID     `json:"river_cross_id"`
	RunGroupID       ID     `json:"run_group_id"`
	Status           string `json:"status"`
	ErrorDescription Text   `json:"error_description"`
	StartDateUTC     Time   `json:"start_date_utc"`
	EndDateUTC       Time   `json:"end_date_utc"`
	StartDateMS      Time   `json:"start_date_in_milliseconds"`
	EndDateMS        Time   `json:"end_date_in_milliseconds"`
	Units            Number `json:"units"`
	RPU              Number `json:"rpu"`
	SourceName       Text   `json:"source_name"`
	TargetName       Text   `json:"target_name"`
	DatasourceID     Text   `json:"datasource_id"`
	SubRiverID       Text   `json:"sub_river_id"`
	IsSubRiverRun    Bool   `json:"is_sub_river_run"`
	TotalRows        Count  `json:"total_rows"`
}

// CancelRun is the body of both families' cancel requests.
type CancelRun struct {
	RunID string `json:"run_id"`
}

// RunRiver is the body of the console run trigger.
type RunRiver struct {
	RiverID string `json:"river_id"`
}

// Envelope is a v1 page of items. The items and next_page are read
// strictly (the SDK acts on them); the counts are informative only, and
// total_items may disagree with the items (the items are trusted).
type Envelope[T any] struct {
	Items           []T   `json:"items"`
	Page            Count `json:"page"`
	CurrentPageSize Count `json:"current_page_size"`
	TotalItems      Count `json:"total_items"`
	NextPage        Link  `json:"next_page"`
	PreviousPage    Link  `json:"previous_page"`
}

// Millis is a time sent as milliseconds since the epoch: a number or a numeric
// string. It also reads what a timestamp field may come as instead: an ISO
// 8601 string (see Time) or Mongo's {"$date": ms}. Null, missing or
// unreadable values, and times outside the years 0 to 9999, give the zero
// Time: a timestamp the SDK cannot read must not make a run unreadable.
type Millis struct{ time.Time }

// UnmarshalJSON never fails; see Millis.
func (m *Millis) UnmarshalJSON(b []byte) error {
	m.Time = time.Time{}
	if string(b) == "null" {
		return nil
	}
	// A number, whatever its shape (digits, a fraction, an exponent, a
	// sign, in a string or not), is read as a float: a value in (0, 1) is
	// the epoch itself.
	f, err := strconv.ParseFloat(string(bytes.Trim(b, `"`)), 64)
	if err == nil {
		if f > 0 && f < 1e15 {
			m.Time = writable(time.UnixMilli(int64(f)).UTC())
		}
		return nil
	}
	// Not a number: a {"$date"} object or a time written out.
	switch {
	case len(b) > 0 && b[0] == '{':
		m.Time = mongoDate(b)
	case len(b) > 0 && b[0] == '"':
		if s, ok := unquote(b); ok {
			m.Time = ParseTime(s)
		}
	}
	return nil
}

// Time is a timestamp in any form Rivery sends one: RFC 3339; ISO 8601
// without a zone (taken as UTC), with a space for the T or not; RFC 1123;
// epoch seconds or milliseconds, as a number or a numeric string (below
// 1e11 seconds, from there milliseconds: 1e11 ms is March 1973, 1e11 s the
// year 5138); Mongo's {"$date": ms}. Null, missing or unreadable values,
// and times outside the years 0 to 9999 once in UTC, give the zero Time.
type Time struct{ time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z0700",
	time.RFC1123,
	time.RFC1123Z,
	"2006-01-02",
}

// UnmarshalJSON never fails; see Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if v, ok := parseTimeJSON(b); ok { // the usual shapes, without allocating
		t.Time = v
		return nil
	}
	t.Time = readTime(b)
	return nil
}

// readTime reads a timestamp's JSON in its general form (see Time).
func readTime(b []byte) time.Time {
	if len(b) == 0 {
		return time.Time{}
	}
	switch c := b[0]; {
	case c == '"':
		if s, ok := unquote(b); ok {
			return ParseTime(s)
		}
	case c == '{':
		return mongoDate(b)
	case c == '-' || c >= '0' && c <= '9':
		if f, err := strconv.ParseFloat(string(b), 64); err == nil {
			return epoch(f)
		}
	}
	return time.Time{}
}

// epoch reads f as seconds since the epoch below 1e11 and as milliseconds
// from there (see Time); the zero Time for 0, a negative value, or one
// from 1e15 on.
func epoch(f float64) time.Time {
	if !(f > 0) || f >= 1e15 {
		return time.Time{}
	}
	if f < 1e11 {
		f *= 1000
	}
	return writable(time.UnixMilli(int64(f)).UTC())
}

// mongoDate reads {"$date": v}: v in milliseconds (a number, a numeric
// string or {"$numberLong": "..."}) or an ISO 8601 string.
func mongoDate(b []byte) time.Time {
	var v struct {
		Date json.RawMessage `json:"$date"`
	}
	if json.Unmarshal(b, &v) != nil || len(v.Date) == 0 {
		return time.Time{}
	}
	d := v.Date
	if d[0] == '{' {
		var n struct {
			Long json.RawMessage `json:"$numberLong"`
		}
		if json.Unmarshal(d, &n) != nil || len(n.Long) == 0 || n.Long[0] == '{' {
			return time.Time{}
		}
		d = n.Long
	}
	var m Millis
	_ = m.UnmarshalJSON(d)
	return m.Time
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

// ParseTime reads a timestamp written out (see Time: any of its string
// forms, epoch seconds or milliseconds included); the zero Time when it
// cannot, or when it falls outside the years 0 to 9999 in UTC.
func ParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return writable(v.UTC())
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return epoch(f)
	}
	return time.Time{}
}

// River is the union of the v1 list item (river_cross_id, river_type, flat
// group and status fields) and the detail (cross_id, type, kind, metadata,
// schedulers, settings, properties); the console API uses the same names.
type River struct {
	RiverCrossID ID                  `json:"river_cross_id"`
	CrossID      ID                  `json:"cross_id"`
	RiverID      ID                  `json:"river_id"`
	Name         Text                `json:"name"`
	RiverType    Text                `json:"river_type"`
	Type         Text                `json:"type"`
	Kind         Text                `json:"kind"`
	GroupID      Text                `json:"group_id"`
	GroupName    Text                `json:"group_name"`
	Description  Text                `json:"description"`
	RiverStatus  Text                `json:"river_status"`
	Metadata     Lax[*RiverMetadata] `json:"metadata"`
	Schedulers   Lax[[]Scheduler]    `json:"schedulers"`
	Settings     json.RawMessage     `json:"settings"`
	Properties   json.RawMessage     `json:"properties"`
	// rivers_search items: the schedules as cron expressions, and who
	// changed the river last, when.
	RiverSchedulers Lax[[]Text] `json:"river_schedulers"`
	LastUpdatedAt   Time        `json:"last_updated_at"`
	LastUpdatedBy   Text        `json:"last_user_name_modified"`
}

// RiverMetadata is the detail's metadata block.
type RiverMetadata struct {
	Description      Text `json:"description"`
	RiverStatus      Text `json:"river_status"`
	CreatedBy        Text `json:"created_by"`
	CreatedAt        Time `json:"created_at"`
	LastUpdatedBy    Text `json:"last_updated_by"`
	LastUpdatedAt    Time `json:"last_updated_at"`
	CurrentVersionID Text `json:"current_version_id"`
}

// Scheduler is one schedule of a river.
type Scheduler struct {
	CronExpression Text `json:"cron_expression"`
	IsEnabled      Bool `json:"is_enabled"`
}

// Operation is a v1 asynchronous operation (activate, disable, ...). Its
// result's shape depends on its type: it is kept as sent.
type Operation struct {
	OperationID    ID              `json:"operation_id"`
	Status         string          `json:"status"`
	ErrorMessage   Text            `json:"error_message"`
	OperationType  Text            `json:"operation_type"`
	RunID          Text            `json:"run_id"`
	LastUpdateDate Time            `json:"last_update_date"`
	Result         json.RawMessage `json:"result"`
}

// ScopeInfo is an item of GET /v1/scopes.
type ScopeInfo struct {
	Name        Text `json:"name"`
	Description Text `json:"description"`
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
