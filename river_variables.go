package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"sort"

	"github.com/rivery-go/rivery/internal/wire"
)

// riverVariablesPerPage is the page size GetAll and Set ask for; the live
// API's default is 20, and a server that sends fewer is followed page by
// page all the same.
const riverVariablesPerPage = maxPerPage

// RiverVariablesService manages a river's variables. Get it from
// Client.RiverVariables. Its calls use the v1 API.
//
// The API pages a river's variables (20 at a time by default) but its PUT
// replaces the whole set: a set built from one page silently deletes the
// rest. Set reads every page, merges, and sends the full set; Replace sends
// exactly the set it is given.
type RiverVariablesService service

// RiverVariable is one variable of a river: {"name", "value", "settings"}.
// Fields the SDK does not know are kept from what was read and sent back
// unchanged.
type RiverVariable struct {
	Name string
	// Value is a string, or a []string for a multi-value variable (a
	// value read as another JSON shape is kept as its json.RawMessage, and
	// null as nil). An encrypted variable reads back as its ciphertext;
	// sending that back unchanged keeps the value.
	Value any
	// Settings nil means: keep the current settings (Set), or none for a
	// new variable (every flag false). The API requires settings on every
	// item, so the SDK always sends them: the flags the variable was read
	// with (changed as Settings says) and any flag set true, nothing else.
	Settings *RiverVariableSettings

	raw map[string]json.RawMessage // the item as read
}

// RiverVariableSettings are a river variable's flags. The API resets a flag
// that is left out to its default (false), so a flag is sent only when it
// is true or the variable was read with it: a Replace sends exactly the
// settings the caller set.
type RiverVariableSettings struct {
	ClearValueOnStart bool `json:"clear_value_on_start"`
	IsMultiValue      bool `json:"is_multi_value"`
	// IsEncrypted is the API's is_private: the value is stored encrypted
	// and reads back as ciphertext. The SDK reads and writes it as
	// is_private (the API drops an is_encrypted key; one read is kept in
	// step all the same); the json tag is kept as 0.2.2 had it.
	IsEncrypted bool `json:"is_encrypted"`
}

// riverVariableFlags is how the settings flags are read: each in any form
// a flag comes in (see the package doc).
type riverVariableFlags struct {
	ClearValueOnStart wire.Bool `json:"clear_value_on_start"`
	IsMultiValue      wire.Bool `json:"is_multi_value"`
	IsPrivate         wire.Bool `json:"is_private"`
	IsEncrypted       wire.Bool `json:"is_encrypted"`
}

// UnmarshalJSON reads an item and keeps its unknown fields. Its name must
// be a string; a value or settings of an unexpected shape do not fail it
// (see Value and Settings).
func (v *RiverVariable) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*v = RiverVariable{raw: raw}
	if n, ok := raw["name"]; ok {
		if err := json.Unmarshal(n, &v.Name); err != nil {
			return fmt.Errorf("river variable name: %w", err)
		}
	}
	v.Value = variableValue(raw["value"])
	if st := bytes.TrimSpace(raw["settings"]); len(st) > 0 && st[0] == '{' {
		var f riverVariableFlags
		if json.Unmarshal(st, &f) == nil {
			v.Settings = &RiverVariableSettings{
				ClearValueOnStart: bool(f.ClearValueOnStart),
				IsMultiValue:      bool(f.IsMultiValue),
				IsEncrypted:       bool(f.IsPrivate || f.IsEncrypted),
			}
		}
	}
	return nil
}

// variableValue reads a river variable's value: a string, a list of
// strings (entries that are not strings as their JSON text), null or
// missing as nil, anything else as it came.
func variableValue(raw json.RawMessage) any {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			out := make([]string, len(items))
			for i, it := range items {
				if json.Unmarshal(it, &out[i]) != nil {
					out[i] = string(it)
				}
			}
			return out
		}
	}
	return append(json.RawMessage(nil), raw...)
}

