package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// Identity is GET /api/me in full: the token's account and environment, and
// what the answer says about them and the token's user when it says it.
type Identity struct {
	AccountID       ID   `json:"account_id"`
	AccountName     Text `json:"account_name"`
	EnvironmentID   ID   `json:"environment_id"`
	EnvironmentName Text `json:"environment_name"`
	UserID          Text `json:"user_id"`
	UserName        Text `json:"user_name"`
	Email           Text `json:"email"`
	UserEmail       Text `json:"user_email"`
}

// ConsoleRiver is an item of the console's GET /api/rivers, and the one
// item of GET /api/rivers/{id}: the river's fields nest under
// river_definitions.
type ConsoleRiver struct {
	River                        // flat fields, as older answers and the v1 list give them
	ObjectID    ID               `json:"_id"`
	Definitions RiverDefinitions `json:"river_definitions"` // zero when absent or unreadable
}

// laxConsoleRiver is ConsoleRiver with river_definitions read leniently.
// An answer is read as ConsoleRiver first, in one pass: a Lax field of a
// list of hundreds of rivers would read each river's block twice. Only an
// answer that does not decode (river_definitions that is not an object)
// is read again this way.
type laxConsoleRiver struct {
	River
	ObjectID    ID                    `json:"_id"`
	Definitions Lax[RiverDefinitions] `json:"river_definitions"`
}

func (l *laxConsoleRiver) river() ConsoleRiver {
	return ConsoleRiver{River: l.River, ObjectID: l.ObjectID, Definitions: l.Definitions.V}
}

// decodeRivers reads b, an array of rivers or one river object, into
// values; if that fails, again with river_definitions read leniently, and
// the first error stands when that fails too.
func decodeRivers(b []byte) ([]ConsoleRiver, error) {
	list, err := listOrOne[ConsoleRiver](b)
	if err == nil {
		return list, nil
	}
	lax, laxErr := listOrOne[laxConsoleRiver](b)
	if laxErr != nil {
		return nil, err
	}
	list = make([]ConsoleRiver, len(lax))
	for i := range lax {
		list[i] = lax[i].river()
	}
	return list, nil
}

// listOrOne reads b, a JSON array of T or one T.
func listOrOne[T any](b []byte) ([]T, error) {
	var list []T
	if b[0] == '[' {
		err := json.Unmarshal(b, &list)
		return list, err
	}
	list = make([]T, 1)
	err := json.Unmarshal(b, &list[0])
	return list, err
}

// RiverDefinitions is a console river's river_definitions block.
type RiverDefinitions struct {
	Name          Text     `json:"river_name"`
	Status        Text     `json:"river_status"`
	TypeID        Text     `json:"river_type_id"`
	TypeTitle     Text     `json:"river_type_title"`
	Description   Text     `json:"river_desc"`
	Group         NamedRef `json:"group_id"`
	IsScheduled   Bool     `json:"is_scheduled"`
	ScheduledTime Text     `json:"scheduled_time"`
	Created       Time     `json:"river_time_created"`
	Modified      Time     `json:"river_modified_date"`
	Inserted      Time     `json:"river_date_inserted"` // the console grid's names
	Updated       Time     `json:"river_date_updated"`
	UpdatedBy     Text     `json:"updated_by_name"`
	Source        NamedRef `json:"source"` // zero when null
	Target        NamedRef `json:"target"`
	IsMasterRiver Bool     `json:"is_master_river"`
	SubRivers     Bool     `json:"subrivers_enabled"`
	IsAPIV2       Bool     `json:"is_api_v2"`
}

// NamedRef is {"_id", "name"} (a group) or {"name"} (a source or target).
type NamedRef struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// UnmarshalJSON also reads a bare string (or {"$oid"}) as the ID, the
// shape older answers give group_id. A flat object of strings without
// escapes (what the API sends) is read without a second pass of
// encoding/json. It never fails: an unreadable reference is empty.
func (n *NamedRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		s, _ := unquote(b)
		*n = NamedRef{ID: s}
		return nil
	}
	if v, ok := flatNamedRef(b); ok && v != (NamedRef{}) {
		*n = v
		return nil
	}
	if oid, ok := mongoID(b); ok { // {"$oid": "..."}: an ID alone
		*n = NamedRef{ID: oid}
		return nil
	}
	*n = NamedRef{}
	var v struct {
		ID   Text `json:"_id"`
		Name Text `json:"name"`
	}
	if json.Unmarshal(b, &v) == nil {
		*n = NamedRef{ID: string(v.ID), Name: string(v.Name)}
	}
	return nil
}

