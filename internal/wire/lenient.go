package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The tolerant reader. A field the SDK acts on (an ID, a status, paging,
// a trigger's runs, an error body) is read strictly: ID and Link below,
// plain strings for statuses, and a wrong one fails the call with a clear
// error. Every other field is read with a lenient type (Bool, Text,
// Number, Count, Time, When, Millis, Lax, Scopes), which reads any
// plausible form and makes anything else its zero value: an optional
// field never fails a call. The forms each type reads are the ones
// Boomi's reference, its tooling and the console's fixtures show.

// Bool is a flag read from true/false, "True"/"False" (any case),
// "1"/"0", "yes"/"no", a number (non-zero is true), or null. Anything else
// is false.
type Bool bool

// UnmarshalJSON never fails; see Bool.
func (v *Bool) UnmarshalJSON(b []byte) error {
	*v = Bool(readBool(b))
	return nil
}

func readBool(b []byte) bool {
	switch string(b) {
	case "true":
		return true
	case "false", "null":
		return false
	}
	s := string(bytes.Trim(b, `"`))
	if len(b) > 0 && b[0] == '"' {
		var str string
		if json.Unmarshal(b, &str) != nil {
			return false
		}
		s = str
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "on":
		return true
	case "", "false", "f", "no", "n", "off", "none", "null":
		return false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && f != 0 && !math.IsNaN(f)
}

// Text is a string that is not an ID the SDK acts on: a name, a
// description, a message. A JSON string is itself; a number is its text;
// {"$oid": "..."} is the ID it holds; null, a boolean, a list or another
// object is "".
type Text string

// UnmarshalJSON never fails; see Text.
func (t *Text) UnmarshalJSON(b []byte) error {
	s, _ := readText(b)
	*t = Text(s)
	return nil
}

// readText reads b as Text; ok is false for a value that is not text
// (a boolean, a list, an object other than $oid).
func readText(b []byte) (s string, ok bool) {
	if len(b) == 0 {
		return "", false
	}
	switch c := b[0]; {
	case c == '"':
		return unquote(b)
	case c == 'n':
		return "", true // null
	case c == '-' || c >= '0' && c <= '9':
		return string(b), true
	case c == '{':
		return mongoID(b)
	}
	return "", false
}

// unquote returns the contents of a JSON string, without a second pass of
// encoding/json for the usual string with no escapes.
func unquote(b []byte) (string, bool) {
	if len(b) >= 2 && b[len(b)-1] == '"' {
		inner := b[1 : len(b)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			return string(inner), true
		}
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// mongoID reads {"$oid": "..."}, Mongo's extended JSON for an ID.
func mongoID(b []byte) (string, bool) {
	var v struct {
		OID *string `json:"$oid"`
	}
	if json.Unmarshal(b, &v) != nil || v.OID == nil {
		return "", false
	}
	return *v.OID, true
}

// ID is an ID the SDK acts on (a run's, a river's, a page item's). It is
// read from a JSON string, {"$oid": "..."} or a number (its text); null is
// "". Anything else fails the decode: an answer whose IDs cannot be read
// cannot be used.
type ID string

// errBadID is the error of an ID in a form it cannot be read from.
var errBadID = errors.New(`an ID is a string or {"$oid": "..."}`)

// UnmarshalJSON reads an ID; see ID.
func (id *ID) UnmarshalJSON(b []byte) error {
	s, ok := readText(b)
	if !ok {
		*id = ""
		return idError(b)
	}
	*id = ID(s)
	return nil
}

func idError(b []byte) error {
	const most = 40
	shown := string(b)
	if len(shown) > most {
		shown = strings.ToValidUTF8(shown[:most], "") + "..."
	}
	return errors.New(errBadID.Error() + ", not " + shown)
}

// Link is a page link (next_page, previous_page): an absolute URL, or
// nothing. null, a missing key, "" and white space all say there is no
// such page. Anything but a string or null fails the decode.
type Link string

// UnmarshalJSON reads a link; see Link.
func (l *Link) UnmarshalJSON(b []byte) error {
	*l = ""
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		s, ok := unquote(b)
		if !ok {
			return errors.New("a page link is not a valid JSON string")
		}
		*l = Link(strings.TrimSpace(s))
		return nil
	}
	shown := string(b)
	if len(shown) > 40 {
		shown = strings.ToValidUTF8(shown[:40], "") + "..."
	}
	return errors.New("a page link is a URL or null, not " + shown)
}

// Lax holds a non-essential value of a composite shape (an object, a
// list, a map): when the value does not decode as T (a string where an
// object should be, say), V is the zero T and the decode goes on.
type Lax[T any] struct{ V T }

// UnmarshalJSON never fails; see Lax.
func (l *Lax[T]) UnmarshalJSON(b []byte) error {
	var v T
	if json.Unmarshal(b, &v) != nil {
		var zero T
		v = zero
	}
	l.V = v
	return nil
}

// MarshalJSON writes V.
func (l Lax[T]) MarshalJSON() ([]byte, error) { return json.Marshal(l.V) }

// Scopes are a token's scopes: a list of names, or (as the console lists
// tokens) an object from environment ID to a list of names, read as the
// names in the order first seen, each once. Entries that are not strings
// are left out; anything else is no scopes.
type Scopes []string

// UnmarshalJSON never fails; see Scopes.
func (s *Scopes) UnmarshalJSON(b []byte) error {
	*s = nil
	if names, ok := plainNames(b); ok { // the form tokens carry
		*s = uniqueNames(names)
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(b, &list) == nil {
		*s = appendNames(nil, list)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []string
	for dec.More() {
		if _, err := dec.Token(); err != nil { // the environment ID
			return nil
		}
		var names []json.RawMessage
		if dec.Decode(&names) != nil {
			continue
		}
		out = appendNames(out, names)
	}
	*s = out
	return nil
}

// plainNames reads b, a valid JSON value, when it is an array of strings
// only, with one allocation for the list and one per name: a token page
// holds a list per token, and json.Unmarshal would add its decoder's
// allocations to each (issue #24's guard rail of 1.15x the floor's
// allocations; docs/performance.md). Anything else is not ok and is read
// by the general path, as is an entry split at a comma inside its string
// (its pieces are not whole strings).
func plainNames(b []byte) ([]string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' {
		return nil, false
	}
	rest := bytes.TrimSpace(b[1 : len(b)-1])
	if len(rest) == 0 {
		return nil, true
	}
	names := make([]string, 0, bytes.Count(rest, []byte{','})+1)
	for len(rest) > 0 {
		entry := rest
		if i := bytes.IndexByte(rest, ','); i >= 0 {
			entry, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		entry = bytes.TrimSpace(entry)
		if len(entry) == 0 || entry[0] != '"' {
			return nil, false
		}
		name, ok := unquote(entry)
		if !ok {
			return nil, false
		}
		names = append(names, name)
	}
	return names, true
}

// uniqueNames keeps the names that are not blank, each once, in place;
// none is nil.
func uniqueNames(names []string) []string {
	out := names[:0]
	for _, n := range names {
		if strings.TrimSpace(n) != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// appendNames appends the string entries of list to out, each once.
func appendNames(out []string, list []json.RawMessage) []string {
	for _, r := range list {
		name, ok := unquote(r)
		if !ok || len(r) == 0 || r[0] != '"' || strings.TrimSpace(name) == "" {
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}