// MarshalJSON writes the item as read, with Name, Value and Settings as
// they are now. Its settings are those it was read with (unknown keys
// kept), each flag it was read with set as Settings says, and any other
// flag Settings sets true; {} for a new variable without Settings.
func (v RiverVariable) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, len(v.raw)+3)
	for k, r := range v.raw {
		out[k] = r
	}
	out["name"] = v.Name
	out["value"] = v.Value
	_, hasSettings := v.raw["settings"]
	if v.Settings != nil || !hasSettings {
		out["settings"] = v.settingsJSON()
	}
	return json.Marshal(out)
}

// settingsJSON is the settings object MarshalJSON writes.
func (v *RiverVariable) settingsJSON() map[string]any {
	settings := map[string]any{}
	var old map[string]json.RawMessage
	if r, ok := v.raw["settings"]; ok && json.Unmarshal(r, &old) == nil {
		for k, e := range old {
			settings[k] = e
		}
	}
	st := v.Settings
	if st == nil {
		return settings
	}
	set := func(key string, on bool) {
		if _, read := old[key]; read || on {
			settings[key] = on
		}
	}
	set("clear_value_on_start", st.ClearValueOnStart)
	set("is_multi_value", st.IsMultiValue)
	if _, read := old["is_encrypted"]; read { // a flag read as is_encrypted stays so
		settings["is_encrypted"] = st.IsEncrypted
		if _, both := old["is_private"]; both {
			settings["is_private"] = st.IsEncrypted
		}
	} else {
		set("is_private", st.IsEncrypted)
	}
	return settings
}

// List returns one page of a river's variables: GET E/rivers/{id}/variables.
// One page is not the whole set: use All or GetAll before changing them.
func (s *RiverVariablesService) List(ctx context.Context, riverID string, opts *ListOptions) ([]*RiverVariable, *Response, error) {
	return riverPage[*RiverVariable](ctx, s.client, riverID, "variables", opts)
}

// All iterates over every variable of a river, page after page
// (GET E/rivers/{id}/variables, then each next_page).
func (s *RiverVariablesService) All(ctx context.Context, riverID string, opts *ListOptions) iter.Seq2[*RiverVariable, error] {
	return riverPages[*RiverVariable](ctx, s.client, riverID, "variables", opts)
}

// GetAll returns every variable of a river, reading every page of
// GET E/rivers/{id}/variables (as many at once as the server allows). It
// fails if a name comes twice, as when the set changes during the read.
// The items are trusted over total_items, which the API does not keep in
// step with them.
func (s *RiverVariablesService) GetAll(ctx context.Context, riverID string) ([]*RiverVariable, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.getAll(ctx, sc, riverID)
}

func (s *RiverVariablesService) getAll(ctx context.Context, sc scope, riverID string) ([]*RiverVariable, error) {
	var vars []*RiverVariable
	seen := map[string]bool{}
	first := s.client.riverURL(sc, riverID, "variables")
	for v, err := range allPages(ctx, s.client, first, &ListOptions{PerPage: riverVariablesPerPage}, pageFetcher[*RiverVariable](s.client)) {
		if err != nil {
			return nil, err
		}
		if seen[v.Name] {
			return nil, fmt.Errorf("%w: river %s's variable %q came twice while reading its pages: the set changed during the read", ErrConcurrentChange, riverID, v.Name)
		}
		seen[v.Name] = true
		vars = append(vars, v)
	}
	return vars, nil
}

// ErrConcurrentChange is returned, wrapped, when what Set or Update read
// changed before it could write: nothing was written. Read again and
// retry. It matches ErrConflict too.
var ErrConcurrentChange = fmt.Errorf("%w: changed concurrently", ErrConflict)

