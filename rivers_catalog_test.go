package rivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestRiversList(t *testing.T) {
	t.Parallel()
	t.Run("console", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", rec.reply(200, fixture(t, "console_rivers.json")))
		rivers, _, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{Name: "ignored"})
		if err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		checkHeaders(t, req, false)
		if req.URL != consoleBase+"/api/rivers" {
			t.Errorf("URL = %s", req.URL)
		}
		if len(rivers) != 2 || rivers[0].ID != riverID || rivers[0].Type != "source_to_target" || rivers[0].GroupName != "Sales" || rivers[1].Name != "refunds" {
			t.Errorf("rivers = %+v %+v", rivers[0], rivers[1])
		}
	})
	t.Run("v1", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, fixture(t, "v1_rivers_page.json")))
		rivers, resp, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{
			ListOptions: rivery.ListOptions{Page: 2, PerPage: 50}, Name: "orders & more", GroupID: "g-sales",
		})
		if err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		checkHeaders(t, req, false)
		if want := v1Env + "/rivers?group_id=g-sales&items_per_page=50&name=orders+%26+more&page=2"; req.URL != want {
			t.Errorf("URL = %s\nwant  %s", req.URL, want)
		}
		want := rivery.River{ID: riverID, Name: "orders to warehouse", Type: "source_to_target", GroupID: "g-sales",
			GroupName: "Sales", Description: "Nightly orders load", Status: rivery.RiverActive}
		if fmt.Sprint(*rivers[0]) != fmt.Sprint(want) || rivers[1].Status != rivery.RiverDisabled || resp.TotalItems != 2 {
			t.Errorf("rivers[0] = %+v\nwant %+v", *rivers[0], want)
		}
	})
}

func TestRiversGet(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []rivery.Option
		url  string
	}{
		{"console", nil, consoleBase + "/api/rivers/" + riverID},
		{"v1", v1(), v1Env + "/rivers/" + riverID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, tt.opts...)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, tt.url, rec.reply(200, fixture(t, "v1_river_detail.json")))
			r, _, err := c.Rivers.Get(context.Background(), riverID)
			if err != nil {
				t.Fatal(err)
			}
			checkHeaders(t, rec.only(t), false)
			if r.ID != riverID || r.Kind != "main_river" || r.Type != "source_to_target" || r.Status != rivery.RiverActive ||
				r.Description != "Nightly orders load" || len(r.Schedulers) != 2 ||
				r.Schedulers[0] != (rivery.Scheduler{CronExpression: "0 3 * * *", Enabled: true}) {
				t.Errorf("river = %+v", r)
			}
			var settings struct {
				RunType string `json:"run_type"`
			}
			if err := json.Unmarshal(r.Settings, &settings); err != nil || settings.RunType != "incremental" || !strings.Contains(string(r.Properties), "connection_id") {
				t.Errorf("settings %s, properties %s", r.Settings, r.Properties)
			}
		})
	}
}

// pageBody is a rivers page with one river and the given next_page.
func pageBody(id, next string, page int) string {
	n := "null"
	if next != "" {
		n = fmt.Sprintf("%q", next)
	}
	return fmt.Sprintf(`{"items":[{"river_cross_id":%q,"name":"r-%s"}],"page":%d,"total_items":3,"next_page":%s}`, id, id, page, n)
}

func TestRiversAllWalksPages(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "items_per_page=1&name=r", rec.reply(200, pageBody("a1", base+"?page=2&items_per_page=1&name=r", 1)))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=2&items_per_page=1&name=r", rec.reply(200, pageBody("a2", base+"?page=3&items_per_page=1&name=r", 2)))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=3&items_per_page=1&name=r", rec.reply(200, pageBody("a3", "", 3)))
	opts := &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 1}, Name: "r"}
	var ids []string
	for r, err := range c.Rivers.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "a1,a2,a3" || len(rec.all()) != 3 {
		t.Errorf("ids = %v after %d requests", ids, len(rec.all()))
	}
	if opts.Page != 0 {
		t.Errorf("All changed the caller's options: %+v", opts)
	}
}

func TestRiversAllBreakStopsPaging(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, pageBody("a1", v1Env+"/rivers?page=2", 1)))
	n := 0
	for _, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("yielded %d", n)
	}
	rec.only(t) // the second page was never asked for
}

func TestRiversAllRefusesOtherHost(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var other recorder
	mock.RegisterResponder(http.MethodGet, "https://attacker.example.com/v1/rivers", other.reply(200, pageBody("x", "", 2)))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", httpmock.NewStringResponder(200, pageBody("a1", "https://attacker.example.com/v1/rivers?page=2", 1)))
	var errs []error
	for _, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "attacker.example.com") {
		t.Errorf("errors = %v", errs)
	}
	if n := len(other.all()); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

func TestRiversAllStopsWhenPageDoesNotAdvance(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	// Page 2 claims to be page 1 again and points at itself.
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers", "", rec.reply(200, pageBody("a1", v1Env+"/rivers?page=2", 1)))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers", "page=2", rec.reply(200, pageBody("a2", v1Env+"/rivers?page=2", 1)))
	var ids []string
	var lastErr error
	for r, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			lastErr = err
			continue
		}
		ids = append(ids, r.ID)
	}
	if len(ids) != 2 || lastErr == nil || !strings.Contains(lastErr.Error(), "does not advance") || len(rec.all()) != 2 {
		t.Errorf("ids %v, error %v, %d requests", ids, lastErr, len(rec.all()))
	}
}
