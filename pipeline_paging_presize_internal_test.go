package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/internal/wire"
)

// A page's items are decoded into room for the page size asked for (the
// server's default when none is), and a page with more still comes whole.
func TestListPageMakesRoomForThePage(t *testing.T) {
	t.Parallel()
	var items int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		list := make([]string, items)
		for i := range list {
			list[i] = fmt.Sprintf(`{"river_cross_id":"r%d"}`, i)
		}
		fmt.Fprintf(w, `{"items":[%s],"page":1}`, strings.Join(list, ","))
	}))
	defer srv.Close()
	c, err := NewClient("tok", WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range []struct {
		query        any
		items, wantC int
	}{
		{&ListRiversOptions{ListOptions: ListOptions{PerPage: 7}}, 3, 7},
		{&ListOptions{PerPage: 150}, 150, 150},
		{&ListOptions{PerPage: maxPerPage}, 3, maxPerPage},
		{&ListOptions{PerPage: maxPerPage + 1}, 3, defaultPerPage}, // never sent: validate refuses it first
		{&ListOptions{}, 2, defaultPerPage},
		{(*ListRiversOptions)(nil), 2, defaultPerPage},
		{nil, 1, defaultPerPage},
		{&ListOptions{PerPage: 2}, 5, 0}, // more than asked: grown, all kept
	} {
		items = tc.items
		got, _, err := listPage[wire.River](context.Background(), c, srv.URL+"/rivers", tc.query)
		if err != nil || len(got) != tc.items {
			t.Fatalf("%#v: %d items, %v; want %d", tc.query, len(got), err, tc.items)
		}
		if tc.wantC > 0 && cap(got) != tc.wantC {
			t.Errorf("%#v: room for %d items, want %d", tc.query, cap(got), tc.wantC)
		}
		for i, r := range got {
			if string(r.RiverCrossID) != fmt.Sprintf("r%d", i) {
				t.Fatalf("%#v: item %d is %q", tc.query, i, r.RiverCrossID)
			}
		}
	}
}

// Before an attempt the envelope is emptied: its room stays, none of an
// earlier attempt's items or pagination does.
func TestPresizedClearsForAttempt(t *testing.T) {
	t.Parallel()
	var p presized[wire.River]
	p.Items = make([]wire.River, 0, 4)
	if err := json.Unmarshal([]byte(`{"items":[{"name":"a"},{"name":"b"}],"page":3,"next_page":"n"}`), &p); err != nil {
		t.Fatal(err)
	}
	p.clearForAttempt()
	if len(p.Items) != 0 || cap(p.Items) != 4 || p.Page != 0 || p.NextPage != "" {
		t.Fatalf("after clearing: %+v (cap %d)", p.Envelope, cap(p.Items))
	}
	for i, r := range p.Items[:4] {
		if r.Name != "" {
			t.Errorf("item %d kept %q", i, r.Name)
		}
	}

	// No room yet (the first attempt, or an earlier one decoded a null
	// items): room for p.room is made.
	q := presized[wire.River]{room: 5}
	q.Page = 2
	q.clearForAttempt()
	if q.Items == nil || len(q.Items) != 0 || cap(q.Items) != 5 || q.Page != 0 {
		t.Fatalf("first attempt: %+v (cap %d), want empty room for 5", q.Envelope, cap(q.Items))
	}
}

// dropZero keeps order, drops what null and {} decode to (whether or not
// the type has a key to check first), and clears the tail it leaves.
func TestDropZeroKeyedAndNot(t *testing.T) {
	t.Parallel()
	var rivers []wire.River
	body := `[null, {"name": "a"}, {}, {"description": "no key, not empty"}, null, {"cross_id": "c"}]`
	if err := json.Unmarshal([]byte(body), &rivers); err != nil {
		t.Fatal(err)
	}
	full := rivers[:len(rivers):len(rivers)]
	got := dropZero(rivers)
	if len(got) != 3 || got[0].Name != "a" || got[1].Description == "" || got[2].CrossID != "c" {
		t.Fatalf("kept %+v", got)
	}
	for i, r := range full[len(got):] {
		if r.Name != "" || r.Description != "" || r.CrossID != "" {
			t.Errorf("tail item %d not cleared: %+v", i, r)
		}
	}
	runs := []wire.Run{{RunID: "r1"}, {}, {Status: "failed"}}
	if got := dropZero(runs); len(got) != 2 || got[0].RunID != "r1" || got[1].Status != "failed" {
		t.Errorf("runs kept %+v", got)
	}
	tokens := []wire.Token{{}, {TokenID: "t"}, {Name: "n"}}
	if got := dropZero(tokens); len(got) != 2 || got[0].TokenID != "t" || got[1].Name != "n" {
		t.Errorf("tokens kept %+v", got)
	}
}

// A page without "items" (or a null body) has nil items, as before the
// room was made; an empty array stays an empty, non-nil slice.
func TestListPageEmptyItems(t *testing.T) {
	t.Parallel()
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	c, err := NewClient("tok", WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for b, wantNil := range map[string]bool{
		`{"page":1,"total_items":0}`: true,
		`null`:                       true,
		`{"items":null}`:             true,
		`{"items":[]}`:               false,
	} {
		body = b
		got, _, err := listPage[*Connection](context.Background(), c, srv.URL+"/connections", nil)
		if err != nil || len(got) != 0 || (got == nil) != wantNil {
			t.Errorf("%s: %#v, %v; want nil %t", b, got, err, wantNil)
		}
	}
}
