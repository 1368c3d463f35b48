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

// ConnectionTable is a table of a database connection, as
// GET E/connections/{id}/tables lists it, with the columns a river can
// load it incrementally by.
type ConnectionTable struct {
	Name             string // the table's name (the answer's "id")
	Schema           string // schema_name
	Database         string // database_properties.name
	DatabaseType     string // database_properties.type, e.g. "mysql"
	Type             string // table_type, e.g. "db"
	ObjectType       string // object_type (TABLE, SYNONYM), else resolved_object_type
	IncrementColumns []IncrementColumn
	UpdatedAt        time.Time // when Rivery last read it; zero when not sent
	Raw              json.RawMessage
}

// IncrementColumn is a column a table can be loaded incrementally by.
type IncrementColumn struct {
	Name            string
	Type            string
	IncrementalType string // runningnumber, epoch or datetime
	Default         bool   // the one Rivery picks unless told otherwise
}

// UnmarshalJSON reads a table of the list.
func (t *ConnectionTable) UnmarshalJSON(b []byte) error {
	var w wire.ConnectionTable
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = ConnectionTable{
		Name:       firstNonEmpty(string(w.ID), string(w.Name)),
		Schema:     string(w.SchemaName),
		Type:       string(w.TableType),
		ObjectType: firstNonEmpty(string(w.ObjectType), string(w.ResolvedObjectType)),
		UpdatedAt:  w.UpdatedAt.Time,
		Raw:        append(json.RawMessage(nil), b...),
	}
	if db := w.Database.V; db != nil {
		t.Database, t.DatabaseType = string(db.Name), string(db.Type)
	}
	for _, c := range w.IncrementColumns.V {
		t.IncrementColumns = append(t.IncrementColumns, IncrementColumn{string(c.Name), string(c.Type), string(c.IncrementalType), bool(c.IsDefault)})
	}
	return nil
}

// String describes the table without Raw.
func (t ConnectionTable) String() string {
	return fmt.Sprintf("ConnectionTable{Schema:%q Name:%q Type:%s IncrementColumns:%d}", t.Schema, t.Name, t.Type, len(t.IncrementColumns))
}

// GoString is String prefixed with the package name, for %#v.
func (t ConnectionTable) GoString() string { return "rivery." + t.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (t ConnectionTable) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t) }

// LogValue logs the typed fields, never Raw.
func (t ConnectionTable) LogValue() slog.Value {
	return slog.GroupValue(slog.String("schema", t.Schema), slog.String("name", t.Name))
}

// MarshalJSON writes Raw with credential-named keys redacted (see
// Connection), or, without Raw, the typed fields.
func (t ConnectionTable) MarshalJSON() ([]byte, error) {
	if len(t.Raw) > 0 {
		return redactJSON(t.Raw), nil
	}
	return json.Marshal(map[string]any{"id": t.Name, "schema_name": t.Schema, "table_type": t.Type})
}

// ConnectionTablesOptions filters and pages Connections.Tables.
type ConnectionTablesOptions struct {
	// ListOptions' PerPage is items_per_page; Page is sent as Boomi's
	// tooling sends it, but the answer pages by cursor (next_page names a
	// next_page_id): follow it with AllTables.
	ListOptions
	SchemaName string `url:"schema_name,omitempty"`
	TableName  string `url:"table_name,omitempty"`
}

func (o *ConnectionTablesOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// Tables returns one page of a database connection's tables:
// GET E/connections/{connectionID}/tables. Connections that are not
// databases answer few or no tables, or an error.
func (s *ConnectionsService) Tables(ctx context.Context, connectionID string, opts *ConnectionTablesOptions) ([]*ConnectionTable, *Response, error) {
	if err := validateID("connection ID", connectionID); err != nil {
		return nil, nil, err
	}
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "connections", connectionID, "tables") },
		pageFetcher[*ConnectionTable](s.client))
}

// AllTables iterates over every table of a database connection, page
// after page (GET E/connections/{connectionID}/tables, then each
// next_page, a cursor URL). It stops at the first error, which it yields.
func (s *ConnectionsService) AllTables(ctx context.Context, connectionID string, opts *ConnectionTablesOptions) iter.Seq2[*ConnectionTable, error] {
	if err := validateID("connection ID", connectionID); err != nil {
		return func(yield func(*ConnectionTable, error) bool) { yield(nil, err) }
	}
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "connections", connectionID, "tables") },
		pageFetcher[*ConnectionTable](s.client))
}
