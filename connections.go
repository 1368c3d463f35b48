package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// ConnectionsService reads the environment's connections (stored source
// and target credentials) and the account's catalogs of connection, source
// and target types. Get it from Client.Connections. Its calls use the v1
// API.
type ConnectionsService service

// Connection is a connection as GET E/connections (list) or
// GET E/connections/{id} (detail) returns it.
//
// Raw keeps every field the server sent, credentials included (Rivery
// sends stored secrets back only as flags or encrypted blobs, but a
// connection type may differ). Printing a Connection with fmt (any verb),
// slog or encoding/json shows Raw with the value of every key that names a
// credential (password, secret, token, key, ...) replaced by "[redacted]";
// read Raw itself to get the values.
type Connection struct {
	ID        string    // cross_id (or _id)
	Name      string    // connection_name
	Type      string    // the machine slug, e.g. "postgres": connection_type_id in lists, connection_type in details
	TypeName  string    // the display name: connection_type in lists, connection_type_name in details
	UpdatedAt time.Time // connection_update_time; zero when not sent
	Raw       json.RawMessage
}

// UnmarshalJSON reads either shape of a connection.
func (c *Connection) UnmarshalJSON(b []byte) error {
	var w wire.Connection
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Connection{
		ID:        firstNonEmpty(string(w.CrossID), string(w.ObjectID), string(w.ID), string(w.ConnectionID)),
		Name:      string(w.Name),
		Type:      string(w.Type),
		TypeName:  string(w.TypeName),
		UpdatedAt: w.UpdateTime.Time,
		Raw:       append(json.RawMessage(nil), b...),
	}
	if w.TypeID != "" { // the list's names
		c.Type, c.TypeName = string(w.TypeID), string(w.Type)
	}
	return nil
}

// MarshalJSON writes Raw with credentials redacted (see Connection), or,
// without Raw, the typed fields.
func (c Connection) MarshalJSON() ([]byte, error) {
	if len(c.Raw) > 0 {
		return redactJSON(c.Raw), nil
	}
	return json.Marshal(map[string]any{
		"cross_id": c.ID, "connection_name": c.Name, "connection_type": c.Type, "connection_type_name": c.TypeName,
	})
}

// String describes the connection without Raw.
func (c Connection) String() string {
	return fmt.Sprintf("Connection{ID:%s Name:%q Type:%s TypeName:%q}", c.ID, c.Name, c.Type, c.TypeName)
}

// GoString is String prefixed with the package name, for %#v.
func (c Connection) GoString() string { return "rivery." + c.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (c Connection) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c) }

// LogValue logs the typed fields, never Raw.
func (c Connection) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", c.ID),
		slog.String("name", c.Name),
		slog.String("type", c.Type),
	)
}

// List returns one page of the environment's connections: GET E/connections.
// Environments often hold hundreds: use All to see every one.
func (s *ConnectionsService) List(ctx context.Context, opts *ListOptions) ([]*Connection, *Response, error) {
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "connections") }, pageFetcher[*Connection](s.client))
}

// All iterates over every connection of the environment, page after page
// (GET E/connections, then each next_page), from the page opts selects.
// It stops at the first error, which it yields.
func (s *ConnectionsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Connection, error] {
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "connections") }, pageFetcher[*Connection](s.client))
}

// Get returns one connection: GET E/connections/{connectionID}.
func (s *ConnectionsService) Get(ctx context.Context, connectionID string) (*Connection, *Response, error) {
	if err := validateID("connection ID", connectionID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return getOne[Connection](ctx, s.client, s.client.envURL(sc, "connections", connectionID))
}

// CatalogType is an entry of one of the catalogs of types: connection
// types, data source types or target types. Which fields are set depends on
// the catalog; Raw keeps the entry as the server sent it.
type CatalogType struct {
	ID             string // the entry's machine id (a source's id, a connection type's slug)
	Name           string // the display name
	ConnectionType string // the connection type slug it uses
	APIName        string // a source's api_name, the name a river definition uses
	TargetType     string // a target's type
	Status         string
	Raw            json.RawMessage
}

// UnmarshalJSON reads a catalog entry, unwrapping the "fields" object that
// connection types come in.
func (t *CatalogType) UnmarshalJSON(b []byte) error {
	var w wire.CatalogType
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Fields.V != nil {
		w = *w.Fields.V
	}
	*t = CatalogType{
		ID:             firstNonEmpty(string(w.ID), string(w.ConnectionType)),
		Name:           firstNonEmpty(string(w.Name), string(w.ConnectionTypeName)),
		ConnectionType: string(w.ConnectionType),
		APIName:        firstNonEmpty(string(w.APIName), string(w.APINameMisspelled)),
		TargetType:     string(w.TargetType),
		Status:         string(w.Status),
		Raw:            append(json.RawMessage(nil), b...),
	}
	return nil
}

// ConnectionTypes iterates over the catalog of connection types, page
// after page: GET /v1/connections_types.
func (s *ConnectionsService) ConnectionTypes(ctx context.Context, opts *ListOptions) iter.Seq2[*CatalogType, error] {
	return s.catalog(ctx, opts, pathConnTypes)
}

// SourceTypes iterates over the catalog of data source types, page after
// page: GET /v1/data_source_types.
func (s *ConnectionsService) SourceTypes(ctx context.Context, opts *ListOptions) iter.Seq2[*CatalogType, error] {
	return s.catalog(ctx, opts, pathSourceTypes)
}

// TargetTypes iterates over the catalog of target types, page after page:
// GET /v1/target_types.
func (s *ConnectionsService) TargetTypes(ctx context.Context, opts *ListOptions) iter.Seq2[*CatalogType, error] {
	return s.catalog(ctx, opts, pathTargetTypes)
}

// The catalogs' paths: they name no account or environment.
const (
	pathConnTypes   = "/v1/connections_types"
	pathSourceTypes = "/v1/data_source_types"
	pathTargetTypes = "/v1/target_types"
)

func (s *ConnectionsService) catalog(ctx context.Context, opts *ListOptions, path string) iter.Seq2[*CatalogType, error] {
	return fixedPages(ctx, s.client, opts, s.client.v1+path, pageFetcher[*CatalogType](s.client))
}
