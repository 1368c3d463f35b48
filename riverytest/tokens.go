package riverytest

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// knownScopes are the scopes a token may be granted, with descriptions.
var knownScopes = []struct{ name, description string }{
	{string(rivery.ScopeMeList), "Read the token's own account and environment"},
	{string(rivery.ScopeRiverList), "List rivers, runs and logs"},
	{string(rivery.ScopeRiverExecute), "Run and cancel rivers"},
	{string(rivery.ScopeRiverEdit), "Edit, activate and disable rivers"},
	{string(rivery.ScopeRiverDelete), "Delete rivers"},
	{string(rivery.ScopeConnectionList), "List connections"},
	{string(rivery.ScopeConnectionEdit), "Edit connections"},
	{string(rivery.ScopeConnectionDelete), "Delete connections"},
	{"activity:list", "Read activities"},
	{"environment:list", "List environments"},
	{"team:list", "List teams"},
	{"operations:list", "Read operations"},
}

func knownScope(s rivery.Scope) bool {
	for _, k := range knownScopes {
		if k.name == string(s) {
			return true
		}
	}
	return false
}

func (s *Server) scopes(w http.ResponseWriter, _ *http.Request, _ *token) {
	out := make([]map[string]string, len(knownScopes))
	for i, k := range knownScopes {
		out[i] = map[string]string{"name": k.name, "description": k.description}
	}
	writeJSON(w, http.StatusOK, out)
}

func tokenJSON(t *token) map[string]any {
	scopes := t.Scopes
	if scopes == nil {
		scopes = []rivery.Scope{}
	}
	var last any
	if t.lastUsed != nil {
		last = t.lastUsed.Format(time.RFC3339)
	}
	return map[string]any{
		"token_id":     t.ID,
		"name":         t.Name,
		"scopes":       scopes,
		"created_at":   t.created.Format(time.RFC3339),
		"created_by":   t.createdBy,
		"last_used_at": last,
	}
}

// tokenByID finds a token; the caller holds s.mu.
func (s *Server) tokenByID(id string) *token {
	for _, t := range s.tokens {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.tokens))
	for _, t := range s.tokens {
		items = append(items, tokenJSON(t))
	}
	s.mu.Unlock()
	sort.Slice(items, func(i, j int) bool { return items[i]["token_id"].(string) < items[j]["token_id"].(string) })
	writePage(w, r, items)
}

func (s *Server) getToken(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokenByID(r.PathValue("token"))
	if t == nil {
		writeError(w, v1, http.StatusNotFound, "Token not found")
		return
	}
	writeJSON(w, http.StatusOK, tokenJSON(t))
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, caller *token) {
	var body struct {
		Name   string         `json:"name"`
		Scopes []rivery.Scope `json:"scopes"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	var bad []fieldError
	if strings.TrimSpace(body.Name) == "" {
		bad = append(bad, fieldError{"missing", []string{"body", "name"}, "Field required", nil})
	}
	if len(body.Scopes) == 0 {
		bad = append(bad, fieldError{"too_short", []string{"body", "scopes"}, "List should have at least 1 item", nil})
	}
	for _, sc := range body.Scopes {
		if !knownScope(sc) {
			bad = append(bad, fieldError{"enum", []string{"body", "scopes"}, "Unknown scope " + string(sc), sc})
		}
	}
	if len(bad) > 0 {
		writeValidation(w, bad...)
		return
	}
	s.mu.Lock()
	t := s.addToken(Token{Name: body.Name, Scopes: body.Scopes})
	created := s.tokens[t.Value]
	created.createdBy = caller.Name + "@example.com"
	out := tokenJSON(created)
	s.mu.Unlock()
	out["token"] = t.Value // shown this once
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokenByID(r.PathValue("token"))
	if t == nil {
		writeError(w, v1, http.StatusNotFound, "Token not found")
		return
	}
	delete(s.tokens, t.Value)
	w.WriteHeader(http.StatusNoContent)
}

// tokenRoute answers as the live API does when the server has no token
// routes (WithoutTokenRoutes), else calls h.
func (s *Server) tokenRoute(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		if s.noTokenRoutes {
			writeError(w, v1, http.StatusNotFound, "Not Found")
			return
		}
		h(w, r, t)
	}
}
