package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// AuditEventsService reads the environment's audit log: who created,
// changed or deleted which river, connection, group or user, and when.
// Get it from Client.AuditEvents. Its calls use the v1 API and need the
// audit:list scope.
type AuditEventsService service

// AuditEvent is one entry of the audit log, as GET E/audit_events lists it
// and GET E/audit_events/{id} answers it. Raw keeps the event as sent.
type AuditEvent struct {
	ID   string    // event_id
	Time time.Time // event_datetime, else event_time (epoch ms); zero when neither is readable
	// Type is what was done: "create", "update" or "delete" (event_type);
	// Name says it in full, e.g. "update:rivers:with_version" (event_name).
	Type, Name string
	Initiator  string // event_initiator, e.g. "UI"
	Status     int    // event_result_status: the HTTP status of the change
	// EntityType is what it was done to: "rivers", "connections",
	// "river_groups", "users" (entity_type); EntitySubtype refines it
	// (a river's type, e.g. "src_to_trgt").
	EntityType, EntitySubtype string
	EntityKey                 string // entity_logical_key: usually the thing's cross_id
	EntityName                string
	UserID, UserName          string
	// AdditionalInfo is the event's additional_info as JSON: the API sends
	// it as a JSON document inside a string, which is unwrapped; anything
	// else is kept as sent. Nil when absent.
	AdditionalInfo json.RawMessage
	Raw            json.RawMessage
}

// UnmarshalJSON reads an event.
func (e *AuditEvent) UnmarshalJSON(b []byte) error {
	var w wire.AuditEvent
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = AuditEvent{
		ID: string(w.EventID), Time: firstTime(w.EventDatetime.Time, w.EventTime.Time),
		Type: string(w.EventType), Name: string(w.EventName), Initiator: string(w.EventInitiator), Status: int(w.EventResultStatus),
		EntityType: string(w.EntityType), EntitySubtype: string(w.EntitySubtype), EntityKey: string(w.EntityLogicalKey), EntityName: string(w.EntityName),
		UserID: string(w.UserID), UserName: string(w.UserName),
		AdditionalInfo: unwrapJSON(w.AdditionalInfo),
		Raw:            append(json.RawMessage(nil), b...),
	}
	return nil
}

// unwrapJSON returns the JSON document a JSON string holds, or raw as it
// is when it holds none; nil for nothing or null.
func unwrapJSON(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var inner string
	if raw[0] == '"' && json.Unmarshal(raw, &inner) == nil && json.Valid([]byte(inner)) {
		return json.RawMessage(inner)
	}
	return append(json.RawMessage(nil), raw...)
}

// String describes the event without AdditionalInfo or Raw.
func (e AuditEvent) String() string {
	return fmt.Sprintf("AuditEvent{ID:%s Time:%s Name:%s Entity:%s %q User:%q}",
		e.ID, e.Time.UTC().Format(time.RFC3339), e.Name, e.EntityType, e.EntityName, e.UserName)
}

// GoString is String prefixed with the package name, for %#v.
func (e AuditEvent) GoString() string { return "rivery." + e.String() }

// Format prints String for every verb (GoString for %#v), never
// AdditionalInfo or Raw, which may hold what was changed.
func (e AuditEvent) Format(f fmt.State, verb rune) { formatRedacted(f, verb, e) }

// LogValue logs the typed fields, never AdditionalInfo or Raw.
func (e AuditEvent) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", e.ID), slog.String("name", e.Name), slog.String("entity_key", e.EntityKey), slog.String("user", e.UserName))
}

// MarshalJSON writes Raw with credential-named keys redacted (see
// Connection; additional_info stays a string as sent, checked as JSON), or,
// without Raw, the typed fields.
func (e AuditEvent) MarshalJSON() ([]byte, error) {
	if len(e.Raw) > 0 {
		return redactJSON(redactInfo(e.Raw)), nil
	}
	return json.Marshal(map[string]any{"event_id": e.ID, "event_name": e.Name, "entity_type": e.EntityType, "entity_logical_key": e.EntityKey})
}

// redactInfo redacts the credentials of the JSON document additional_info
// holds inside a string (redactJSON sees only a string there).
func redactInfo(raw json.RawMessage) json.RawMessage {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return raw
	}
	info := fields["additional_info"]
	var inner string
	if len(info) == 0 || info[0] != '"' || json.Unmarshal(info, &inner) != nil || !json.Valid([]byte(inner)) {
		return raw
	}
	b, err := json.Marshal(string(redactJSON(json.RawMessage(inner))))
	if err != nil {
		return raw
	}
	fields["additional_info"] = b
	out, err := json.Marshal(fields)
	if err != nil {
		return raw
	}
	return out
}

