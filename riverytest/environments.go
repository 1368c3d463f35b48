package riverytest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
)

// The routes of environments and of the Boomi platform sign-in.
const (
	RouteEnvironments  Route = "environments"   // GET A/environments
	RouteEnvironment   Route = "environment"    // GET A/environments/{id}
	RouteBoomiExchange Route = "boomi_exchange" // GET /auth/jwt/generate/{boomi account}
)

// The routes of environment writes.
const (
	RouteCreateEnvironment Route = "create_environment" // POST A/environments
	RouteUpdateEnvironment Route = "update_environment" // PUT A/environments/{id}
	RouteDeleteEnvironment Route = "delete_environment" // DELETE A/environments/{id}
)

// DefaultEnvironmentName is the name of the environment a Server is made
// with (Server.EnvironmentID).
const DefaultEnvironmentName = "Production"

// Environment is an environment of the server's account besides the one it
// starts with. Every environment holds the same rivers and runs: the fake
// tells environments apart only by their IDs, names and token grants.
type Environment struct {
	ID          string // 24 hex digits; generated when empty
	Name        string // "environment-N" when empty
	Description string
	Color       string // "Gray" when empty
	// Deleted marks an environment deleted: it stays readable (GET
	// A/environments/{id}, and the list with include_deleted=true), as on
	// the live API, and calls inside it get 404.
	Deleted bool
}

// WithEnvironment adds an environment to the account (see AddEnvironment).
func WithEnvironment(e Environment) Option {
	return func(s *Server) { s.addEnvironment(e) }
}

// AddEnvironment adds an environment to the account and returns it with
// defaults filled in. A token whose Environments leave it out gets 403 on
// every call inside it.
func (s *Server) AddEnvironment(e Environment) Environment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addEnvironment(e)
}

func (s *Server) addEnvironment(e Environment) Environment {
	s.seq++
	if e.ID == "" {
		e.ID = fmt.Sprintf("64%022x", s.seq)
	}
	if e.Name == "" {
		e.Name = fmt.Sprintf("environment-%d", s.seq)
	}
	s.envs = append(s.envs, e)
	return e
}

// environments lists the account's environments, the first one first; the
// caller holds s.mu.
func (s *Server) environments() []Environment {
	first := Environment{ID: s.EnvironmentID, Name: DefaultEnvironmentName}
	if s.firstEnv != nil {
		first = *s.firstEnv
		first.ID = s.EnvironmentID
	}
	return append([]Environment{first}, s.envs...)
}

// environmentRef returns the stored environment with id, to change it; the
// caller holds s.mu.
func (s *Server) environmentRef(id string) *Environment {
	if id == s.EnvironmentID {
		if s.firstEnv == nil {
			s.firstEnv = &Environment{ID: id, Name: DefaultEnvironmentName}
		}
		return s.firstEnv
	}
	for i := range s.envs {
		if s.envs[i].ID == id {
			return &s.envs[i]
		}
	}
	return nil
}

// findEnvironment returns the environment with id; the caller holds s.mu.
func (s *Server) findEnvironment(id string) (Environment, bool) {
	for _, e := range s.environments() {
		if e.ID == id {
			return e, true
		}
	}
	return Environment{}, false
}

// environmentAccess checks a call inside env: 404 for an unknown
// environment, 403 for a token not granted there, 0 when it may go on.
func (s *Server) environmentAccess(env string, tok *token) (int, string) {
	s.mu.Lock()
	e, known := s.findEnvironment(env)
	s.mu.Unlock()
	switch {
	case !known, e.Deleted:
		return http.StatusNotFound, "Environment " + env + " not found"
	case len(tok.Environments) > 0 && !slices.Contains(tok.Environments, env):
		return http.StatusForbidden, "The token is not granted access to this environment"
	}
	return 0, ""
}

