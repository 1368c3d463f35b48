package riverytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// Routes of river definitions.
const (
	RouteSearchRivers Route = "search_rivers" // GET E/rivers_search
	RouteCreateRiver  Route = "create_river"  // POST E/rivers
	RouteUpdateRiver  Route = "update_river"  // PUT E/rivers/{id}
	RouteCopyRiver    Route = "copy_river"    // POST E/rivers/{id}/copy
	RouteVersions     Route = "versions"      // GET E/rivers/{id}/versions
	RouteVersion      Route = "version"       // GET E/rivers/{id}/versions/{version}
	RouteRestore      Route = "restore"       // PUT E/rivers/{id}/restore
)

// definition is a river's stored definition and its saved versions, newest
// last. body holds everything but the fields the server owns (IDs, status,
// current version), which are added when it is served.
type definition struct {
	body     map[string]any
	versions []*version
}

type version struct {
	id      string
	created time.Time
	by      string
	body    map[string]any
}

// serverOwned are fields a write may not send (the live API answers 422
// extra_forbidden, as Rivery's Terraform provider records).
var serverOwned = []string{"cross_id", "_id", "id", "account_id"}

// definitionOf returns rv's definition, making it from the river's seeded
// fields (with a first version) on first use; the caller holds s.mu.
func (s *Server) definitionOf(rv *river) *definition {
	if s.mg.defs == nil {
		s.mg.defs = map[string]*definition{}
	}
	d, ok := s.mg.defs[rv.ID]
	if !ok {
		body := riverDetailJSON(rv)
		delete(body, "cross_id")
		d = s.newDefinition(rv, body, "admin@example.com")
	}
	return d
}

// newDefinition stores body as rv's first version; the caller holds s.mu.
func (s *Server) newDefinition(rv *river, body map[string]any, by string) *definition {
	if s.mg.defs == nil {
		s.mg.defs = map[string]*definition{}
	}
	d := &definition{}
	s.mg.defs[rv.ID] = d
	s.saveVersion(rv, d, body, by)
	return d
}

// saveVersion stores body as rv's definition and appends a version; the
// caller holds s.mu.
func (s *Server) saveVersion(rv *river, d *definition, body map[string]any, by string) {
	s.seq++
	d.body = body
	d.versions = append(d.versions, &version{id: fmt.Sprintf("67%022x", s.seq), created: time.Now().UTC(), by: by, body: deepCopy(body)})
	str := func(k string) string { v, _ := body[k].(string); return v }
	rv.Name, rv.GroupID = str("name"), str("group_id")
	if t := str("type"); t != "" {
		rv.Type = t
	}
	if md, ok := body["metadata"].(map[string]any); ok {
		rv.Description, _ = md["description"].(string)
	}
}

