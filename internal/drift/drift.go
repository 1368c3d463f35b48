// Package drift rewrites a JSON answer's non-essential fields into the
// other forms the live Rivery API has been seen to send them in (string
// booleans, numeric strings, zone-less times, epoch times, Mongo extended
// JSON, nulls, values of an unexpected type), leaving the fields the SDK
// acts on as they are. The SDK's property tests and fuzz target use it to
// check the tolerant reader over every fixture, and riverytest to serve
// drifted answers.
package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// Form is one way a non-essential field drifts.
type Form int

// The forms, each seen in Boomi's reference, its tooling or Rivery's
// console fixtures (wire facts, section D).
const (
	PythonBools   Form = iota // booleans as "True" and "False"
	DigitBools                // booleans as 1 and 0
	StringBools               // booleans as "1" and "0"
	NumberStrings             // numbers as numeric strings
	ZonelessTimes             // times as yyyy-mm-ddThh:mm:ss.ffffff, without a zone
	SpaceTimes                // the same with a space for the T
	EpochSeconds              // times as epoch seconds in a string
	EpochMillis               // times as epoch milliseconds, a number
	MongoDates                // times as {"$date": ms}
	MongoIDs                  // IDs as {"$oid": "..."} (the SDK's IDs too)
	Nulls                     // every non-essential scalar null
	WrongTypes                // every non-essential value of a JSON type it never has
	numForms
)

var formNames = [...]string{"PythonBools", "DigitBools", "StringBools", "NumberStrings", "ZonelessTimes", "SpaceTimes",
	"EpochSeconds", "EpochMillis", "MongoDates", "MongoIDs", "Nulls", "WrongTypes"}

// String names the form.
func (f Form) String() string {
	if f >= 0 && f < numForms {
		return formNames[f]
	}
	return "Form(" + strconv.Itoa(int(f)) + ")"
}

// Forms returns every form.
func Forms() []Form {
	out := make([]Form, numForms)
	for i := range out {
		out[i] = Form(i)
	}
	return out
}

// TypeForms are the forms that change a value's type but not whether it is
// there: what riverytest serves when asked for drifted types.
func TypeForms() []Form {
	return []Form{PythonBools, DigitBools, StringBools, NumberStrings, ZonelessTimes, SpaceTimes, EpochSeconds, EpochMillis, MongoDates, MongoIDs}
}

// idKeys name the IDs the SDK acts on: never drifted but into {"$oid"}.
var idKeys = map[string]bool{
	"run_id": true, "run_group_id": true, "river_cross_id": true, "cross_id": true, "_id": true, "id": true,
	"river_id": true, "operation_id": true, "token_id": true, "version_id": true, "task_id": true, "step_id": true,
	"sub_river_id": true, "account_id": true, "environment_id": true, "connection_id": true, "event_id": true, "user_id": true, "file_id": true,
}

// essentialKeys are the other fields the SDK acts on: statuses, paging,
// the lists it reads, names it merges by, what a catalog entry is keyed by.
// A container under one is walked; a scalar is kept.
var essentialKeys = map[string]bool{
	"status": true, "river_run_status": true, "task_status": true, "step_status": true,
	"items": true, "runs": true, "steps": true, "fields": true, "next_page": true, "previous_page": true, "next_token": true,
	"name": true, "connection_type": true, "logs_url": true, "url": true, "data_source_section": true,
	"environments": true, // a user's roles, keyed by environment
	"logicode":     true, // the list of Logicode resources
}

// verbatimKeys hold what the SDK passes on as it came (error bodies and
// messages, values, the token's secret), and the values of Mongo's
// extended JSON: kept whole.
var verbatimKeys = map[string]bool{
	"detail": true, "details": true, "message": true, "error": true, "error_description": true, "river_run_message": true,
	"error_message": true,
	"variables":     true, "value": true, "token": true, "$oid": true, "$date": true, "$numberLong": true,
	"result":    true, // an operation's result, passed on as it came
	"file_path": true, // an uploaded key file's path, sent back in a connection
	"config":    true, // a river's CDC position, written back as read
}

// keyedLists are objects that are lists keyed by name (the logic steps):
// their values are items, as a list's elements are.
var keyedLists = map[string]bool{"steps": true}

// Essential reports whether the field named key is one the SDK acts on.
func Essential(key string) bool { return idKeys[key] || essentialKeys[key] || verbatimKeys[key] }

// Rewrite rewrites every non-essential field of the JSON document body in
// form f, keeping the order of object keys.
func Rewrite(body []byte, f Form) ([]byte, error) {
	return RewriteEach(body, func(int) Form { return f })
}

