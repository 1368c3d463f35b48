package riverytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// NewServerAt starts a fake Rivery listening on addr ("host:port"; port 0
// picks a free one), for programs that serve it outside a Go test, such
// as `rivery fake`. Its URL names a loopback host when addr's host is
// unspecified ("", 0.0.0.0, ::), since the SDK sends plain http only to
// loopback hosts. Close it when done.
func NewServerAt(addr string, opts ...Option) (*Server, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("riverytest: %w", err)
	}
	s := newServer(opts)
	hs := httptest.NewUnstartedServer(s.routes())
	_ = hs.Listener.Close()
	hs.Listener = l
	hs.Start()
	s.srv = hs
	s.URL = hs.URL
	if tcp, ok := l.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		s.URL = "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return s, nil
}

// WithAdminToken sets the value of the admin token (see AdminToken), so a
// script can know it before the server starts. Empty means generated.
func WithAdminToken(value string) Option {
	return func(s *Server) {
		delete(s.tokens, s.admin)
		s.admin = s.addToken(Token{Name: "admin", Admin: true, Value: value}).Value
	}
}

// maxRiversFile bounds what ReadRivers reads.
const maxRiversFile = 8 << 20

// ReadRivers decodes rivers to seed (with WithRiver) from a JSON array of
// objects whose keys are River's fields in snake case: "id", "name",
// "type", "group_id", "group_name", "description", "disabled", "outcome",
// "message", "polls", "duration" (a Go duration such as "90s"),
// "operation_error", "sub_rivers" (an array of objects with "id", "name",
// "outcome" and "message"), "no_runs", "skip_while_running",
// "cancel_as_failed", "omit_pending_status" and "schedule". Absent keys
// take River's defaults. IDs must be plain IDs (as the SDK sends them).
// Unknown keys, values of the wrong kind, repeated IDs and input over
// 8 MiB are errors that name the river (by its place in the array), the
// key and what it wants.
func ReadRivers(r io.Reader) ([]River, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRiversFile+1))
	if err != nil {
		return nil, fmt.Errorf("riverytest: reading rivers: %w", err)
	}
	if len(data) > maxRiversFile {
		return nil, errors.New("riverytest: rivers file is over 8 MiB")
	}
	var in []json.RawMessage
	if err := decodeOne(data, &in); err != nil {
		return nil, fmt.Errorf("riverytest: rivers file: %w", jsonProblem(data, err, "a JSON array of river objects"))
	}
	out := make([]River, len(in))
	seen := map[string]bool{}
	for i, raw := range in {
		if err := readRiver(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("riverytest: rivers file: river %d%s: %w", i, named(out[i].Name), err)
		}
		if id := out[i].ID; id != "" && seen[id] {
			return nil, fmt.Errorf("riverytest: rivers file: river %d%s repeats ID %q", i, named(out[i].Name), id)
		}
		seen[out[i].ID] = true
	}
	return out, nil
}

// decodeOne decodes data, which must hold one JSON value, into v.
func decodeOne(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the array")
	}
	return nil
}

// jsonProblem says what is wrong with data in words, without the Go types
// encoding/json names: where the syntax breaks, or what was wanted.
func jsonProblem(data []byte, err error, want string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %s", line, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		return fmt.Errorf("want %s, got %s", want, jsonKind(typ.Value))
	case errors.Is(err, io.EOF):
		return fmt.Errorf("empty: want %s", want)
	case errors.Is(err, io.ErrUnexpectedEOF):
		last := 1 + bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n"))
		return fmt.Errorf("the JSON ends too soon, after line %d: want %s", last, want)
	}
	return err
}

// jsonKind names a JSON value's kind ("string", "number 1.5", ...) as
// encoding/json reports it.
func jsonKind(v string) string {
	switch v {
	case "object", "array":
		return "an " + v
	case "null":
		return v
	}
	return "a " + v
}

func named(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", name)
}

// riverKnob reads one key of a river object into r.
type riverKnob struct {
	want string // what the value must be, for errors
	set  func(r *River, raw json.RawMessage) error
}

