package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestAuditEventsQueryAndCursor(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	u := v1Env + "/audit_events"
	mock.RegisterResponder(http.MethodGet, u, func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("cursor") != "" {
			return rec.reply(200, fixture(t, "v1_audit_events_page2.json"))(r)
		}
		return rec.reply(200, fixture(t, "v1_audit_events_page1.json"))(r)
	})
	opts := &rivery.AuditEventsOptions{
		Start: time.Date(2026, 3, 1, 0, 0, 0, 500, time.UTC), End: time.Date(2026, 3, 14, 23, 59, 59, 1, time.UTC),
		UserIDs: []string{"61e0aa00000000000000beef"}, EventTypes: []string{"update", "delete"}, EntityTypes: []string{"rivers"}, EntityKey: riverID,
	}
	var got []*rivery.AuditEvent
	for e, err := range c.AuditEvents.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	reqs := rec.all()
	if len(got) != 3 || len(reqs) != 2 {
		t.Fatalf("%d events in %d requests", len(got), len(reqs))
	}
	first, _ := url.Parse(reqs[0].URL)
	want := url.Values{"start_time": {"2026-03-01T00:00:00"}, "end_time": {"2026-03-15T00:00:00"}, "user_id": {"61e0aa00000000000000beef"},
		"event_type": {"update", "delete"}, "entity_type": {"rivers"}, "entity_logical_key": {riverID}}
	if first.Query().Encode() != want.Encode() || first.Path != strings.TrimPrefix(u, "https://api.rivery.io") {
		t.Errorf("first request %s, want query %s", reqs[0].URL, want.Encode())
	}
	if !strings.HasSuffix(reqs[1].URL, "/audit_events?cursor=gAAAAABqZ2") {
		t.Errorf("the cursor was not followed as given: %s", reqs[1].URL)
	}
	checkHeaders(t, reqs[0], false)
	e := got[0]
	if e.ID != "4c1f7e2a9b3d45e6a8c0d1f2e3b4a596" || !e.Time.Equal(time.Date(2026, 3, 14, 6, 30, 12, 481000000, time.UTC)) || e.Type != "update" ||
		e.Name != "update:rivers:with_version" || e.Initiator != "UI" || e.Status != 200 || e.EntityType != "rivers" || e.EntitySubtype != "src_to_trgt" ||
		e.EntityKey != riverID || e.EntityName != "orders nightly" || e.UserID != "61e0aa00000000000000beef" || e.UserName != "Dana Levi" {
		t.Errorf("first = %+v", e)
	}
	if string(e.AdditionalInfo) != `{"version_id": "6a1d00000000000000000042", "password": "audit-pw-secret"}` {
		t.Errorf("AdditionalInfo = %s", e.AdditionalInfo)
	}
	// An unreadable event_datetime falls back to event_time; "201" is a number.
	if e := got[1]; !e.Time.Equal(time.UnixMilli(1773400000000)) || e.Status != 201 || e.UserName != "" {
		t.Errorf("second = %+v", e)
	}
	if e := got[2]; !e.Time.Equal(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)) || string(e.AdditionalInfo) != `{"version_id": null}` {
		t.Errorf("third = %+v", e)
	}
	// One page.
	events, resp, err := c.AuditEvents.List(context.Background(), nil)
	if err != nil || len(events) != 2 || !strings.Contains(resp.NextPage, "cursor=") {
		t.Errorf("List = %v %+v %v", events, resp, err)
	}
	if last := rec.all()[2]; last.URL != u {
		t.Errorf("List without options sent %s", last.URL)
	}
}

// A page that names next_token but no next_page cannot be followed: the
// iterator says so after the page's events instead of ending quietly.
func TestAuditEventsNextTokenIsAnError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/audit_events", rec.reply(200, fixture(t, "v1_audit_events_token.json")))
	var ids []string
	var last error
	for e, err := range c.AuditEvents.All(context.Background(), nil) {
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, e.ID)
	}
	if len(ids) != 1 || last == nil || !strings.Contains(last.Error(), "next_token") || len(rec.all()) != 1 {
		t.Errorf("ids %v, err %v, %d requests", ids, last, len(rec.all()))
	}
	// A caller that stops early gets no error.
	for _, err := range c.AuditEvents.All(context.Background(), nil) {
		if err != nil {
			t.Error(err)
		}
		break
	}
}

