package riverytest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Routes of connections, variables and river definitions, for Fail and
// RequestsTo.
const (
	RouteConnections     Route = "connections"      // GET E/connections
	RouteConnection      Route = "connection"       // GET E/connections/{id}
	RouteConnectionTypes Route = "connection_types" // GET /v1/connections_types
	RouteSourceTypes     Route = "source_types"     // GET /v1/data_source_types
	RouteTargetTypes     Route = "target_types"     // GET /v1/target_types
)

// Connection is a seeded connection. Settings are its other fields, as the
// list and detail answers send them, credentials included: a test can check
// that a client never prints them.
type Connection struct {
	ID       string // 24 hex digits; generated when empty
	Name     string // "connection-N" when empty
	Type     string // the machine slug, e.g. "postgres" (default)
	TypeName string // the display name, e.g. "PostgreSQL" (default: Type)
	Settings map[string]any
	// Tables are what its tables list and metadata pulls report; when
	// empty, public.orders and public.customers.
	Tables []Table
	// PullError, if set, makes every pull request on it (a test, a
	// metadata pull) end in status E with this message, as a refused login
	// does.
	PullError string
}

// Table is a table of a seeded connection.
type Table struct {
	Schema  string // "public" when empty
	Name    string
	Columns []Column
}

// Column is a column of a Table.
type Column struct {
	Name, Type string
	Key        bool
	Increment  bool // a river can load the table incrementally by it
}

// defaultTables are a connection's tables when it was seeded with none.
var defaultTables = []Table{
	{Schema: "public", Name: "customers", Columns: []Column{{"id", "INTEGER", true, true}, {"name", "VARCHAR", false, false}}},
	{Schema: "public", Name: "orders", Columns: []Column{{"id", "INTEGER", true, true}, {"updated_at", "TIMESTAMP", false, true}, {"amount", "NUMERIC", false, false}}},
}

// manage is the state of connections, variables and river definitions.
// Its maps are made on first use; the Server's mutex guards it.
type manage struct {
	conns     map[string]*connection
	connOrder []string
	envVars   map[string]any
	riverVars map[string][]map[string]any // by river ID
	defs      map[string]*definition      // by river ID
	files     []UploadedFile
	groups    []RiverGroup
}

type connection struct {
	Connection
	updated time.Time
}

// tables are c's tables, schema "public" filled in.
func (c *connection) tables() []Table {
	ts := c.Tables
	if len(ts) == 0 {
		ts = defaultTables
	}
	out := make([]Table, len(ts))
	for i, t := range ts {
		if t.Schema == "" {
			t.Schema = "public"
		}
		out[i] = t
	}
	return out
}

// WithConnection seeds a connection.
func WithConnection(c Connection) Option {
	return func(s *Server) { s.addConnection(c) }
}

// AddConnection adds a connection and returns it with defaults filled in.
func (s *Server) AddConnection(c Connection) Connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addConnection(c)
}

func (s *Server) addConnection(c Connection) Connection {
	s.seq++
	if c.ID == "" {
		c.ID = fmt.Sprintf("66%022x", s.seq)
	}
	if c.Name == "" {
		c.Name = fmt.Sprintf("connection-%d", s.seq)
	}
	if c.Type == "" {
		c.Type = "postgres"
	}
	if c.TypeName == "" {
		c.TypeName = c.Type
	}
	m := &s.mg
	if m.conns == nil {
		m.conns = map[string]*connection{}
	}
	if _, ok := m.conns[c.ID]; !ok {
		m.connOrder = append(m.connOrder, c.ID)
	}
	m.conns[c.ID] = &connection{Connection: c, updated: time.Now().UTC().Truncate(time.Second)}
	return c
}

// connectionJSON is a connection in the list's shape or the detail's: the
// list names the display type connection_type and the slug
// connection_type_id; the detail names the slug connection_type and the
// display name connection_type_name.
func connectionJSON(c *connection, detail bool) map[string]any {
	out := map[string]any{}
	for k, v := range c.Settings {
		out[k] = v
	}
	out["cross_id"] = c.ID
	out["connection_name"] = c.Name
	out["connection_update_time"] = c.updated.Format(time.RFC3339)
	_, hasPassword := c.Settings["password"]
	out["password_exists"] = hasPassword
	if detail {
		out["connection_type"] = c.Type
		out["connection_type_name"] = c.TypeName
	} else {
		out["connection_type"] = c.TypeName
		out["connection_type_id"] = c.Type
	}
	return out
}

func (s *Server) listConnections(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.mg.connOrder))
	for _, id := range s.mg.connOrder {
		items = append(items, connectionJSON(s.mg.conns[id], false))
	}
	s.mu.Unlock()
	writePage(w, r, items)
}

func (s *Server) getConnection(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("connection")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.mg.conns[id]
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Connection "+id+" not found")
		return
	}
	writeJSON(w, http.StatusOK, connectionJSON(c, true))
}

// The catalogs the server serves: a few entries of each, as the live API
// shapes them (connection types wrapped in "fields").
var (
	connectionTypes = []map[string]any{
		{"fields": map[string]any{"connection_type": "postgres", "connection_type_name": "PostgreSQL"}},
		{"fields": map[string]any{"connection_type": "snowflake", "connection_type_name": "Snowflake"}},
		{"fields": map[string]any{"connection_type": "shopify", "connection_type_name": "Shopify"}},
	}
	sourceTypes = []map[string]any{
		{"id": "postgresql", "name": "PostgreSQL", "api_name": "postgresql", "connection_type": "postgres", "status": "GA", "segment": []string{"source"}},
		{"id": "shopify", "name": "Shopify", "api_name": "shopify", "connection_type": "shopify", "status": "GA", "segment": []string{"source"}},
	}
	targetTypes = []map[string]any{
		{"name": "Snowflake", "target_type": "snowflake", "connection_type": "snowflake", "river_type_id": "src_to_trgt"},
		{"name": "PostgreSQL RDS", "target_type": "postgres_rds", "connection_type": "postgres", "river_type_id": "src_to_trgt"},
	}
)

func catalog(items []map[string]any) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) { writePage(w, r, items) }
}

// Connections returns the seeded connections, ordered by ID.
func (s *Server) Connections() []Connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Connection, 0, len(s.mg.conns))
	for _, c := range s.mg.conns {
		out = append(out, c.Connection)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