// flatNamedRef reads {"_id": "...", "name": "..."} (other keys ignored)
// when every value is a string without escapes; false for anything else.
func flatNamedRef(b []byte) (NamedRef, bool) {
	var n NamedRef
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' || bytes.IndexByte(b, '\\') >= 0 {
		return n, false
	}
	i := skipSpace(b, 1)
	if b[i] == '}' {
		return n, i == len(b)-1
	}
	for {
		key, next, ok := flatString(b, i)
		if !ok {
			return n, false
		}
		i = skipSpace(b, next)
		if b[i] != ':' {
			return n, false
		}
		val, next, ok := flatString(b, skipSpace(b, i+1))
		if !ok {
			return n, false
		}
		switch { // encoding/json matches keys without regard to case
		case bytes.EqualFold(key, []byte("_id")):
			n.ID = string(val)
		case bytes.EqualFold(key, []byte("name")):
			n.Name = string(val)
		}
		i = skipSpace(b, next)
		switch {
		case b[i] == ',':
			i = skipSpace(b, i+1)
		case b[i] == '}' && i == len(b)-1:
			return n, true
		default:
			return n, false
		}
	}
}

// flatString returns the contents of the JSON string at b[i] (which has no
// escapes) and the index after it.
func flatString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	end := bytes.IndexByte(b[i+1:], '"')
	if end < 0 {
		return nil, i, false
	}
	s = b[i+1 : i+1+end]
	for _, c := range s {
		if c < 0x20 { // not valid inside a JSON string
			return nil, i, false
		}
	}
	if !utf8.Valid(s) {
		return nil, i, false // encoding/json replaces invalid UTF-8: let it
	}
	return s, i + end + 2, true
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space (len(b)-1 at most, so b[i] is always valid).
func skipSpace(b []byte, i int) int {
	for i < len(b)-1 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// ConsoleRiverList is GET /api/rivers: an array of rivers, or (as the
// legacy reference shows it) one river object. null leaves it empty.
type ConsoleRiverList []ConsoleRiver

// UnmarshalJSON accepts an array of rivers or one river object.
func (c *ConsoleRiverList) UnmarshalJSON(b []byte) error {
	list, err := readRivers(b)
	*c = list
	return err
}

// DecodeWhole reads b, a whole answer, as UnmarshalJSON does; the SDK's
// request pipeline calls it with the body it read, which spares
// encoding/json's two scans of a long list before UnmarshalJSON.
func (c *ConsoleRiverList) DecodeWhole(b []byte) error { return c.UnmarshalJSON(b) }

// ConsoleRivers is GET /api/rivers/{id}: a one-element array, or (accepted
// too) the object itself. An empty array or null leaves it empty.
type ConsoleRivers []*ConsoleRiver

// errNotRiver is returned for an answer that is neither an array nor an
// object.
var errNotRiver = errors.New("want a river object or an array of them")

// UnmarshalJSON accepts an array of rivers or one river object.
func (c *ConsoleRivers) UnmarshalJSON(b []byte) error {
	list, err := readRivers(b)
	if err != nil {
		return err
	}
	*c = pointersTo(list)
	return nil
}

// readRivers reads an answer of rivers: an array, one river object, or
// null (none).
func readRivers(b []byte) ([]ConsoleRiver, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && (b[0] == '[' || b[0] == '{'):
		return decodeRivers(b)
	case string(b) == "null":
		return nil, nil
	}
	return nil, errNotRiver
}

// pointersTo returns a pointer to each of items, nil for one that names
// no river (a null in the list).
func pointersTo(items []ConsoleRiver) ConsoleRivers {
	if items == nil {
		return nil
	}
	out := make(ConsoleRivers, len(items))
	for i := range items {
		if items[i].Keyed() || items[i].ObjectID != "" || items[i].Definitions.Name != "" {
			out[i] = &items[i]
		}
	}
	return out
}

// CancelRunGroup is the body of the v1 cancel of a whole run group.
type CancelRunGroup struct {
	RunGroupID string `json:"run_group_id"`
}
