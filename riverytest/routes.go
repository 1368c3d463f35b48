package riverytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// family is an API family, which decides the error body style.
type family int

const (
	console family = iota
	v1
	platform // the Boomi platform: no bearer token; handlers authenticate
)

// handler serves one endpoint for an authenticated token; the caller holds
// no lock.
type handler func(w http.ResponseWriter, r *http.Request, t *token)

const (
	envPrefix     = "/v1/accounts/{account}/environments/{env}"
	accountPrefix = "/v1/accounts/{account}"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	anyToken := []rivery.Scope(nil)
	read := []rivery.Scope{rivery.ScopeRiverList}
	readOrRun := []rivery.Scope{rivery.ScopeRiverList, rivery.ScopeRiverExecute}
	execute := []rivery.Scope{rivery.ScopeRiverExecute}
	edit := []rivery.Scope{rivery.ScopeRiverEdit}
	ops := []rivery.Scope{"operations:list", rivery.ScopeRiverEdit}
	envList := []rivery.Scope{"environment:list"}

	s.handle(mux, "GET /api/me", RouteMe, console, anyToken, s.me)
	s.handle(mux, "POST /api/run", RouteRun, console, execute, s.consoleRun)
	s.handle(mux, "GET /api/check_run", RouteRunStatus, console, readOrRun, s.consoleCheckRun)
	s.handle(mux, "POST /api/run/cancel", RouteCancelRun, console, execute, s.consoleCancel)
	s.handle(mux, "GET /api/rivers", RouteRivers, console, read, s.consoleRivers)
	s.handle(mux, "GET /api/rivers/{river}", RouteRiver, console, read, s.consoleRiver)

	s.handle(mux, "GET "+envPrefix+"/rivers", RouteRivers, v1, read, s.v1Rivers)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}", RouteRiver, v1, read, s.v1River)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/run", RouteRun, v1, execute, s.v1Run)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/sub_rivers/{sub}/run", RouteRunSubRiver, v1, execute, s.v1Run)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs", RouteRuns, v1, read, s.v1Runs)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}", RouteRunStatus, v1, readOrRun, s.v1RunStatus)
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/runs/{run}/logs", RouteLogs, v1, read, s.v1Logs)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/cancel_run", RouteCancelRun, v1, execute, s.v1Cancel)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/activate_river", RouteActivate, v1, edit, s.v1Activate(true))
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/disable_river", RouteDisable, v1, edit, s.v1Activate(false))
	s.handle(mux, "GET "+envPrefix+"/operations/{op}", RouteOperation, v1, ops, s.v1Operation)

	s.handle(mux, "GET "+accountPrefix+"/tokens", RouteTokens, v1, nil, s.tokenRoute(s.adminOnly(s.listTokens)))
	s.handle(mux, "POST "+accountPrefix+"/tokens", RouteCreateToken, v1, nil, s.tokenRoute(s.adminOnly(s.createToken)))
	s.handle(mux, "GET "+accountPrefix+"/tokens/{token}", RouteToken, v1, nil, s.tokenRoute(s.adminOnly(s.getToken)))
	s.handle(mux, "DELETE "+accountPrefix+"/tokens/{token}", RouteDeleteToken, v1, nil, s.tokenRoute(s.adminOnly(s.deleteToken)))
	s.handle(mux, "GET /v1/scopes", RouteScopes, v1, anyToken, s.tokenRoute(s.scopes))

	s.handle(mux, "GET "+accountPrefix+"/environments", RouteEnvironments, v1, envList, s.listEnvironments)
	s.handle(mux, "GET "+accountPrefix+"/environments/{environment}", RouteEnvironment, v1, envList, s.getEnvironment)
	s.handle(mux, "GET /auth/jwt/generate/{boomiAccount}", RouteBoomiExchange, platform, nil, s.boomiExchange)

	s.activityRoutes(mux)
	s.manageRoutes(mux)
	s.adminRoutes(mux)
	s.platformRoutes(mux)

	s.handle(mux, "/", RouteUnknown, v1, anyToken, func(w http.ResponseWriter, _ *http.Request, _ *token) {
		writeError(w, v1, http.StatusNotFound, "Not Found")
	})
	return mux
}