// Set adds or updates the given variables of a river and keeps every other
// one: it reads every page (GetAll), merges vars in by name (a variable
// whose Settings is nil keeps its current settings), reads every page
// again, and sends the full set with PUT E/rivers/{id}/variables only if
// the second read matches the first. Otherwise it returns an error matching
// ErrConcurrentChange and writes nothing. A change between that second read
// and the PUT cannot be seen: the API offers no version to check.
//
// When the variables already hold what vars say, Set writes nothing. The
// PUT is never sent twice: if its outcome is unknown, the *RequestError has
// MaybeApplied set. Set returns the set the server answered (or, if it
// answered none, the set sent).
func (s *RiverVariablesService) Set(ctx context.Context, riverID string, vars ...*RiverVariable) ([]*RiverVariable, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	if err := validateRiverVariables(vars); err != nil {
		return nil, err
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("%w: no variables to set", ErrInvalidArgument)
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	current, err := s.getAll(ctx, sc, riverID)
	if err != nil {
		return nil, err
	}
	merged := mergeRiverVariables(current, vars)
	if sameVariables(current, merged) {
		return current, nil // nothing to change: no write
	}
	again, err := s.getAll(ctx, sc, riverID)
	if err != nil {
		return nil, err
	}
	if !sameVariables(current, again) {
		return nil, fmt.Errorf("%w: river %s's variables changed while Set was reading them (%d, then %d): nothing was written; read them again and retry",
			ErrConcurrentChange, riverID, len(current), len(again))
	}
	out, _, err := s.put(ctx, sc, riverID, merged)
	return out, err
}

// Replace makes exactly vars the river's variables, deleting every other
// one: PUT E/rivers/{id}/variables with {"items": vars}. An empty vars
// deletes them all. It is never sent twice: if the outcome is unknown, the
// *RequestError has MaybeApplied set. To change some variables and keep the
// rest, use Set.
func (s *RiverVariablesService) Replace(ctx context.Context, riverID string, vars []*RiverVariable) ([]*RiverVariable, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	if err := validateRiverVariables(vars); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.put(ctx, sc, riverID, vars)
}

func (s *RiverVariablesService) put(ctx context.Context, sc scope, riverID string, vars []*RiverVariable) ([]*RiverVariable, *Response, error) {
	if vars == nil {
		vars = []*RiverVariable{}
	}
	var out wire.RiverVariables[*RiverVariable]
	resp, err := s.client.do(ctx, call{method: http.MethodPut, url: s.client.riverURL(sc, riverID, "variables"),
		body: wire.RiverVariables[*RiverVariable]{Items: vars}, out: &out, limit: limitPage, write: true})
	if err != nil {
		return nil, resp, err
	}
	if out.Items == nil {
		return vars, resp, nil
	}
	return out.Items, resp, nil
}

func validateRiverVariables(vars []*RiverVariable) error {
	seen := make(map[string]bool, len(vars))
	for i, v := range vars {
		if v == nil {
			return fmt.Errorf("%w: river variable %d is nil", ErrInvalidArgument, i)
		}
		if err := validateVariableName(v.Name); err != nil {
			return err
		}
		if seen[v.Name] {
			return fmt.Errorf("%w: river variable %q given twice", ErrInvalidArgument, v.Name)
		}
		seen[v.Name] = true
	}
	return nil
}

// mergeRiverVariables returns current with each of changes in place of the
// variable of its name (keeping that one's unknown fields, and its
// settings when the change has none), and the new ones after, in the order
// given.
func mergeRiverVariables(current, changes []*RiverVariable) []*RiverVariable {
	byName := make(map[string]*RiverVariable, len(changes))
	for _, c := range changes {
		byName[c.Name] = c
	}
	out := make([]*RiverVariable, 0, len(current)+len(changes))
	for _, cur := range current {
		c, ok := byName[cur.Name]
		if !ok {
			out = append(out, cur)
			continue
		}
		delete(byName, cur.Name)
		m := *cur
		m.Value = c.Value
		if c.Settings != nil {
			st := *c.Settings
			m.Settings = &st
		}
		out = append(out, &m)
	}
	for _, c := range changes {
		if _, ok := byName[c.Name]; ok {
			m := *c
			out = append(out, &m)
		}
	}
	return out
}

// sameVariables reports whether two reads hold the same variables with the
// same contents, in any order.
func sameVariables(a, b []*RiverVariable) bool {
	if len(a) != len(b) {
		return false
	}
	enc := func(vs []*RiverVariable) ([]byte, error) {
		sorted := append([]*RiverVariable(nil), vs...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
		return json.Marshal(sorted)
	}
	ea, errA := enc(a)
	eb, errB := enc(b)
	return errors.Join(errA, errB) == nil && bytes.Equal(ea, eb)
}