// definitionJSON is what GET E/rivers/{id} answers; the caller holds s.mu.
func (s *Server) definitionJSON(rv *river) map[string]any {
	d := s.definitionOf(rv)
	out := deepCopy(d.body)
	out["cross_id"] = rv.ID
	out["account_id"] = s.AccountID
	out["environment_id"] = s.EnvironmentID
	md, _ := out["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		out["metadata"] = md
	}
	md["river_status"] = riverStatus(rv)
	last := d.versions[len(d.versions)-1]
	md["current_version_id"] = last.id
	md["last_updated_at"] = last.created.Format("2006-01-02T15:04:05.000000")
	name, _, _ := strings.Cut(last.by, "@")
	md["last_updated_by"] = name
	first := d.versions[0]
	md["created_at"] = first.created.Format("2006-01-02T15:04:05.000000")
	name, _, _ = strings.Cut(first.by, "@")
	md["created_by"] = name
	return out
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func (s *Server) v1Definition(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.lookupRiver(w, id)
	if rv == nil {
		return
	}
	writeJSON(w, http.StatusOK, s.definitionJSON(rv))
}

// readDefinition decodes and checks a create or update body; it answers
// 422 and returns nil when the body is not acceptable.
func readDefinition(w http.ResponseWriter, r *http.Request) map[string]any {
	var body map[string]any
	if !decodeBody(w, r, v1, &body) {
		return nil
	}
	for _, k := range serverOwned {
		if _, ok := body[k]; ok {
			writeValidation(w, fieldError{"extra_forbidden", []string{"body", k}, "Extra inputs are not permitted", body[k]})
			return nil
		}
	}
	if name, _ := body["name"].(string); strings.TrimSpace(name) == "" {
		writeValidation(w, fieldError{"missing", []string{"body", "name"}, "Field required", nil})
		return nil
	}
	if _, ok := body["metadata"].(map[string]any); !ok {
		writeValidation(w, fieldError{"missing", []string{"body", "metadata"}, "Field required", nil})
		return nil
	}
	delete(body, "environment_id")
	delete(body, "group_name")
	return body
}

// createRiver makes a river from a definition. A new river is disabled,
// except a logic river, which comes up active (as on the live API).
func (s *Server) createRiver(w http.ResponseWriter, r *http.Request, t *token) {
	body := readDefinition(w, r)
	if body == nil {
		return
	}
	typ, _ := body["type"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.rivers[s.addRiver(River{Type: typ, Disabled: typ != "logic"}).ID]
	s.newDefinition(rv, body, t.Name+"@example.com")
	writeJSON(w, http.StatusCreated, s.definitionJSON(rv))
}

// updateRiver replaces a river's definition and saves a version.
func (s *Server) updateRiver(w http.ResponseWriter, r *http.Request, t *token) {
	id := r.PathValue("river")
	body := readDefinition(w, r)
	if body == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rv := s.lookupRiver(w, id)
	if rv == nil {
		return
	}
	s.saveVersion(rv, s.definitionOf(rv), body, t.Name+"@example.com")
	writeJSON(w, http.StatusOK, s.definitionJSON(rv))
}

// copyRiver copies a river; the copy is disabled whatever the original is.
func (s *Server) copyRiver(w http.ResponseWriter, r *http.Request, t *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	defer s.mu.Unlock()
	orig := s.lookupRiver(w, id)
	if orig == nil {
		return
	}
	body := deepCopy(s.definitionOf(orig).body)
	body["name"] = fmt.Sprintf("%v - copy", body["name"])
	cp := orig.River
	cp.ID, cp.Disabled = "", true
	rv := s.rivers[s.addRiver(cp).ID]
	s.newDefinition(rv, body, t.Name+"@example.com")
	writeJSON(w, http.StatusCreated, s.definitionJSON(rv))
}

// versionJSON is a version in the reference's shape: its time is
// insert_date (without a zone), its author's name under user_info, and
// created_by the author's user ID.
func (s *Server) versionJSON(rv *river, v *version, previous string) map[string]any {
	name, _, _ := strings.Cut(v.by, "@")
	return map[string]any{
		"version_id": v.id, "insert_date": v.created.Format("2006-01-02T15:04:05.000000"),
		"user_info":  map[string]any{"user_name": name, "user_email": v.by},
		"created_by": fmt.Sprintf("%024x", len(v.by)), "bookmarked": false, "previous_version": previous,
		"river_id": rv.ID, "account_id": s.AccountID, "environment_id": s.EnvironmentID,
	}
}

// listVersions answers a river's versions, newest first.
func (s *Server) listVersions(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	rv := s.lookupRiver(w, id)
	if rv == nil {
		s.mu.Unlock()
		return
	}
	d := s.definitionOf(rv)
	items := make([]map[string]any, 0, len(d.versions))
	for i := len(d.versions) - 1; i >= 0; i-- {
		items = append(items, s.versionJSON(rv, d.versions[i], previousVersion(d, i)))
	}
	s.mu.Unlock()
	writePage(w, r, items, "statistics", map[string]any{
		"total_versions": len(items), "versions_allowed": 100, "bookmarked_versions": 0, "bookmarks_allowed": 30, "snapshot_versions": 0,
	})
}

// previousVersion is the ID of the version before d.versions[i], "" for
// the first.
func previousVersion(d *definition, i int) string {
	if i == 0 {
		return ""
	}
	return d.versions[i-1].id
}

// findVersion returns a version of a river, answering 404 when there is
// none; the caller holds s.mu.
func (s *Server) findVersion(w http.ResponseWriter, riverID, versionID string) (*river, *version) {
	rv := s.lookupRiver(w, riverID)
	if rv == nil {
		return nil, nil
	}
	for _, v := range s.definitionOf(rv).versions {
		if v.id == versionID {
			return rv, v
		}
	}
	writeError(w, v1, http.StatusNotFound, "Version "+versionID+" not found")
	return nil, nil
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, v := s.findVersion(w, r.PathValue("river"), r.PathValue("version"))
	if v == nil {
		return
	}
	d := s.definitionOf(rv)
	i := slices.Index(d.versions, v)
	out := s.versionJSON(rv, v, previousVersion(d, i))
	river := deepCopy(v.body)
	river["cross_id"] = rv.ID
	out["river"] = river
	writeJSON(w, http.StatusOK, out)
}

// restoreVersion appends a version equal to the one named. Like the live
// API, it refuses an active river.
func (s *Server) restoreVersion(w http.ResponseWriter, r *http.Request, t *token) {
	var body struct {
		VersionID string `json:"version_id"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, v := s.findVersion(w, r.PathValue("river"), body.VersionID)
	if v == nil {
		return
	}
	if !rv.Disabled {
		writeError(w, v1, http.StatusBadRequest, "Please disable the data flow before running a restore version operation")
		return
	}
	s.saveVersion(rv, s.definitionOf(rv), deepCopy(v.body), t.Name+"@example.com")
	writeJSON(w, http.StatusOK, s.definitionJSON(rv))
}

// searchRivers filters rivers by name and free text (substrings, any
// case), status, type and group.
func (s *Server) searchRivers(w http.ResponseWriter, r *http.Request, _ *token) {
	q := r.URL.Query()
	has := func(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.order))
	for _, id := range s.order {
		rv := s.rivers[id]
		switch {
		case q.Get("name") != "" && !has(rv.Name, q.Get("name")):
		case q.Get("search_query") != "" && !has(rv.Name, q.Get("search_query")) && !has(rv.Description, q.Get("search_query")):
		case q.Get("river_status") != "" && q.Get("river_status") != riverStatus(rv):
		case q.Get("river_type") != "" && q.Get("river_type") != rv.Type:
		case q.Get("group_id") != "" && q.Get("group_id") != rv.GroupID:
		default:
			items = append(items, riverListJSON(rv))
		}
	}
	s.mu.Unlock()
	writePage(w, r, items)
}

// Versions returns how many versions a river's definition has (1 for a
// seeded river nobody changed), or 0 for an unknown river.
func (s *Server) Versions(riverID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[riverID]
	if !ok {
		return 0
	}
	return len(s.definitionOf(rv).versions)
}

// Definition returns a river's definition as GET E/rivers/{id} answers it,
// or nil for an unknown river.
func (s *Server) Definition(riverID string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.rivers[riverID]
	if !ok {
		return nil
	}
	b, _ := json.Marshal(s.definitionJSON(rv))
	return b
}

// manageRoutes registers the routes of connections, variables and river
// definitions.
func (s *Server) manageRoutes(mux *http.ServeMux) {
	read := []rivery.Scope{rivery.ScopeRiverList}
	edit := []rivery.Scope{rivery.ScopeRiverEdit}
	conns := []rivery.Scope{rivery.ScopeConnectionList}
	s.handle(mux, "GET "+envPrefix+"/connections", RouteConnections, v1, conns, s.listConnections)
	s.handle(mux, "GET "+envPrefix+"/connections/{connection}", RouteConnection, v1, conns, s.getConnection)
	s.handle(mux, "GET /v1/connections_types", RouteConnectionTypes, v1, nil, catalog(connectionTypes))
	s.handle(mux, "GET /v1/data_source_types", RouteSourceTypes, v1, nil, catalog(sourceTypes))
	s.handle(mux, "GET /v1/target_types", RouteTargetTypes, v1, nil, catalog(targetTypes))

	s.handle(mux, "GET "+envPrefix+"/variables", RouteVariables, v1, read, s.listEnvVars)
	s.handle(mux, "PUT "+envPrefix+"/variables", RouteSetVariables, v1, edit, s.setEnvVars)
	s.handle(mux, "DELETE "+envPrefix+"/variables", RouteDeleteVariable, v1, edit, s.deleteEnvVar)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/variables", RouteRiverVariables, v1, read, s.listRiverVars)
	s.handle(mux, "PUT "+envPrefix+"/rivers/{river}/variables", RouteSetRiverVariables, v1, edit, s.putRiverVars)

	s.handle(mux, "GET "+envPrefix+"/rivers_search", RouteSearchRivers, v1, read, s.searchRivers)
	s.handle(mux, "POST "+envPrefix+"/rivers", RouteCreateRiver, v1, edit, s.createRiver)
	s.handle(mux, "PUT "+envPrefix+"/rivers/{river}", RouteUpdateRiver, v1, edit, s.updateRiver)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/copy", RouteCopyRiver, v1, edit, s.copyRiver)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/versions", RouteVersions, v1, read, s.listVersions)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/versions/{version}", RouteVersion, v1, read, s.getVersion)
	s.handle(mux, "PUT "+envPrefix+"/rivers/{river}/restore", RouteRestore, v1, edit, s.restoreVersion)
}