// handle registers h behind recording, fault injection, authentication
// and the scope check.
func (s *Server) handle(mux *http.ServeMux, pattern string, route Route, fam family, scopes []rivery.Scope, h handler) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		tok := s.record(route, r, body)
		if tok != nil && fam != platform {
			if wait := s.admit(tok.ID, time.Now()); wait > 0 {
				tooMany(w, fam, wait, "the token's requests a minute are used up")
				return
			}
		}
		serve := func(w http.ResponseWriter) { s.serve(w, r, fam, scopes, h, tok) }
		if on, n := s.drifting(); on {
			plain := serve
			serve = func(w http.ResponseWriter) { serveDrifted(w, n, plain) }
		}

		f := s.takeFault(route)
		if f == nil {
			serve(w)
			return
		}
		if !s.hold(r, f) {
			return
		}
		if f.Truncate {
			rec := httptest.NewRecorder()
			serve(rec)
			truncate(w, rec)
			return
		}
		if f.Status == 0 && !f.CloseConnection {
			serve(w)
			return
		}
		if f.Apply {
			serve(httptest.NewRecorder())
		}
		if f.CloseConnection {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // closes the connection all the same
		}
		for k, vs := range f.Header {
			w.Header()[k] = vs
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.Body != "" {
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		writeError(w, fam, f.Status, http.StatusText(f.Status))
	})
}

// truncate writes rec's status and headers with its full Content-Length,
// then half its body, and closes the connection.
func truncate(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	body := rec.Body.Bytes()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	rec.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_ = rec.Header().Write(buf)
	_, _ = buf.WriteString("\r\n")
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
}

// serve authenticates, checks scopes and calls h.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, fam family, scopes []rivery.Scope, h handler, tok *token) {
	if fam == platform {
		h(w, r, nil) // authenticates on its own
		return
	}
	if tok == nil {
		msg := "Not authenticated"
		if fam == console {
			msg = "Unauthorized: invalid or expired token"
		}
		writeError(w, fam, http.StatusUnauthorized, msg)
		return
	}
	if !tok.can(scopes) {
		writeError(w, fam, http.StatusForbidden, "The token lacks the scope this endpoint needs: "+scopeList(scopes))
		return
	}
	if acc := r.PathValue("account"); acc != "" && acc != s.AccountID {
		writeError(w, fam, http.StatusNotFound, "Account "+acc+" not found")
		return
	}
	if env := r.PathValue("env"); env != "" {
		if status, msg := s.environmentAccess(env, tok); status != 0 {
			writeError(w, fam, status, msg)
			return
		}
	}
	h(w, r, tok)
}

// record keeps the request (with Authorization redacted) and returns the
// token it carried, if that token is valid.
func (s *Server) record(route Route, r *http.Request, body []byte) *token {
	h := r.Header.Clone()
	if h.Get("Authorization") != "" {
		h.Set("Authorization", "[redacted]")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	value, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	tok := s.tokenFor(value)
	id := ""
	if ok && tok != nil {
		id = tok.ID
		now := time.Now().UTC()
		tok.lastUsed = &now
	} else {
		tok = nil
	}
	s.requests = append(s.requests, Request{route, r.Method, r.URL.Path, r.URL.RawQuery, h, body, id})
	if tok == nil {
		return nil
	}
	cp := *tok // handlers read a snapshot
	return &cp
}

func (s *Server) adminOnly(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		if !t.Admin {
			writeError(w, v1, http.StatusForbidden, "Only account admins can manage API tokens")
			return
		}
		h(w, r, t)
	}
}

func scopeList(scopes []rivery.Scope) string {
	names := make([]string, len(scopes))
	for i, sc := range scopes {
		names[i] = string(sc)
	}
	return strings.Join(names, " or ")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in the family's error style: the console's
// {"message"} or v1's {"detail"}.
func writeError(w http.ResponseWriter, fam family, status int, msg string) {
	if fam == console {
		writeJSON(w, status, map[string]string{"message": msg})
		return
	}
	writeJSON(w, status, map[string]string{"detail": msg})
}

// writeValidation answers 422 with a FastAPI validation list.
func writeValidation(w http.ResponseWriter, items ...fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": items})
}

type fieldError struct {
	Type  string   `json:"type"`
	Loc   []string `json:"loc"`
	Msg   string   `json:"msg"`
	Input any      `json:"input"`
}

// decodeBody reads a JSON request body into v, answering 400 (console) or
// 422 (v1) when it is not valid.
func decodeBody(w http.ResponseWriter, r *http.Request, fam family, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		if fam == console {
			writeError(w, console, http.StatusBadRequest, "Invalid JSON body")
		} else {
			writeValidation(w, fieldError{"json_invalid", []string{"body"}, "Invalid JSON", nil})
		}
		return false
	}
	return true
}