// environmentJSON is an environment in the shape of Boomi's reference:
// is_deleted and is_default as the strings "False" and "True", created_at
// with a zone, updated_at without, variables with string values.
func (s *Server) environmentJSON(e Environment) map[string]any {
	def, deleted, color := "False", "False", e.Color
	if e.ID == s.EnvironmentID {
		def = "True"
	}
	if e.Deleted {
		deleted = "True"
	}
	if color == "" {
		color = "Gray"
	}
	return map[string]any{
		"_id": e.ID, "cross_id": e.ID, "account": s.AccountID, "environment_name": e.Name, "description": e.Description,
		"color": color, "variables": map[string]string{"days_ago": "0"}, "is_deleted": deleted, "is_default": def,
		"user_created": nil, "created_at": "2026-01-05T09:30:00.000Z", "updated_at": "2026-01-05T09:30:00.000000",
		"deleted_by": nil, "deleted_at": nil,
	}
}

func (s *Server) listEnvironments(w http.ResponseWriter, r *http.Request, _ *token) {
	withDeleted := r.URL.Query().Get("include_deleted") == "true"
	s.mu.Lock()
	envs := s.environments()
	s.mu.Unlock()
	items := make([]map[string]any, 0, len(envs))
	for _, e := range envs {
		if !e.Deleted || withDeleted {
			items = append(items, s.environmentJSON(e))
		}
	}
	writePage(w, r, items)
}

func (s *Server) getEnvironment(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	e, ok := s.findEnvironment(r.PathValue("environment"))
	s.mu.Unlock()
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Environment not found")
		return
	}
	writeJSON(w, http.StatusOK, s.environmentJSON(e))
}

// createEnvironment adds an environment from {"name", "color",
// "description", "is_default"}. No source shows the live answer; the fake
// answers 200 with the environment in the list's shape.
func (s *Server) createEnvironment(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		Name        *string `json:"name"`
		Color       string  `json:"color"`
		Description string  `json:"description"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	if body.Name == nil || *body.Name == "" {
		writeValidation(w, fieldError{"missing", []string{"body", "name"}, "Field required", nil})
		return
	}
	s.mu.Lock()
	e := s.addEnvironment(Environment{Name: *body.Name, Color: body.Color, Description: body.Description})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.environmentJSON(e))
}

// updateEnvironment changes the fields sent ({"environment_name", "color",
// "description"}, as Boomi's tooling and the console send them; "name", as
// Rivery's Terraform provider sends it, is taken too).
func (s *Server) updateEnvironment(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		EnvironmentName, Name, Color, Description string
	}
	var raw map[string]any
	if !decodeBody(w, r, v1, &raw) {
		return
	}
	str := func(k string) string { v, _ := raw[k].(string); return v }
	body.EnvironmentName, body.Name, body.Color, body.Description = str("environment_name"), str("name"), str("color"), str("description")
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.environmentRef(r.PathValue("environment"))
	if e == nil || e.Deleted {
		writeError(w, v1, http.StatusNotFound, "Environment not found")
		return
	}
	if n := cmp.Or(body.EnvironmentName, body.Name); n != "" {
		e.Name = n
	}
	if body.Color != "" {
		e.Color = body.Color
	}
	if _, ok := raw["description"]; ok {
		e.Description = body.Description
	}
	writeJSON(w, http.StatusOK, s.environmentJSON(*e))
}

// deleteEnvironment marks an environment deleted and answers an operation
// (W, then R, then D when polled through E/operations/{id}), as the
// console reads the answer. A second delete of a deleted environment
// answers 500, as Rivery's Terraform provider saw.
func (s *Server) deleteEnvironment(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("environment")
	e := s.environmentRef(id)
	switch {
	case e == nil:
		writeError(w, v1, http.StatusNotFound, "Environment "+id+" not found")
		return
	case e.Deleted:
		writeError(w, v1, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	e.Deleted = true
	s.startOp(w, "delete_environment", nil, "", nil)
}