// RewriteEach is Rewrite with a form for each value met, in document
// order: pick(i) for the i-th.
func RewriteEach(body []byte, pick func(i int) Form) ([]byte, error) {
	r := &rewriter{dec: json.NewDecoder(bytes.NewReader(body)), pick: pick}
	r.dec.UseNumber()
	if err := r.value("", false); err != nil {
		return nil, err
	}
	if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("drift: more than one JSON value")
	}
	return r.out.Bytes(), nil
}

type rewriter struct {
	dec  *json.Decoder
	out  bytes.Buffer
	pick func(int) Form
	n    int
}

func (r *rewriter) next() Form {
	f := r.pick(r.n)
	r.n++
	return f
}

// value rewrites the next value, the field key's (or an element of its
// list); keep is set inside a field kept whole.
func (r *rewriter) value(key string, keep bool) error {
	tok, err := r.dec.Token()
	if err != nil {
		return err
	}
	keep = keep || verbatimKeys[key]
	essential := keep || idKeys[key] || essentialKeys[key] || key == ""
	if d, ok := tok.(json.Delim); ok {
		if !essential && r.next() == WrongTypes {
			if err := r.skip(); err != nil {
				return err
			}
			r.out.WriteString(`"drifted"`)
			return nil
		}
		return r.container(d, key, keep)
	}
	if keep {
		return r.scalar(tok)
	}
	if essential {
		if s, ok := tok.(string); ok && idKeys[key] && r.next() == MongoIDs {
			return r.write(map[string]string{"$oid": s})
		}
		return r.scalar(tok)
	}
	return r.drift(key, tok, r.next())
}

func (r *rewriter) container(d json.Delim, key string, keep bool) error {
	if d == '[' {
		r.out.WriteByte('[')
		for i := 0; r.dec.More(); i++ {
			if i > 0 {
				r.out.WriteByte(',')
			}
			if err := r.value(key, keep); err != nil {
				return err
			}
		}
		_, err := r.dec.Token()
		r.out.WriteByte(']')
		return err
	}
	r.out.WriteByte('{')
	for i := 0; r.dec.More(); i++ {
		tok, err := r.dec.Token()
		if err != nil {
			return err
		}
		k, _ := tok.(string)
		if i > 0 {
			r.out.WriteByte(',')
		}
		if err := r.write(k); err != nil {
			return err
		}
		r.out.WriteByte(':')
		field := k
		if keyedLists[key] {
			field = key // an item of a keyed list
		}
		if err := r.value(field, keep); err != nil {
			return err
		}
	}
	_, err := r.dec.Token()
	r.out.WriteByte('}')
	return err
}

// skip consumes the rest of a container whose opening was read.
func (r *rewriter) skip() error {
	for depth := 1; depth > 0; {
		tok, err := r.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func (r *rewriter) scalar(tok json.Token) error { return r.write(tok) }

func (r *rewriter) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	r.out.Write(b)
	return nil
}

// drift writes the scalar tok of the non-essential field key in form f.
func (r *rewriter) drift(key string, tok json.Token, f Form) error {
	switch v := tok.(type) {
	case bool:
		switch f {
		case PythonBools:
			return r.write(map[bool]string{true: "True", false: "False"}[v])
		case DigitBools:
			return r.write(map[bool]int{true: 1, false: 0}[v])
		case StringBools:
			return r.write(map[bool]string{true: "1", false: "0"}[v])
		case Nulls:
			return r.write(nil)
		case WrongTypes:
			return r.write([]any{})
		}
	case json.Number:
		switch f {
		case NumberStrings:
			return r.write(string(v))
		case Nulls:
			return r.write(nil)
		case WrongTypes:
			return r.write(map[string]any{"drifted": v})
		}
	case string:
		if t, ok := parseTime(v); ok {
			switch f {
			case ZonelessTimes:
				return r.write(t.Format("2006-01-02T15:04:05.000000"))
			case SpaceTimes:
				return r.write(t.Format("2006-01-02 15:04:05.000000"))
			case EpochSeconds:
				return r.write(strconv.FormatInt(t.Unix(), 10))
			case EpochMillis:
				return r.write(t.UnixMilli())
			case MongoDates:
				return r.write(map[string]int64{"$date": t.UnixMilli()})
			}
		}
		switch {
		case f == MongoIDs && isIDKey(key):
			return r.write(map[string]string{"$oid": v})
		case f == Nulls:
			return r.write(nil)
		case f == WrongTypes:
			return r.write(true)
		}
	}
	return r.write(tok)
}

// isIDKey reports whether a non-essential field names another object by
// its ID (a group, a user, a data source).
func isIDKey(key string) bool {
	return strings.HasSuffix(key, "_id") || key == "created_by" || key == "updated_by" || key == "user" || key == "account"
}

// timeLayouts are the time forms a fixture may hold.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00"}

func parseTime(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05") {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