// riverKnobs are the keys of a river object: River's fields in snake case.
var riverKnobs = map[string]riverKnob{
	"id":                  plainIDKnob(func(r *River) *string { return &r.ID }),
	"name":                textKnob(func(r *River) *string { return &r.Name }),
	"type":                textKnob(func(r *River) *string { return &r.Type }),
	"group_id":            textKnob(func(r *River) *string { return &r.GroupID }),
	"group_name":          textKnob(func(r *River) *string { return &r.GroupName }),
	"description":         textKnob(func(r *River) *string { return &r.Description }),
	"disabled":            boolKnob(func(r *River) *bool { return &r.Disabled }),
	"outcome":             textKnob(func(r *River) *string { return &r.Outcome }),
	"message":             textKnob(func(r *River) *string { return &r.Message }),
	"polls":               {"a whole number", func(r *River, raw json.RawMessage) error { return json.Unmarshal(raw, &r.Polls) }},
	"duration":            {`a Go duration such as "90s" or "10m"`, setDuration},
	"operation_error":     textKnob(func(r *River) *string { return &r.OperationError }),
	"sub_rivers":          {`an array of objects with "id" (required), "name", "outcome" and "message"`, setSubRivers},
	"no_runs":             boolKnob(func(r *River) *bool { return &r.NoRuns }),
	"skip_while_running":  boolKnob(func(r *River) *bool { return &r.SkipWhileRunning }),
	"cancel_as_failed":    boolKnob(func(r *River) *bool { return &r.CancelAsFailed }),
	"omit_pending_status": boolKnob(func(r *River) *bool { return &r.OmitPendingStatus }),
	"schedule":            textKnob(func(r *River) *string { return &r.Schedule }),
}

func textKnob(field func(*River) *string) riverKnob {
	return riverKnob{"a string", func(r *River, raw json.RawMessage) error { return json.Unmarshal(raw, field(r)) }}
}

func boolKnob(field func(*River) *bool) riverKnob {
	return riverKnob{"true or false", func(r *River, raw json.RawMessage) error { return json.Unmarshal(raw, field(r)) }}
}

func plainIDKnob(field func(*River) *string) riverKnob {
	return riverKnob{"a plain ID such as 63b724fc690def001131d242", func(r *River, raw json.RawMessage) error {
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return err
		}
		if !plainID(id) {
			return errBadValue
		}
		*field(r) = id
		return nil
	}}
}

// errBadValue is a value of the right JSON kind that is not what the key
// wants.
var errBadValue = errors.New("bad value")

// plainID reports whether id is an ID the SDK sends as it is (no "/",
// "?", "#", "%" or space, not "." or ".."), so a client can address it.
func plainID(id string) bool {
	u, err := rivery.ParseConsoleURL(id)
	return err == nil && u.RiverID == id
}

func setDuration(r *River, raw json.RawMessage) error {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return errBadValue
	}
	r.Duration = d
	return nil
}

func setSubRivers(r *River, raw json.RawMessage) error {
	var subs []struct {
		ID      *string `json:"id"`
		Name    string  `json:"name"`
		Outcome string  `json:"outcome"`
		Message string  `json:"message"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&subs); err != nil {
		return errBadValue
	}
	r.SubRivers = make([]SubRiver, len(subs))
	for i, s := range subs {
		if s.ID == nil || !plainID(*s.ID) {
			return errBadValue
		}
		r.SubRivers[i] = SubRiver{ID: *s.ID, Name: s.Name, Outcome: s.Outcome, Message: s.Message}
	}
	return nil
}

// readRiver fills r from one river object, key by key in sorted order (so
// the error for a bad file is always the same one).
func readRiver(raw json.RawMessage, r *River) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return fmt.Errorf("want an object, got %s", clipJSON(raw))
	}
	if name, ok := fields["name"]; ok { // first, so errors can name the river
		_ = json.Unmarshal(name, &r.Name)
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		knob, ok := riverKnobs[key]
		if !ok {
			return fmt.Errorf("unknown key %q (the keys are %s)", key, strings.Join(slices.Sorted(maps.Keys(riverKnobs)), ", "))
		}
		if err := knob.set(r, fields[key]); err != nil {
			return fmt.Errorf("key %q: want %s, got %s", key, knob.want, clipJSON(fields[key]))
		}
	}
	return nil
}

// clipJSON is a value as the file has it, cut to a readable length.
func clipJSON(raw json.RawMessage) string {
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
