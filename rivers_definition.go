package rivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"sort"

	"github.com/rivery-go/rivery/internal/wire"
)

// RiverDefinition is a river's full definition: what GET E/rivers/{id}
// answers and POST/PUT E/rivers take. Its shape depends on the river's type
// (source_to_target, logic, ...), so it is kept as the server sent it, field
// by field, and written back the same way; the accessors read and set the
// fields every type has. The zero value is an empty definition.
type RiverDefinition struct {
	fields map[string]json.RawMessage
}

// ParseRiverDefinition reads a definition from JSON: a river's definition
// as exported, or as GET E/rivers/{id} returns it.
func ParseRiverDefinition(data []byte) (*RiverDefinition, error) {
	d := new(RiverDefinition)
	if err := json.Unmarshal(data, d); err != nil {
		return nil, fmt.Errorf("%w: river definition: %w", ErrInvalidArgument, err)
	}
	return d, nil
}

// UnmarshalJSON reads a JSON object.
func (d *RiverDefinition) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	if fields == nil {
		return fmt.Errorf("a river definition is a JSON object, not %s", truncate(string(data)))
	}
	d.fields = fields
	return nil
}

// MarshalJSON writes the definition as a JSON object, keys sorted.
func (d RiverDefinition) MarshalJSON() ([]byte, error) {
	if d.fields == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(d.fields)
}

// Clone returns a deep copy.
func (d *RiverDefinition) Clone() *RiverDefinition {
	c := &RiverDefinition{fields: make(map[string]json.RawMessage, len(d.fields))}
	for k, v := range d.fields {
		c.fields[k] = append(json.RawMessage(nil), v...)
	}
	return c
}

// Field returns a top-level field as sent, or nil.
func (d *RiverDefinition) Field(name string) json.RawMessage { return d.fields[name] }

// Fields returns the names of the top-level fields, sorted.
func (d *RiverDefinition) Fields() []string {
	names := make([]string, 0, len(d.fields))
	for k := range d.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// SetField sets a top-level field to value encoded as JSON (a
// json.RawMessage is taken as is).
func (d *RiverDefinition) SetField(name string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("%w: field %q: %w", ErrInvalidArgument, name, err)
	}
	if d.fields == nil {
		d.fields = map[string]json.RawMessage{}
	}
	d.fields[name] = b
	return nil
}

// DeleteField removes a top-level field.
func (d *RiverDefinition) DeleteField(name string) { delete(d.fields, name) }

// str reads a string field leniently (a number as its text, an
// {"$oid"} as its ID); "" when it is missing or not text.
func (d *RiverDefinition) str(name string) string { return text(d.fields[name]) }

// text reads raw as wire.Text.
func text(raw json.RawMessage) string {
	var t wire.Text
	_ = json.Unmarshal(raw, &t)
	return string(t)
}

// metadata returns the metadata object's fields (nil when there is none).
func (d *RiverDefinition) metadata() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(d.fields["metadata"], &m)
	return m
}

func (d *RiverDefinition) metaStr(name string) string { return text(d.metadata()[name]) }

// setMeta sets one field of the metadata object, keeping the others.
func (d *RiverDefinition) setMeta(name, value string) {
	m := d.metadata()
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	m[name], _ = json.Marshal(value)
	_ = d.SetField("metadata", m)
}

// ID is the river's ID: cross_id (river_cross_id in lists). Empty for a
// definition not yet created.
func (d *RiverDefinition) ID() string {
	return firstNonEmpty(d.str("cross_id"), d.str("river_cross_id"), d.str("_id"))
}

// Name is the river's name.
func (d *RiverDefinition) Name() string { return d.str("name") }

// SetName renames the river.
func (d *RiverDefinition) SetName(name string) { _ = d.SetField("name", name) }

// Type is the river's type, e.g. "source_to_target" or "logic".
func (d *RiverDefinition) Type() string { return firstNonEmpty(d.str("type"), d.str("river_type")) }

// Kind is the river's kind, e.g. "main_river".
func (d *RiverDefinition) Kind() string { return d.str("kind") }

// GroupID is the ID of the river's group. Groups belong to an
// environment: a definition moved to another one needs that one's group.
func (d *RiverDefinition) GroupID() string { return d.str("group_id") }

// SetGroupID moves the river to another group.
func (d *RiverDefinition) SetGroupID(id string) { _ = d.SetField("group_id", id) }

// Description is metadata.description.
func (d *RiverDefinition) Description() string { return d.metaStr("description") }

// SetDescription sets metadata.description, keeping the rest of metadata.
func (d *RiverDefinition) SetDescription(s string) { d.setMeta("description", s) }