// AuditEventsOptions filters Rivery's audit log. Every field is optional;
// the server pages by an opaque cursor (next_page), so there is no page
// number.
type AuditEventsOptions struct {
	// Start and End bound the events' times, sent in UTC as
	// yyyy-mm-ddThh:mm:ss (start_time, end_time). An End without a Start
	// means the day before it.
	Start, End time.Time
	// UserIDs, EventTypes ("create", "update", "delete") and EntityTypes
	// ("rivers", "connections", "river_groups", "users") keep events
	// matching any of theirs (user_id, event_type, entity_type, each
	// repeated).
	UserIDs, EventTypes, EntityTypes []string
	// EntityKey keeps the events of one thing (entity_logical_key, usually
	// its cross_id).
	EntityKey string
}

func (o *AuditEventsOptions) query() (url.Values, error) {
	if o == nil {
		return nil, nil
	}
	if !o.Start.IsZero() && !o.End.IsZero() && o.End.Before(o.Start) {
		return nil, fmt.Errorf("%w: audit events End %s is before Start %s", ErrInvalidArgument,
			o.End.UTC().Format(time.RFC3339), o.Start.UTC().Format(time.RFC3339))
	}
	v := url.Values{}
	w := Window{o.Start, o.End}.whole()
	if !o.Start.IsZero() {
		v.Set("start_time", w.Start.UTC().Format(windowLayout))
	}
	if !o.End.IsZero() {
		v.Set("end_time", w.End.UTC().Format(windowLayout))
	}
	for _, f := range []struct {
		key    string
		values []string
	}{{"user_id", o.UserIDs}, {"event_type", o.EventTypes}, {"entity_type", o.EntityTypes}, {"entity_logical_key", []string{o.EntityKey}}} {
		for _, s := range f.values {
			switch {
			case s == "":
				continue
			case hasControl(s):
				return nil, fmt.Errorf("%w: audit filter %s %q contains control characters", ErrInvalidArgument, f.key, s)
			}
			v.Add(f.key, s)
		}
	}
	return v, nil
}

// List returns the first page of audit events that match opts, newest
// first: GET E/audit_events. The Response's NextPage is the URL of the
// next page (an opaque cursor); All follows it.
func (s *AuditEventsService) List(ctx context.Context, opts *AuditEventsOptions) ([]*AuditEvent, *Response, error) {
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	events, resp, _, err := s.page(ctx, s.client.envURL(sc, "audit_events"), q)
	return events, resp, err
}

// All iterates over every audit event that matches opts, page after page
// (GET E/audit_events, then each next_page as the server gives it). An
// answer that pages by next_token instead (the console's fixtures show
// one) cannot be followed, since how the token goes back is not known: the
// iterator yields that page's events and then an error saying so, rather
// than stopping as if they were all.
func (s *AuditEventsService) All(ctx context.Context, opts *AuditEventsOptions) iter.Seq2[*AuditEvent, error] {
	var o *AuditEventsOptions
	if opts != nil {
		cp := *opts
		o = &cp
	}
	start := func() (string, any, error) {
		q, err := o.query()
		if err != nil {
			return "", nil, err
		}
		sc, err := s.client.v1Scope(ctx)
		if err != nil {
			return "", nil, err
		}
		return s.client.envURL(sc, "audit_events"), q, nil
	}
	return func(yield func(*AuditEvent, error) bool) {
		var token string // the last page's next_token, when it named no next_page
		fetch := func(ctx context.Context, u string, q any) ([]*AuditEvent, *Response, error) {
			events, resp, tok, err := s.page(ctx, u, q)
			token = ""
			if err == nil && resp.NextPage == "" && len(events) > 0 {
				token = tok
			}
			return events, resp, err
		}
		for e, err := range lazyPages(ctx, s.client, start, fetch) {
			if !yield(e, err) {
				return
			}
		}
		if token != "" {
			yield(nil, fmt.Errorf("rivery: the audit events answer pages by next_token %q, which the SDK does not know how to send back: "+
				"the events after it were not read", clip(safeText(token), maxMessage)))
		}
	}
}

// page fetches one page of events at u, with the answer's next_token.
func (s *AuditEventsService) page(ctx context.Context, u string, q any) ([]*AuditEvent, *Response, string, error) {
	var page wire.AuditPage[*AuditEvent]
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, query: q, out: &page, limit: limitPage})
	if err != nil {
		return nil, resp, "", err
	}
	setPaging(resp, &page.Envelope)
	return dropNil(page.Items), resp, string(page.NextToken), nil
}

// Get returns one audit event: GET E/audit_events/{eventID}.
func (s *AuditEventsService) Get(ctx context.Context, eventID string) (*AuditEvent, *Response, error) {
	if err := validateID("audit event ID", eventID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return getOne[AuditEvent](ctx, s.client, s.client.envURL(sc, "audit_events", eventID))
}
