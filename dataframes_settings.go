package rivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
)

// DataframeSettings say where a dataframe keeps its data when it is not
// in Rivery's own storage: a file zone reached through a connection
// (connection_settings). They name a connection and a bucket, so the SDK
// treats them as secret: printing them with fmt (any verb), slog or
// encoding/json shows "[redacted]", and an error of a call that sent them
// has their values scrubbed. Read the fields themselves to use them.
//
// Boomi's reference shows connection_settings as a string that holds JSON
// (even the fragment "connection_settings": {...}); Rivery's tooling and
// console send and read an object. The SDK reads every form, and sends
// settings it read back in the form they came in; settings built by hand
// go as an object, as Rivery's Terraform provider sends them.
type DataframeSettings struct {
	ConnectionID  string // connection: the file zone connection's ID
	DatasourceID  string // datasource_id: the storage's source type, e.g. "s3"
	StorageType   string // storage_type, e.g. "aws"
	DefaultBucket string // default_bucket: a bucket, or a variable such as "{aws_file_zone}"
	// Extra holds every other key as it came (and a known key whose value
	// was not a string); it is sent back as it is. Settings the SDK cannot
	// read at all (a string that holds no JSON object) are kept whole
	// under the key "", and sent back as they came while no field is set.
	Extra map[string]json.RawMessage

	form settingsForm
}

// settingsForm is how connection_settings came, and go back.
type settingsForm uint8

const (
	settingsObject   settingsForm = iota // {"connection": ...}
	settingsString                       // "{\"connection\": ...}"
	settingsFragment                     // "\"connection_settings\": {\"connection\": ...}"
)

// The known keys of connection_settings, in the order they are sent.
var settingsKeys = []string{"connection", "datasource_id", "storage_type", "default_bucket"}

func (s *DataframeSettings) field(key string) *string {
	switch key {
	case "connection":
		return &s.ConnectionID
	case "datasource_id":
		return &s.DatasourceID
	case "storage_type":
		return &s.StorageType
	case "default_bucket":
		return &s.DefaultBucket
	}
	return nil
}

// parseDataframeSettings reads connection_settings in any of its forms;
// nil for none (absent, null, "" or {}). Settings that cannot be read
// are kept whole in Extra under "" and sent back as they came.
func parseDataframeSettings(raw json.RawMessage) *DataframeSettings {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s := &DataframeSettings{}
	obj := raw
	if raw[0] == '"' {
		var text string
		if json.Unmarshal(raw, &text) != nil {
			return &DataframeSettings{Extra: map[string]json.RawMessage{"": raw}, form: settingsString}
		}
		text = strings.TrimSpace(text)
		switch {
		case text == "":
			return nil
		case strings.HasPrefix(text, "{"):
			obj, s.form = json.RawMessage(text), settingsString
		default:
			var wrapped map[string]json.RawMessage
			if json.Unmarshal([]byte("{"+text+"}"), &wrapped) != nil || len(wrapped["connection_settings"]) == 0 {
				return &DataframeSettings{Extra: map[string]json.RawMessage{"": raw}, form: settingsString}
			}
			obj, s.form = wrapped["connection_settings"], settingsFragment
		}
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(obj, &fields) != nil {
		return &DataframeSettings{Extra: map[string]json.RawMessage{"": raw}, form: settingsString}
	}
	if len(fields) == 0 {
		return nil
	}
	for k, v := range fields {
		var str string
		if f := s.field(k); f != nil && len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &str) == nil {
			*f = str
			continue
		}
		if s.Extra == nil {
			s.Extra = map[string]json.RawMessage{}
		}
		s.Extra[k] = v
	}
	return s
}

// object is the settings as a JSON object: the known keys that are set,
// in order, then Extra's keys, sorted.
func (s *DataframeSettings) object() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	add := func(k string, v []byte) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(v)
	}
	for _, k := range settingsKeys {
		if v := *s.field(k); v != "" {
			vb, _ := json.Marshal(v)
			add(k, vb)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Extra)) {
		if f := s.field(k); k == "" || f != nil && *f != "" {
			continue // unreadable settings, or a key the typed field wrote
		}
		add(k, s.Extra[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// wire is connection_settings as they are sent: in the form they came
// in (an object for settings built by hand).
func (s *DataframeSettings) wire() json.RawMessage {
	if whole, ok := s.Extra[""]; ok && len(s.Extra) == 1 && s.empty() {
		return whole // settings the SDK could not read go back as they came
	}
	obj := s.object()
	switch s.form {
	case settingsString:
		b, _ := json.Marshal(string(obj))
		return b
	case settingsFragment:
		b, _ := json.Marshal(`"connection_settings":` + string(obj))
		return b
	}
	return obj
}

func (s *DataframeSettings) empty() bool {
	return s.ConnectionID == "" && s.DatasourceID == "" && s.StorageType == "" && s.DefaultBucket == ""
}

// values are the settings' values long enough to be worth scrubbing from
// an error.
func (s *DataframeSettings) values() []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, v := range []string{s.ConnectionID, s.DatasourceID, s.StorageType, s.DefaultBucket} {
		if len(v) >= minSettingScrubbed {
			out = append(out, v)
		}
	}
	for _, raw := range s.Extra {
		var str string
		if json.Unmarshal(raw, &str) == nil && len(str) >= minSettingScrubbed {
			out = append(out, str)
		}
	}
	return out
}

// minSettingScrubbed is the shortest setting scrubbed from errors: a
// type name such as "s3" or "aws" is no secret, and replacing it would
// mangle the message.
const minSettingScrubbed = 5

// String prints "DataframeSettings{[redacted]}".
func (s DataframeSettings) String() string { return "DataframeSettings{" + redacted + "}" }

// GoString is String prefixed with the package name, for %#v.
func (s DataframeSettings) GoString() string { return "rivery." + s.String() }

// Format prints String for every verb (GoString for %#v).
func (s DataframeSettings) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s) }

// LogValue logs "[redacted]".
func (s DataframeSettings) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON writes "[redacted]": the settings are sent to the API
// through the SDK's own encoding, never this one.
func (s DataframeSettings) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
