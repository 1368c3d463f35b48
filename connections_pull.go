package rivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"

	"github.com/rivery-go/rivery/internal/wire"
)

// The tasks a pull request can ask for (PullRequest.Task). The console
// knows more (get_buckets, get_datasets, get_catalogs, ...): any name is
// sent as it is.
const (
	// PullTaskMetadata reads a database source's schemas, tables and
	// columns (the default).
	PullTaskMetadata = "get_db_metadata"
	// PullTaskSchemas lists a source's schemas.
	PullTaskSchemas = "get_schemas"
	// PullTaskDatabases lists a target's databases.
	PullTaskDatabases = "get_databases"
)

// PullRequest asks Rivery's workers to connect to a connection's source or
// target and read what it holds: POST E/pull_requests. The answer is an
// operation to wait for.
type PullRequest struct {
	ConnectionID string
	// DatasourceID is the source's api_name (Connections.SourceTypes), or
	// the target's: not the connection type's slug. Required.
	DatasourceID string
	Task         string   // PullTaskMetadata when empty
	TaskType     string   // "source" when empty, or "target"
	Schemas      []string // with PullTaskMetadata: only these schemas (nil: all of them)
	TableName    string   // only this table
	// Inputs are more pull_request_inputs, sent as they are (after
	// connection_id, schemas and table_name, by name).
	Inputs map[string]any
}

func (r *PullRequest) wire(test bool) (*wire.PullRequest, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil PullRequest", ErrInvalidArgument)
	}
	if err := validateIDs("connection ID", r.ConnectionID, "datasource ID", r.DatasourceID); err != nil {
		return nil, err
	}
	w := &wire.PullRequest{
		Inputs:       wire.PullInputs{ConnectionID: r.ConnectionID, Schemas: r.Schemas, TableName: r.TableName},
		Task:         firstNonEmpty(r.Task, PullTaskMetadata),
		TaskType:     firstNonEmpty(r.TaskType, "source"),
		DatasourceID: r.DatasourceID,
	}
	if hasControl(w.Task) || hasControl(w.TaskType) {
		return nil, fmt.Errorf("%w: pull request task %q (%q) contains control characters", ErrInvalidArgument, w.Task, w.TaskType)
	}
	if test { // as Rivery's Terraform provider tests a connection
		w.Inputs.PullRequestType = w.Task + ":" + w.DatasourceID
	}
	for k, v := range r.Inputs {
		switch k {
		case "connection_id", "schemas", "table_name":
			return nil, fmt.Errorf("%w: PullRequest.Inputs names %s: set its field", ErrInvalidArgument, k)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%w: pull request input %q: %w", ErrInvalidArgument, k, err)
		}
		if w.Inputs.Extra == nil {
			w.Inputs.Extra = map[string]json.RawMessage{}
		}
		w.Inputs.Extra[k] = b
	}
	return w, nil
}

// StartPull starts a pull request: POST E/pull_requests with
// {"pull_request_inputs": {"connection_id", "schemas"...}, "task",
// "task_type", "datasource_id"}, byte for byte as Boomi's tooling sends
// it. It returns the operation to pass to WaitForPull; CancelPull stops it.
//
// A pull request reads and changes nothing, but it is a POST: it is never
// sent twice once it may have reached the server (the error then
// satisfies MaybeApplied), and starting another is harmless.
func (s *ConnectionsService) StartPull(ctx context.Context, req *PullRequest) (*Operation, *Response, error) {
	return s.startPull(ctx, req, false)
}

func (s *ConnectionsService) startPull(ctx context.Context, req *PullRequest, test bool) (*Operation, *Response, error) {
	body, err := req.wire(test)
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.Operation
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "pull_requests"), body: body, out: &w})
	if err != nil {
		return nil, resp, err
	}
	if w.OperationID == "" {
		return nil, resp, &RequestError{Method: http.MethodPost, URL: s.client.envURL(sc, "pull_requests"), Attempts: 1, MaybeApplied: true,
			Err: fmt.Errorf("the pull request's answer names no operation_id (status %q)", clip(w.Status, 32))}
	}
	return operationFromWire(&w), resp, nil
}

// WaitForPull polls GET E/operations/{id} until the pull request op ends,
// as Rivers.WaitForOperation does (honoring ctx and a Retry-After). The
// error is nil only when it ended D; a D may still carry an ErrorMessage
// about one object (Boomi's tooling reports it as a warning). An E comes
// back as an *OperationError with the connector's message. A pull that
// does not end keeps running on the server when ctx ends.
func (s *ConnectionsService) WaitForPull(ctx context.Context, op *Operation, opts *WaitOptions) (*Operation, error) {
	return waitOperation(ctx, s.client, op, opts)
}

// CancelPull stops a pull request: POST
// E/pull_requests/{pullRequestID}/cancel_run with {} (the reference answers
// 202 with the operation). pullRequestID is the ID of the operation
// StartPull returned.
func (s *ConnectionsService) CancelPull(ctx context.Context, pullRequestID string) (*Operation, *Response, error) {
	if err := validateID("pull request ID", pullRequestID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.Operation
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "pull_requests", pullRequestID, "cancel_run"), body: emptyObject, out: &w, empty: true})
	if err != nil {
		return nil, resp, err
	}
	op := operationFromWire(&w)
	op.ID = firstNonEmpty(op.ID, pullRequestID)
	return op, resp, nil
}