// Status is metadata.river_status: active or disabled.
func (d *RiverDefinition) Status() RiverStatus { return RiverStatus(d.metaStr("river_status")) }

// CurrentVersionID is metadata.current_version_id: the version the river
// is at. Every save (create, update, restore) makes a new one.
func (d *RiverDefinition) CurrentVersionID() string { return d.metaStr("current_version_id") }

// Settings is the settings object, as sent.
func (d *RiverDefinition) Settings() json.RawMessage { return d.fields["settings"] }

// Properties is the properties object (source, target, steps...), as sent:
// its shape depends on the river's type.
func (d *RiverDefinition) Properties() json.RawMessage { return d.fields["properties"] }

// SetProperties replaces the properties object.
func (d *RiverDefinition) SetProperties(p json.RawMessage) error { return d.SetField("properties", p) }

// Schedulers are the river's schedules (the top-level schedulers, or
// properties.schedulers).
func (d *RiverDefinition) Schedulers() []Scheduler {
	raw := d.fields["schedulers"]
	if raw == nil {
		var p map[string]json.RawMessage
		_ = json.Unmarshal(d.fields["properties"], &p)
		raw = p["schedulers"]
	}
	var ws wire.Lax[[]wire.Scheduler]
	_ = json.Unmarshal(raw, &ws)
	var out []Scheduler
	for _, w := range ws.V {
		out = append(out, Scheduler{string(w.CronExpression), bool(w.IsEnabled)})
	}
	return out
}

// Equal reports whether two definitions hold the same JSON.
func (d *RiverDefinition) Equal(other *RiverDefinition) bool {
	a, errA := json.Marshal(d)
	b, errB := json.Marshal(other)
	return errA == nil && errB == nil && bytes.Equal(canonicalJSON(a), canonicalJSON(b))
}

// canonicalJSON re-encodes b with every object's keys sorted, so equal
// values compare equal byte for byte; b itself when it is not JSON.
func canonicalJSON(b []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return b
	}
	out, err := json.Marshal(v)
	if err != nil {
		return b
	}
	return out
}

// identityFields name where a river lives or what the server keeps for it;
// a write never sends them (the path names the river, the client the
// account and environment). Rivery's Terraform provider strips the same.
var identityFields = []string{"cross_id", "river_cross_id", "_id", "id", "title", "account_id", "environment_id", "environment_name", "group_name"}

// bookkeepingFields change on every save, or are state rather than
// definition (river_status changes with Activate and Disable); Portable
// drops them (at the top level and in metadata).
var bookkeepingFields = []string{"river_status", "current_version_id", "created_at", "last_updated_at", "created_by", "last_updated_by", "last_activated", "updated_by_name"}

// forWrite returns the fields to send in a create or a full replace.
func (d *RiverDefinition) forWrite() *RiverDefinition {
	w := &RiverDefinition{fields: maps.Clone(d.fields)}
	for _, k := range identityFields {
		delete(w.fields, k)
	}
	return w
}

// Portable returns a copy without the fields that tie it to one river in
// one environment or change on every save (its IDs, account and
// environment, status, version and timestamps): what to keep in version
// control, compare, and apply to another environment. IDs inside it that name other things of
// the environment (connections, groups) are kept as they are.
func (d *RiverDefinition) Portable() *RiverDefinition {
	p := d.Clone().forWrite()
	for _, k := range bookkeepingFields {
		delete(p.fields, k)
	}
	if m := p.metadata(); m != nil {
		for _, k := range bookkeepingFields {
			delete(m, k)
		}
		_ = p.SetField("metadata", m)
	}
	return p
}

// CopyFrom makes d hold src's definition while keeping what ties d to its
// river (its IDs, account, environment, status, version and timestamps:
// what Portable leaves out). It is how a definition from a file or another
// environment is applied to an existing river inside Update, so the write
// keeps the river's status as it is.
func (d *RiverDefinition) CopyFrom(src *RiverDefinition) {
	keep := d.Clone()
	*d = *src.Portable()
	if d.fields == nil {
		d.fields = map[string]json.RawMessage{}
	}
	for _, k := range append(append([]string(nil), identityFields...), bookkeepingFields...) {
		if v, ok := keep.fields[k]; ok {
			d.fields[k] = v
		}
	}
	if km := keep.metadata(); km != nil {
		m := d.metadata()
		if m == nil {
			m = map[string]json.RawMessage{}
		}
		for _, k := range bookkeepingFields {
			if v, ok := km[k]; ok {
				m[k] = v
			}
		}
		_ = d.SetField("metadata", m)
	}
}
