package rivery_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// walk runs Rivers.All to its end and returns the IDs and errors it gave.
func walk(c *rivery.Client, opts *rivery.ListRiversOptions) (ids []string, errs []error) {
	for r, err := range c.Rivers.All(context.Background(), opts) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, r.ID)
	}
	return ids, errs
}

// page is a rivers page holding ids, claiming page number n (0 leaves the
// field out) and naming next ("" for null).
func page(n int, next string, ids ...string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"river_cross_id":%q,"river_name":"r-%s"}`, id, id)
	}
	nextJSON := "null"
	if next != "" {
		nextJSON = fmt.Sprintf("%q", next)
	}
	num := ""
	if n > 0 {
		num = fmt.Sprintf(`"page":%d,`, n)
	}
	return fmt.Sprintf(`{"items":[%s],%s"next_page":%s}`, strings.Join(items, ","), num, nextJSON)
}

// An empty page ends the walk even when it names a next page: a server
// that keeps pointing on past the end is not followed.
func TestAllStopsOnEmptyPageWithNext(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "", rec.reply(200, page(1, base+"?page=2", "a1")))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=2", rec.reply(200, page(2, base+"?page=3")))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=3", rec.reply(200, page(3, "", "never")))
	ids, errs := walk(c, nil)
	if strings.Join(ids, ",") != "a1" || len(errs) != 0 {
		t.Errorf("ids %v, errors %v; want a1 and no error", ids, errs)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("%d requests, want 2 (page 3 is never asked for)", n)
	}
}

// A page number that does not move forward stops the walk with an error,
// even when next_page is a new URL each time.
func TestAllStopsWhenPageNumberStalls(t *testing.T) {
	t.Parallel()
	for name, second := range map[string]int{"same number": 1, "going back": 1, "zero after one": -1} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			base := v1Env + "/rivers"
			firstNum, secondNum := 2, second
			if name == "same number" {
				firstNum = 1
			}
			mock.RegisterResponderWithQuery(http.MethodGet, base, "", rec.reply(200, page(firstNum, base+"?cursor=b", "a1")))
			mock.RegisterResponderWithQuery(http.MethodGet, base, "cursor=b", rec.reply(200, page(max(secondNum, 0), base+"?cursor=c", "a2")))
			mock.RegisterResponderWithQuery(http.MethodGet, base, "cursor=c", rec.reply(200, page(0, "", "a3")))
			ids, errs := walk(c, nil)
			if secondNum <= 0 {
				// No page number: only the URL can tell, and it moved on.
				if strings.Join(ids, ",") != "a1,a2,a3" || len(errs) != 0 {
					t.Errorf("ids %v, errors %v; want all three pages", ids, errs)
				}
				return
			}
			if strings.Join(ids, ",") != "a1,a2" || len(errs) != 1 || !strings.Contains(errs[0].Error(), "does not advance") {
				t.Errorf("ids %v, errors %v; want a1,a2 and a does-not-advance error", ids, errs)
			}
			if n := len(rec.all()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
		})
	}
}

// Pages numbered 1, 2, 3 with URLs that differ walk to the end; the walk
// stops on a next_page equal to the URL just fetched, query included.
func TestAllAdvancesAndRefusesSameURL(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	first := base + "?items_per_page=2"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "items_per_page=2", rec.reply(200, page(1, first, "a1", "a2")))
	ids, errs := walk(c, &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 2}})
	if strings.Join(ids, ",") != "a1,a2" || len(errs) != 1 || !strings.Contains(errs[0].Error(), "does not advance") {
		t.Errorf("ids %v, errors %v; want a1,a2 and a does-not-advance error", ids, errs)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// next_page must stay on the client's scheme, host and port, without user
// information; anything else is refused before it is requested, with an
// error naming where it pointed.
func TestAllRefusesNextPageElsewhere(t *testing.T) {
	t.Parallel()
	path := "/v1/accounts/" + accountID + "/environments/" + envID + "/rivers?page=2"
	for name, next := range map[string]string{
		"other port":        "https://api.rivery.io:8443" + path,
		"user info":         "https://u@api.rivery.io" + path,
		"other host suffix": "https://api.rivery.io.evil.example" + path,
		"other scheme":      "http://api.rivery.io" + path,
		"relative":          path,
		"scheme-relative":   "//api.rivery.io" + path,
		"not a URL":         "https://api.rivery.io/%zz",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers", "", rec.reply(200, page(1, next, "a1")))
			ids, errs := walk(c, nil)
			if strings.Join(ids, ",") != "a1" || len(errs) != 1 {
				t.Fatalf("ids %v, errors %v; want a1 and one error", ids, errs)
			}
			if msg := errs[0].Error(); !strings.Contains(msg, "next_page") || strings.Contains(msg, "u@") {
				t.Errorf("error %q: want it to name next_page and not repeat user information", msg)
			}
			rec.only(t)
		})
	}
}

// The walk goes on to a next_page on the same origin whatever its path,
// and sends the query of the first page only once.
func TestAllFollowsNextPageAsGiven(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "name=x", rec.reply(200, page(1, "https://api.rivery.io/v1/next?token=abc", "a1")))
	mock.RegisterResponderWithQuery(http.MethodGet, "https://api.rivery.io/v1/next", "token=abc", rec.reply(200, page(2, "", "a2")))
	ids, errs := walk(c, &rivery.ListRiversOptions{Name: "x"})
	if strings.Join(ids, ",") != "a1,a2" || len(errs) != 0 {
		t.Errorf("ids %v, errors %v", ids, errs)
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[1].URL != "https://api.rivery.io/v1/next?token=abc" {
		t.Errorf("requests %+v; want the second to be next_page exactly", reqs)
	}
}

// An error page in the middle ends the walk with the *APIError, after the
// items already yielded.
func TestAllYieldsPageError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, append(v1(), rivery.WithoutRetries())...)
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "", httpmock.NewStringResponder(200, page(1, base+"?page=2", "a1")))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=2", httpmock.NewStringResponder(404, `{"detail":"gone"}`))
	ids, errs := walk(c, nil)
	if strings.Join(ids, ",") != "a1" || len(errs) != 1 {
		t.Fatalf("ids %v, errors %v", ids, errs)
	}
	if apiErr := asAPIError(t, errs[0]); apiErr.StatusCode != 404 || apiErr.Message != "gone" {
		t.Errorf("error = %+v", apiErr)
	}
}

// A page cycle without page numbers (A, B, A) stops with an error rather
// than loop.
func TestAllStopsOnPageCycle(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "", rec.reply(200, page(0, base+"?cursor=b", "a1")))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "cursor=b", rec.reply(200, page(0, base, "a2")))
	ids, errs := walk(c, nil)
	if len(errs) != 1 || len(ids) > 2 || len(rec.all()) > 2 {
		t.Errorf("ids %v, errors %v, %d requests; want the cycle refused", ids, errs, len(rec.all()))
	}
}