// Test tests a connection: it starts a pull request (StartPull, with
// pull_request_type "<task>:<datasource>" among the inputs) and waits for
// it (WaitForPull). The API has no test route of its own: Rivery's
// Terraform provider tests a connection this way, because a pull request
// opens a real connection. The error is nil when the pull ended D (the
// source is reachable with these credentials); an E is an *OperationError
// with the connector's message (e.g. a refused login).
func (s *ConnectionsService) Test(ctx context.Context, req *PullRequest, opts *WaitOptions) (*Operation, error) {
	if err := opts.check(s.client); err != nil {
		return nil, err
	}
	op, _, err := s.startPull(ctx, req, true)
	if err != nil {
		return nil, err
	}
	return s.WaitForPull(ctx, op, opts)
}

// PullMetadata reads a database source's schemas, tables and columns: a
// PullTaskMetadata pull request (StartPull, the Task set for you when
// empty), waited for (WaitForPull), its result read into tables. It
// returns the settled operation too: its ErrorMessage may name an object
// the pull could not read. Boomi's tooling waits up to 180 s: bound ctx.
func (s *ConnectionsService) PullMetadata(ctx context.Context, req *PullRequest, opts *WaitOptions) ([]*MetadataTable, *Operation, error) {
	if err := opts.check(s.client); err != nil {
		return nil, nil, err
	}
	op, _, err := s.StartPull(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	done, err := s.WaitForPull(ctx, op, opts)
	if err != nil {
		return nil, done, err
	}
	tables, err := done.MetadataTables()
	return tables, done, err
}

// MetadataTable is a table a metadata pull found, with its columns.
type MetadataTable struct {
	Schema  string
	Name    string
	Columns []MetadataColumn
	Raw     json.RawMessage // the table's entry as sent, its columns included
}

// MetadataColumn is a column of a MetadataTable.
type MetadataColumn struct {
	Name         string // name (or column_name, field_name)
	Type         string // type (or data_type, column_type, original_column_type)
	IsKey        bool
	CanIncrement bool // the column can drive an incremental load
}

// wire shapes of a get_db_metadata result: schema -> table -> columns,
// under the names Rivery's tooling and Terraform client read.
type metaTable struct {
	Columns         wire.Lax[[]json.RawMessage] `json:"columns"`
	ModifiedColumns wire.Lax[[]json.RawMessage] `json:"modified_columns"`
	Fields          wire.Lax[[]json.RawMessage] `json:"fields"`
}

type metaColumn struct {
	Name               wire.Text `json:"name"`
	ColumnName         wire.Text `json:"column_name"`
	FieldName          wire.Text `json:"field_name"`
	Type               wire.Text `json:"type"`
	DataType           wire.Text `json:"data_type"`
	ColumnType         wire.Text `json:"column_type"`
	OriginalColumnType wire.Text `json:"original_column_type"`
	IsKey              wire.Bool `json:"is_key"`
	CanIncrement       wire.Bool `json:"can_increment"`
}

// MetadataTables reads a finished metadata pull's Result (keyed by schema,
// then table, each with its columns) into tables, sorted by schema and
// name. A result of another shape (a list of names, as get_schemas
// answers) is an error wrapping ErrUnexpectedResult; Result keeps it.
func (op *Operation) MetadataTables() ([]*MetadataTable, error) {
	if op == nil || op.Result == "" {
		return nil, nil
	}
	var schemas map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(op.Result), &schemas); err != nil {
		return nil, fmt.Errorf("%w: operation %s's result is not keyed by schema and table", ErrUnexpectedResult, op.ID)
	}
	var out []*MetadataTable
	for schema, tables := range schemas {
		for name, raw := range tables {
			t := &MetadataTable{Schema: schema, Name: name, Raw: raw}
			var mt wire.Lax[metaTable]
			_ = mt.UnmarshalJSON(raw)
			cols := mt.V.Columns.V
			if cols == nil {
				cols = mt.V.ModifiedColumns.V
			}
			if cols == nil {
				cols = mt.V.Fields.V
			}
			for _, rc := range cols {
				var c wire.Lax[metaColumn]
				_ = c.UnmarshalJSON(rc)
				w := c.V
				t.Columns = append(t.Columns, MetadataColumn{
					Name:         firstNonEmpty(string(w.Name), string(w.ColumnName), string(w.FieldName)),
					Type:         firstNonEmpty(string(w.Type), string(w.DataType), string(w.ColumnType), string(w.OriginalColumnType)),
					IsKey:        bool(w.IsKey),
					CanIncrement: bool(w.CanIncrement),
				})
			}
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Schema != out[j].Schema {
			return out[i].Schema < out[j].Schema
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// ErrUnexpectedResult is wrapped by the error of reading an operation's
// result that has another shape than the one asked for.
var ErrUnexpectedResult = errors.New("rivery: unexpected operation result")

// String describes the table without Raw.
func (t MetadataTable) String() string {
	return fmt.Sprintf("MetadataTable{Schema:%q Name:%q Columns:%d}", t.Schema, t.Name, len(t.Columns))
}

// GoString is String prefixed with the package name, for %#v.
func (t MetadataTable) GoString() string { return "rivery." + t.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (t MetadataTable) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t) }

// LogValue logs the typed fields, never Raw.
func (t MetadataTable) LogValue() slog.Value {
	return slog.GroupValue(slog.String("schema", t.Schema), slog.String("name", t.Name), slog.Int("columns", len(t.Columns)))
}

// MarshalJSON writes the schema, name and columns (name, type and flags),
// never Raw.
func (t MetadataTable) MarshalJSON() ([]byte, error) {
	type column struct {
		Name         string `json:"name"`
		Type         string `json:"type"`
		IsKey        bool   `json:"is_key,omitempty"`
		CanIncrement bool   `json:"can_increment,omitempty"`
	}
	cols := make([]column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = column(c)
	}
	return json.Marshal(struct {
		Schema  string   `json:"schema"`
		Name    string   `json:"name"`
		Columns []column `json:"columns"`
	}{t.Schema, t.Name, cols})
}