func TestAuditEventGetAndValidation(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	const id = "4c1f7e2a9b3d45e6a8c0d1f2e3b4a596"
	mock.RegisterResponder(http.MethodGet, v1Env+"/audit_events/"+id, rec.reply(200,
		`{"event_id": "`+id+`", "event_datetime": "2026-03-14T06:30:12", "event_name": "delete:connections", "additional_info": {"not": "a string"}}`))
	e, _, err := c.AuditEvents.Get(context.Background(), id)
	if err != nil || e.ID != id || e.Name != "delete:connections" || string(e.AdditionalInfo) != `{"not": "a string"}` {
		t.Errorf("Get = %+v %v", e, err)
	}
	checkHeaders(t, rec.only(t), false)
	ctx := context.Background()
	for name, err := range map[string]error{
		"get ID":      second(c.AuditEvents.Get(ctx, "")),
		"end < start": second(c.AuditEvents.List(ctx, &rivery.AuditEventsOptions{Start: time.Now(), End: time.Now().Add(-time.Hour)})),
		"control":     second(c.AuditEvents.List(ctx, &rivery.AuditEventsOptions{EventTypes: []string{"a\nb"}})),
	} {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, err := range c.AuditEvents.All(ctx, &rivery.AuditEventsOptions{EntityKey: "\x00"}) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("All: %v", err)
		}
	}
}

func TestAuditEventsOnFake(t *testing.T) {
	t.Parallel()
	old := time.Now().Add(-48 * time.Hour).UTC()
	srv := riverytest.NewServer(riverytest.WithAuditEvent(riverytest.AuditEvent{Time: old, Type: "create", EntityType: "rivers", EntityKey: riverID, UserName: "Dana"}))
	defer srv.Close()
	for i := range riverytest.AuditEventsPageSize + 5 {
		srv.AddConnection(riverytest.Connection{Name: "c" + string(rune('a'+i))})
	}
	c := srv.ClientV1()
	ctx := context.Background()
	// Every write the fake handles is logged.
	for _, conn := range srv.Connections()[:3] {
		if _, err := c.Connections.Delete(ctx, conn.ID); err != nil {
			t.Fatal(err)
		}
	}
	var got []*rivery.AuditEvent
	for e, err := range c.AuditEvents.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != 4 || got[0].Type != "delete" || got[3].EntityKey != riverID || !got[3].Time.Equal(old.Truncate(time.Microsecond)) {
		t.Fatalf("events %v", got)
	}
	recent, _, err := c.AuditEvents.List(ctx, &rivery.AuditEventsOptions{Start: time.Now().Add(-time.Hour), End: time.Now(), EventTypes: []string{"delete"}})
	if err != nil || len(recent) != 3 {
		t.Errorf("recent deletes: %v %v", recent, err)
	}
	one, _, err := c.AuditEvents.Get(ctx, got[3].ID)
	if err != nil || one.UserName != "Dana" {
		t.Errorf("Get = %v %v", one, err)
	}
	if _, _, err := c.AuditEvents.Get(ctx, "ffffffffffffffffffffffffffffffff"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("unknown event: %v", err)
	}
	// More events than a page: the cursor is followed.
	for i := range riverytest.AuditEventsPageSize {
		srv.AddConnection(riverytest.Connection{Name: "d" + string(rune('a'+i))})
	}
	for _, conn := range srv.Connections() {
		if _, err := c.Connections.Delete(ctx, conn.ID); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, err := range c.AuditEvents.All(ctx, &rivery.AuditEventsOptions{EntityTypes: []string{"connections"}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3+riverytest.AuditEventsPageSize+2+riverytest.AuditEventsPageSize || len(srv.RequestsTo(riverytest.RouteAuditEvents)) < 4 {
		t.Errorf("%d connection events in %d requests", n, len(srv.RequestsTo(riverytest.RouteAuditEvents)))
	}
}

// All copies the caller's options when it is called, as every iterator
// does: changing them before the loop changes nothing of the walk.
func TestAuditEventsAllCopiesOptions(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/audit_events", rec.reply(200, `{"items": []}`))
	opts := &rivery.AuditEventsOptions{EntityKey: riverID}
	seq := c.AuditEvents.All(context.Background(), opts)
	opts.EntityKey = "someone-elses"
	for _, err := range seq {
		t.Fatal(err)
	}
	if got := rec.only(t).URL; !strings.HasSuffix(got, "?entity_logical_key="+riverID) {
		t.Errorf("request %s; want the options as they were when All was called", got)
	}
}
