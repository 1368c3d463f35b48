package riverytest

import (
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
	return append([]Environment{{ID: s.EnvironmentID, Name: DefaultEnvironmentName}}, s.envs...)
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
	_, known := s.findEnvironment(env)
	s.mu.Unlock()
	switch {
	case !known:
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
	def := "False"
	if e.ID == s.EnvironmentID {
		def = "True"
	}
	return map[string]any{
		"_id": e.ID, "cross_id": e.ID, "account": s.AccountID, "environment_name": e.Name, "description": e.Description,
		"color": "Gray", "variables": map[string]string{"days_ago": "0"}, "is_deleted": "False", "is_default": def,
		"user_created": nil, "created_at": "2026-01-05T09:30:00.000Z", "updated_at": "2026-01-05T09:30:00.000000",
		"deleted_by": nil, "deleted_at": nil,
	}
}

func (s *Server) listEnvironments(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	envs := s.environments()
	s.mu.Unlock()
	items := make([]map[string]any, len(envs))
	for i, e := range envs {
		items[i] = s.environmentJSON(e)
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
