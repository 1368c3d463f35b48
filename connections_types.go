package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/url"

	"github.com/rivery-go/rivery/internal/wire"
)

// ConnectionType is one connection type with the fields a connection of
// it has: what GET /v1/connections_types/{type} answers. The properties'
// shape is only partly known (id, type, ui_type, display_name are seen);
// Raw keeps the answer.
type ConnectionType struct {
	Type                  string // connection_type: the slug, e.g. "postgres"
	Name                  string // connection_type_name: the display name
	HasKeyFile            bool   // a connection of it takes an uploaded file (UploadKeyFile)
	AllowedFileExtensions []string
	Properties            []ConnectionTypeProperty
	Raw                   json.RawMessage
}

// ConnectionTypeProperty is a field of a connection type: a key of
// ConnectionRequest.Settings.
type ConnectionTypeProperty struct {
	ID          string // the field's key
	Type        string
	UIType      string // ui_type
	DisplayName string
	Required    bool // when the answer says so
}

// UnmarshalJSON reads a connection type, unwrapping "fields" as the
// catalog's items come.
func (t *ConnectionType) UnmarshalJSON(b []byte) error {
	var w wire.ConnectionType
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Fields.V != nil {
		w = *w.Fields.V
	}
	*t = ConnectionType{
		Type:       string(w.ConnectionType),
		Name:       string(w.ConnectionTypeName),
		HasKeyFile: bool(w.HasKeyFile),
		Raw:        append(json.RawMessage(nil), b...),
	}
	for _, e := range w.AllowedFileExtensions.V {
		t.AllowedFileExtensions = append(t.AllowedFileExtensions, string(e))
	}
	for _, raw := range w.Properties.V {
		var p wire.Lax[wire.ConnectionTypeProperty]
		_ = p.UnmarshalJSON(raw)
		t.Properties = append(t.Properties, ConnectionTypeProperty{
			ID: firstNonEmpty(string(p.V.ID), string(p.V.Name)), Type: string(p.V.Type), UIType: string(p.V.UIType),
			DisplayName: string(p.V.DisplayName), Required: bool(p.V.Required),
		})
	}
	return nil
}

// String describes the type without Raw.
func (t ConnectionType) String() string {
	return fmt.Sprintf("ConnectionType{Type:%s Name:%q Properties:%d}", t.Type, t.Name, len(t.Properties))
}

// GoString is String prefixed with the package name, for %#v.
func (t ConnectionType) GoString() string { return "rivery." + t.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (t ConnectionType) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t) }

// LogValue logs the typed fields, never Raw.
func (t ConnectionType) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", t.Type), slog.String("name", t.Name))
}

// MarshalJSON writes Raw with credential-named keys redacted (a property's
// default value could be one), or, without Raw, the typed fields.
func (t ConnectionType) MarshalJSON() ([]byte, error) {
	if len(t.Raw) > 0 {
		return redactJSON(t.Raw), nil
	}
	return json.Marshal(map[string]any{"connection_type": t.Type, "connection_type_name": t.Name})
}

// ConnectionType returns one connection type and its fields:
// GET /v1/connections_types/{connectionType} (no account or environment in
// the path).
func (s *ConnectionsService) ConnectionType(ctx context.Context, connectionType string) (*ConnectionType, *Response, error) {
	if err := validateID("connection type", connectionType); err != nil {
		return nil, nil, err
	}
	return getOne[ConnectionType](ctx, s.client, s.client.v1+pathConnTypes+"/"+url.PathEscape(connectionType))
}

// SourceSection is a section of the data source catalog (Storage & Files,
// Marketing, ...) and the IDs of the source types in it (the IDs of
// Connections.SourceTypes).
type SourceSection struct {
	ID            string
	Name          string
	Description   string
	Ordinal       int // its place among the sources' sections
	TargetOrdinal int // its place among the targets'; 0 when it has none
	SourceTypes   []string
}

// UnmarshalJSON reads an item of GET /v1/data_source_sections.
func (s *SourceSection) UnmarshalJSON(b []byte) error {
	var w wire.SourceSection
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = SourceSection{}
	if sec := w.Section.V; sec != nil {
		s.ID, s.Name, s.Description = string(sec.ID), string(sec.Name), string(sec.Description)
		s.Ordinal, s.TargetOrdinal = int(sec.Ordinal), int(sec.TargetOrdinal)
	}
	for _, id := range w.SourceTypes.V {
		s.SourceTypes = append(s.SourceTypes, string(id))
	}
	return nil
}

// SourceSectionsOptions filters and pages Connections.SourceSections.
type SourceSectionsOptions struct {
	ListOptions
	Segment string `url:"segment,omitempty"` // "source" or "target"
}

func (o *SourceSectionsOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// SourceSections iterates over the sections of the data source catalog,
// page after page: GET /v1/data_source_sections[?segment=].
func (s *ConnectionsService) SourceSections(ctx context.Context, opts *SourceSectionsOptions) iter.Seq2[*SourceSection, error] {
	return fixedPages(ctx, s.client, opts, s.client.v1+pathSourceSections, pageFetcher[*SourceSection](s.client))
}

// pathSourceSections names no account or environment.
const pathSourceSections = "/v1/data_source_sections"
