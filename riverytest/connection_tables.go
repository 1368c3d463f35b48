package riverytest

import (
	"net/http"
	"strconv"
)

// Routes of a connection's tables, one connection type and the data source
// sections.
const (
	RouteConnectionTables Route = "connection_tables" // GET E/connections/{id}/tables
	RouteConnectionType   Route = "connection_type"   // GET /v1/connections_types/{type}
	RouteSourceSections   Route = "source_sections"   // GET /v1/data_source_sections
)

// tablesPageSize is a tables page's size when items_per_page is not sent.
const tablesPageSize = 100

// connectionTables answers a connection's tables as the live API pages
// them: by cursor (next_page names next_page_id), without page or
// total_items, beside connection_id.
func (s *Server) connectionTables(w http.ResponseWriter, r *http.Request, _ *token) {
	id, q := r.PathValue("connection"), r.URL.Query()
	per := tablesPageSize
	if v := q.Get("items_per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeValidation(w, fieldError{"less_than_equal", []string{"query", "items_per_page"}, "Input should be a whole number from 1 to 500", v})
			return
		}
		per = n
	}
	start, ok := cursorStart(r, "next_page_id", "previous_page_id")
	if !ok {
		writeError(w, v1, http.StatusBadRequest, "Invalid next_page_id")
		return
	}
	s.mu.Lock()
	c, ok := s.mg.conns[id]
	if !ok {
		s.mu.Unlock()
		writeError(w, v1, http.StatusNotFound, "Connection "+id+" not found")
		return
	}
	var items []map[string]any
	for _, t := range c.tables() {
		if (q.Get("schema_name") == "" || q.Get("schema_name") == t.Schema) && (q.Get("table_name") == "" || q.Get("table_name") == t.Name) {
			items = append(items, tableJSON(c, t))
		}
	}
	s.mu.Unlock()
	start = min(start, len(items))
	end := min(start+per, len(items))
	next, prev := cursorLinks(r, start, end, len(items), per, "next_page_id", "previous_page_id")
	page := append([]map[string]any{}, items[start:end]...)
	writeJSON(w, http.StatusOK, map[string]any{
		"items": page, "current_page_size": len(page), "connection_id": id,
		"account_id": s.AccountID, "environment_id": r.PathValue("env"), "next_page": next, "previous_page": prev,
	})
}

// tableJSON is a table in the tables list's shape.
func tableJSON(c *connection, t Table) map[string]any {
	inc := []map[string]any{}
	first := true
	for _, col := range t.Columns {
		if !col.Increment {
			continue
		}
		kind := "runningnumber"
		if col.Type == "TIMESTAMP" || col.Type == "DATETIME" || col.Type == "DATE" {
			kind = "datetime"
		}
		inc = append(inc, map[string]any{"name": col.Name, "type": col.Type, "incremental_type": kind, "is_default": first})
		first = false
	}
	return map[string]any{
		"id": t.Name, "schema_name": t.Schema, "table_type": "db", "object_type": "TABLE", "resolved_object_type": nil,
		"increment_columns": inc, "updated_at": c.updated.Format("2006-01-02T15:04:05.000000"),
		"database_properties": map[string]any{"name": "fake_db", "type": c.Type},
	}
}

// connectionProperties are the fields every connection type of the fake
// has.
var connectionProperties = []map[string]any{
	{"id": "host", "type": "string", "ui_type": "text", "display_name": "Host", "row": 1},
	{"id": "port", "type": "integer", "ui_type": "number", "display_name": "Port", "row": 1},
	{"id": "user_name", "type": "string", "ui_type": "text", "display_name": "Username", "row": 2},
	{"id": "password", "type": "password", "ui_type": "password", "display_name": "Password", "row": 2},
	{"id": "ssh_pkey_file_path", "type": "file", "ui_type": "file", "display_name": "SSH key file", "row": 3},
}

// connectionType answers one entry of the connection types catalog with
// its properties; 404 for a type not in the catalog.
func (s *Server) connectionType(w http.ResponseWriter, r *http.Request, _ *token) {
	typ := r.PathValue("type")
	for _, ct := range connectionTypes {
		f, _ := ct["fields"].(map[string]any)
		if f["connection_type"] != typ {
			continue
		}
		out := map[string]any{"has_key_file": true, "allowed_file_extensions": []string{"pem", "json"}, "is_test_connection": false, "oauth2": false, "properties": connectionProperties}
		for k, v := range f {
			out[k] = v
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	writeError(w, v1, http.StatusNotFound, "Connection type "+typ+" not found")
}

// sourceSections are the data source catalog's sections, in the live
// shape.
var sourceSections = []map[string]any{
	{"data_source_section": map[string]any{"id": "sec_databases", "name": "Databases", "description": "Relational and NoSQL databases", "ordinal": 1, "target_ordinal": 1},
		"data_source_types": []string{"postgresql", "mysql"}},
	{"data_source_section": map[string]any{"id": "sec_ecommerce", "name": "E-Commerce", "description": "Online stores", "ordinal": 2, "target_ordinal": nil},
		"data_source_types": []string{"shopify"}},
}

// dataSourceSections answers the sections; ?segment=target keeps those
// targets have.
func (s *Server) dataSourceSections(w http.ResponseWriter, r *http.Request, _ *token) {
	items := sourceSections
	if r.URL.Query().Get("segment") == "target" {
		items = nil
		for _, it := range sourceSections {
			if it["data_source_section"].(map[string]any)["target_ordinal"] != nil {
				items = append(items, it)
			}
		}
	}
	writePage(w, r, items)
}
