package riverytest

import (
	"maps"
	"net/http"
	"time"

	"github.com/rivery-go/rivery"
)

// The CDC routes.
const (
	RouteCDCConfig       Route = "cdc_config"        // GET E/rivers/{id}/cdc_config
	RouteSetCDCConfig    Route = "set_cdc_config"    // POST E/rivers/{id}/cdc_config
	RouteDeleteCDCConfig Route = "delete_cdc_config" // DELETE E/rivers/{id}/cdc_config
	RouteEnableCDC       Route = "enable_cdc"        // POST E/rivers/{id}/enable_cdc
	RouteDisableCDC      Route = "disable_cdc"       // POST E/rivers/{id}/disable_cdc
)

// CDC is a river's change data capture state.
type CDC struct {
	RiverID string
	// Enabled says the river reads the database log: enable_cdc answers
	// 204, and cdc_config can be read.
	Enabled bool
	// Config is the river's position (the "config" object without
	// last_updated, which the server sets); nil until one is set.
	Config map[string]any

	updated time.Time
}

// WithCDC seeds a river's CDC state (the river is seeded on its own).
func WithCDC(c CDC) Option {
	return func(s *Server) { s.setCDC(c) }
}

func (s *Server) setCDC(c CDC) {
	if s.pf.cdc == nil {
		s.pf.cdc = map[string]*CDC{}
	}
	c.Config = maps.Clone(c.Config)
	if c.Config != nil {
		c.updated = time.Now().UTC()
	}
	s.pf.cdc[c.RiverID] = &c
}

// CDCState returns a river's CDC state as the server holds it.
func (s *Server) CDCState(riverID string) CDC {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.pf.cdc[riverID]
	if !ok {
		return CDC{RiverID: riverID}
	}
	out := *c
	out.Config = maps.Clone(c.Config)
	return out
}

// cdcOf returns the state of a known river, or answers 404; s.mu held.
func (s *Server) cdcOf(w http.ResponseWriter, r *http.Request) (*CDC, bool) {
	id := r.PathValue("river")
	if _, ok := s.rivers[id]; !ok {
		writeError(w, v1, http.StatusNotFound, "Data Flow "+id+" not found")
		return nil, false
	}
	if s.pf.cdc[id] == nil {
		s.setCDC(CDC{RiverID: id})
	}
	return s.pf.cdc[id], true
}

func (s *Server) cdcRoutes(mux *http.ServeMux) {
	read := []rivery.Scope{rivery.ScopeRiverList}
	edit := []rivery.Scope{rivery.ScopeRiverEdit, rivery.ScopeRiverWrite}
	s.handle(mux, "GET "+envPrefix+"/rivers/{river}/cdc_config", RouteCDCConfig, v1, read, s.getCDCConfig)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/cdc_config", RouteSetCDCConfig, v1, edit, s.setCDCConfig)
	s.handle(mux, "DELETE "+envPrefix+"/rivers/{river}/cdc_config", RouteDeleteCDCConfig, v1, edit, s.deleteCDCConfig)
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/enable_cdc", RouteEnableCDC, v1, edit, s.toggleCDC(true))
	s.handle(mux, "POST "+envPrefix+"/rivers/{river}/disable_cdc", RouteDisableCDC, v1, edit, s.toggleCDC(false))
}

// getCDCConfig answers {"config": {...}}, or 400 as the live API does
// while the log is off or before the connector read any change.
func (s *Server) getCDCConfig(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cdcOf(w, r)
	switch {
	case !ok:
	case !c.Enabled:
		writeError(w, v1, http.StatusBadRequest, "Enable log is off for data flow cross id: "+c.RiverID)
	case c.Config == nil:
		writeError(w, v1, http.StatusBadRequest, "Failed to get the CDC position: the CDC connector has not retrieved any changes. A position will become available as soon as changes occur.")
	default:
		cfg := maps.Clone(c.Config)
		cfg["last_updated"] = c.updated.Format("2006-01-02T15:04:05.000000")
		writeJSON(w, http.StatusOK, map[string]any{"config": cfg})
	}
}

// setCDCConfig stores {"config": {...}} and answers 200 null, without
// checking the fields or the log, as the live API does.
func (s *Server) setCDCConfig(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		Config map[string]any `json:"config"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	if body.Config == nil {
		writeValidation(w, fieldError{"missing", []string{"body", "config"}, "Field required", nil})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cdcOf(w, r)
	if !ok {
		return
	}
	delete(body.Config, "last_updated")
	c.Config, c.updated = body.Config, time.Now().UTC()
	writeJSON(w, http.StatusOK, nil)
}

// deleteCDCConfig clears the position and answers 200 null.
func (s *Server) deleteCDCConfig(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cdcOf(w, r); ok {
		c.Config = nil
		writeJSON(w, http.StatusOK, nil)
	}
}

// toggleCDC answers 204 when the log already is in that state, else 202
// with an operation that changes it when it ends D.
func (s *Server) toggleCDC(enable bool) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		s.mu.Lock()
		defer s.mu.Unlock()
		c, ok := s.cdcOf(w, r)
		if !ok {
			return
		}
		if c.Enabled == enable {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		kind, result := "disable_cdc", any(map[string]any{"response": []any{}})
		if enable {
			kind = "enable"
			result = map[string]any{"response": []any{map[string]any{
				"river_id": c.RiverID, "datasource_id": "mysql", "last_state": "DONE", "is_cdc": true, "log_enabled": nil,
				"states": map[string]any{"VALIDATE_LOG": map[string]any{"state": "DONE", "timestamp": float64(time.Now().UnixMilli()) + 0.25}},
			}}}
		}
		s.startOp(w, kind, result, "", func() { c.Enabled = enable })
	}
}
