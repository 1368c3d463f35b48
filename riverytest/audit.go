package riverytest

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Routes of the audit log.
const (
	RouteAuditEvents Route = "audit_events" // GET E/audit_events
	RouteAuditEvent  Route = "audit_event"  // GET E/audit_events/{id}
)

// AuditEventsPageSize is how many events a page of the audit log holds;
// the next page is named by an opaque cursor in next_page.
const AuditEventsPageSize = 20

// AuditEvent is an entry of the fake's audit log. The server adds one for
// each connection it creates, changes or deletes and each river it
// deletes; WithAuditEvent seeds more.
type AuditEvent struct {
	ID             string    // 32 hex digits; generated when empty
	Time           time.Time // now when zero
	Type           string    // "create", "update" or "delete"
	EntityType     string    // "rivers", "connections", "users", ...
	EntitySubtype  string    // e.g. a river's "src_to_trgt"
	EntityKey      string    // the thing's ID (entity_logical_key)
	EntityName     string
	UserID         string
	UserName       string
	AdditionalInfo string // a JSON document, sent inside a string; "{}" when empty
}

// WithAuditEvent seeds an entry of the audit log.
func WithAuditEvent(e AuditEvent) Option {
	return func(s *Server) { s.addAudit(e) }
}

// AuditEvents returns the audit log, oldest first.
func (s *Server) AuditEvents() []AuditEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.audit)
}

// addAudit appends e with defaults filled in; the caller holds s.mu.
func (s *Server) addAudit(e AuditEvent) {
	s.seq++
	if e.ID == "" {
		e.ID = fmt.Sprintf("%032x", 0xe000+s.seq)
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if e.AdditionalInfo == "" {
		e.AdditionalInfo = "{}"
	}
	s.audit = append(s.audit, e)
}

// recordAudit logs a change the token t made; the caller holds s.mu.
func (s *Server) recordAudit(t *token, typ, entityType, subtype, key, name string) {
	e := AuditEvent{Type: typ, EntityType: entityType, EntitySubtype: subtype, EntityKey: key, EntityName: name}
	if t != nil {
		e.UserID, e.UserName = t.ID, t.Name
	}
	s.addAudit(e)
}

// auditJSON is an event in the console fixtures' shape: event_datetime
// with a space, additional_info a JSON document inside a string.
func (s *Server) auditJSON(e AuditEvent, env string) map[string]any {
	out := map[string]any{
		"event_id": e.ID, "account": s.AccountID, "env_id": env, "additional_info": e.AdditionalInfo,
		"entity_logical_key": e.EntityKey, "entity_name": e.EntityName, "entity_type": e.EntityType,
		"event_datetime": e.Time.UTC().Format("2006-01-02 15:04:05.000000"), "event_time": e.Time.UnixMilli(),
		"event_initiator": "API", "event_name": e.Type + ":" + e.EntityType, "event_result_status": 200,
		"event_type": e.Type, "user_id": e.UserID, "user_name": e.UserName,
	}
	if e.EntitySubtype != "" {
		out["entity_subtype"] = e.EntitySubtype
	}
	return out
}

// auditTime reads start_time or end_time as the reference documents them.
func auditTime(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", v)
}

// listAuditEvents answers the log newest first, filtered as the reference
// documents (an end_time without start_time means the day before it), in
// pages of AuditEventsPageSize named by a cursor; the envelope is
// {next_page, previous_page, items}.
func (s *Server) listAuditEvents(w http.ResponseWriter, r *http.Request, _ *token) {
	q := r.URL.Query()
	var from, to time.Time
	for _, f := range []struct {
		key string
		t   *time.Time
	}{{"start_time", &from}, {"end_time", &to}} {
		if v := q.Get(f.key); v != "" {
			t, err := auditTime(v)
			if err != nil {
				writeValidation(w, fieldError{"datetime_from_date_parsing", []string{"query", f.key}, "Input should be a valid datetime", v})
				return
			}
			*f.t = t
		}
	}
	if from.IsZero() && !to.IsZero() {
		from = to.Add(-24 * time.Hour)
	}
	match := func(key, v string) bool { return len(q[key]) == 0 || slices.Contains(q[key], v) }
	s.mu.Lock()
	var items []map[string]any
	for i := len(s.audit) - 1; i >= 0; i-- {
		e := s.audit[i]
		t := e.Time.UTC().Truncate(time.Second)
		switch {
		case !from.IsZero() && t.Before(from), !to.IsZero() && t.After(to):
		case !match("user_id", e.UserID), !match("event_type", e.Type), !match("entity_type", e.EntityType), !match("entity_logical_key", e.EntityKey):
		default:
			items = append(items, s.auditJSON(e, r.PathValue("env")))
		}
	}
	s.mu.Unlock()
	start, _ := cursorStart(r, "cursor", "cursor")
	start = min(start, len(items))
	end := min(start+AuditEventsPageSize, len(items))
	next, prev := cursorLinks(r, start, end, len(items), AuditEventsPageSize, "cursor", "cursor")
	writeJSON(w, http.StatusOK, map[string]any{"items": append([]map[string]any{}, items[start:end]...), "next_page": next, "previous_page": prev})
}

func (s *Server) getAuditEvent(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("event")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.audit {
		if s.audit[i].ID == id {
			writeJSON(w, http.StatusOK, s.auditJSON(s.audit[i], r.PathValue("env")))
			return
		}
	}
	writeError(w, v1, http.StatusNotFound, "Audit event "+id+" not found")
}
