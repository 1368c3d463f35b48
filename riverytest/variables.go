package riverytest

import (
	"maps"
	"net/http"
	"strconv"
	"strings"
)

// Routes of variables.
const (
	RouteVariables         Route = "variables"           // GET E/variables
	RouteSetVariables      Route = "set_variables"       // PUT E/variables
	RouteDeleteVariable    Route = "delete_variable"     // DELETE E/variables?variable_key=
	RouteRiverVariables    Route = "river_variables"     // GET E/rivers/{id}/variables
	RouteSetRiverVariables Route = "set_river_variables" // PUT E/rivers/{id}/variables
)

// RiverVariablesPageSize is the most river variables one page holds,
// whatever items_per_page asks: clients must follow next_page.
const RiverVariablesPageSize = 20

// RiverVariable is a river's variable as the server stores it.
type RiverVariable struct {
	Name              string
	Value             any // a string, or a list for a multi-value variable
	ClearValueOnStart bool
	IsMultiValue      bool
	IsEncrypted       bool // the API's is_private
}

func (v RiverVariable) item() map[string]any {
	return map[string]any{
		"name":  v.Name,
		"value": v.Value,
		"settings": map[string]any{
			"clear_value_on_start": v.ClearValueOnStart,
			"is_multi_value":       v.IsMultiValue,
			"is_private":           v.IsEncrypted,
		},
	}
}

// settingsKeys are the settings a river variable keeps: the live API drops
// any other key (is_encrypted among them), as Rivery's Terraform provider
// found.
var settingsKeys = []string{"clear_value_on_start", "is_multi_value", "is_private"}

// WithVariables seeds environment variables.
func WithVariables(vars map[string]string) Option {
	return func(s *Server) {
		for k, v := range vars {
			s.setEnvVar(k, v)
		}
	}
}

func (s *Server) setEnvVar(k string, v any) {
	if s.mg.envVars == nil {
		s.mg.envVars = map[string]any{}
	}
	s.mg.envVars[k] = v
}

// Variables returns the environment's variables.
func (s *Server) Variables() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.mg.envVars)
}

// SetRiverVariables replaces a river's variables, as another user of the
// account would (a test of concurrent changes calls it mid-way).
func (s *Server) SetRiverVariables(riverID string, vars ...RiverVariable) {
	items := make([]map[string]any, len(vars))
	for i, v := range vars {
		items[i] = v.item()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setRiverVars(riverID, items)
}

func (s *Server) setRiverVars(riverID string, items []map[string]any) {
	if s.mg.riverVars == nil {
		s.mg.riverVars = map[string][]map[string]any{}
	}
	s.mg.riverVars[riverID] = items
}

// RiverVariables returns a river's variables in order.
func (s *Server) RiverVariables(riverID string) []RiverVariable {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.mg.riverVars[riverID]
	out := make([]RiverVariable, len(items))
	for i, it := range items {
		st, _ := it["settings"].(map[string]any)
		out[i] = RiverVariable{Name: it["name"].(string), Value: it["value"]}
		out[i].ClearValueOnStart, _ = st["clear_value_on_start"].(bool)
		out[i].IsMultiValue, _ = st["is_multi_value"].(bool)
		out[i].IsEncrypted, _ = st["is_private"].(bool)
	}
	return out
}

func (s *Server) listEnvVars(w http.ResponseWriter, _ *http.Request, _ *token) {
	s.mu.Lock()
	vars := maps.Clone(s.mg.envVars)
	s.mu.Unlock()
	if vars == nil {
		vars = map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"variables": vars})
}

// setEnvVars adds or updates the keys sent, and no others.
func (s *Server) setEnvVars(w http.ResponseWriter, r *http.Request, t *token) {
	var body struct {
		Variables map[string]any `json:"variables"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	if body.Variables == nil {
		writeValidation(w, fieldError{"missing", []string{"body", "variables"}, "Field required", nil})
		return
	}
	s.mu.Lock()
	for k, v := range body.Variables {
		s.setEnvVar(k, v)
	}
	s.mu.Unlock()
	s.listEnvVars(w, r, t)
}

// deleteEnvVar deletes one key; like the live API, it answers success for a
// key that is not there.
func (s *Server) deleteEnvVar(w http.ResponseWriter, r *http.Request, _ *token) {
	key := r.URL.Query().Get("variable_key")
	if key == "" {
		writeValidation(w, fieldError{"missing", []string{"query", "variable_key"}, "Field required", nil})
		return
	}
	s.mu.Lock()
	delete(s.mg.envVars, key)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"message": "The variable has been deleted successfully"})
}

// lookupRiver returns the river riverID, or answers 404 and returns nil;
// the caller holds s.mu.
func (s *Server) lookupRiver(w http.ResponseWriter, riverID string) *river {
	rv, ok := s.rivers[riverID]
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Data Flow "+riverID+" not found")
		return nil
	}
	return rv
}

func (s *Server) listRiverVars(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("river")
	s.mu.Lock()
	if s.lookupRiver(w, id) == nil {
		s.mu.Unlock()
		return
	}
	items := append([]map[string]any{}, s.mg.riverVars[id]...)
	s.mu.Unlock()
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("items_per_page")); err == nil && n > RiverVariablesPageSize {
		q.Set("items_per_page", strconv.Itoa(RiverVariablesPageSize))
		r.URL.RawQuery = q.Encode()
	}
	writePage(w, r, items)
}

// setRiverVars replaces the whole set, as the live PUT does.
func (s *Server) putRiverVars(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("river")
	var body struct {
		Items []map[string]any `json:"items"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	if body.Items == nil {
		writeValidation(w, fieldError{"missing", []string{"body", "items"}, "Field required", nil})
		return
	}
	seen := map[string]bool{}
	for i, it := range body.Items {
		loc := []string{"body", "items", strconv.Itoa(i)}
		name, _ := it["name"].(string)
		switch {
		case strings.TrimSpace(name) == "":
			writeValidation(w, fieldError{"missing", append(loc, "name"), "Field required", nil})
			return
		case it["settings"] == nil:
			writeValidation(w, fieldError{"missing", append(loc, "settings"), "Field required", nil})
			return
		case seen[name]:
			writeValidation(w, fieldError{"value_error", append(loc, "name"), "Duplicate variable name " + name, name})
			return
		}
		seen[name] = true
		if st, ok := it["settings"].(map[string]any); ok {
			kept := map[string]any{}
			for _, k := range settingsKeys {
				if v, ok := st[k]; ok {
					kept[k] = v
				}
			}
			it["settings"] = kept
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lookupRiver(w, id) == nil {
		return
	}
	s.setRiverVars(id, body.Items)
	writeJSON(w, http.StatusOK, map[string]any{"items": body.Items})
}
