package rivery_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Groups come as Rivery's Terraform client reads them ({items,
// total_items}, no next_page): AllGroups asks page by page until it holds
// total_items.
func TestRiverGroupsPageByNumber(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	u := v1Env + "/river_groups"
	mock.RegisterResponderWithQuery(http.MethodGet, u, "items_per_page=2", rec.reply(200, fixture(t, "v1_river_groups_page1.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, u, "items_per_page=2&page=2", rec.reply(200, fixture(t, "v1_river_groups_page2.json")))
	var got []*rivery.RiverGroup
	for g, err := range c.Rivers.AllGroups(context.Background(), &rivery.ListOptions{PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, g)
	}
	reqs := rec.all()
	if len(got) != 3 || len(reqs) != 2 || reqs[1].URL != u+"?items_per_page=2&page=2" {
		t.Fatalf("%d groups in %+v", len(got), reqs)
	}
	created := time.UnixMilli(1767605400000).UTC()
	if g := got[0]; g.ID != "65aa00000000000000000001" || g.Name != "Finance" || g.Color != "#ffd300" || g.Icon != "crown" || g.Default || !g.CreatedAt.Equal(created) {
		t.Errorf("first = %+v", g)
	}
	if g := got[1]; g.ID != "65aa00000000000000000002" || !g.Default || !g.CreatedAt.IsZero() {
		t.Errorf("second = %+v", g)
	}
	if got[2].ID != "65aa00000000000000000003" || got[2].Name != "Marketing" {
		t.Errorf("third = %+v", got[2])
	}
	checkHeaders(t, reqs[0], false)
	// One page.
	groups, resp, err := c.Rivers.Groups(context.Background(), &rivery.ListOptions{PerPage: 2})
	if err != nil || len(groups) != 2 || resp.TotalItems != 3 || !strings.HasSuffix(resp.NextPage, "page=2") {
		t.Errorf("Groups = %v %+v %v", groups, resp, err)
	}
}

// The rivers list's group_name filter, beside group_id, on both families.
func TestRiversListGroupName(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, fixture(t, "v1_rivers_page.json")))
	if _, _, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{GroupName: "Finance & Ops", GroupID: "65aa00000000000000000001", ListOptions: rivery.ListOptions{PerPage: 50}}); err != nil {
		t.Fatal(err)
	}
	if got := rec.only(t).URL; got != v1Env+"/rivers?group_id=65aa00000000000000000001&group_name=Finance+%26+Ops&items_per_page=50" {
		t.Errorf("URL %s", got)
	}
	console, cmock := setup(t)
	var crec recorder
	cmock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", crec.reply(200, fixture(t, "console_rivers.json")))
	if _, _, err := console.Rivers.List(context.Background(), &rivery.ListRiversOptions{GroupName: "Finance", GroupID: "ignored"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := console.Rivers.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := crec.all()
	if reqs[0].URL != consoleBase+"/api/rivers?group=Finance" || reqs[1].URL != consoleBase+"/api/rivers" {
		t.Errorf("console URLs %s %s", reqs[0].URL, reqs[1].URL)
	}
}

func TestRiverGroupsOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiverGroup(riverytest.RiverGroup{ID: "65aa00000000000000000001", Name: "Default", Default: true}),
		riverytest.WithRiver(riverytest.River{Name: "a", GroupID: "65aa00000000000000000002", GroupName: "Finance"}),
		riverytest.WithRiver(riverytest.River{Name: "b", GroupID: "65aa00000000000000000003", GroupName: "Marketing"}),
		riverytest.WithRiver(riverytest.River{Name: "c", GroupID: "65aa00000000000000000002", GroupName: "Finance"}),
	)
	defer srv.Close()
	for _, c := range []*rivery.Client{srv.ClientV1(), srv.Client()} {
		var names []string
		for g, err := range c.Rivers.AllGroups(context.Background(), &rivery.ListOptions{PerPage: 2}) {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, g.Name)
		}
		if strings.Join(names, ",") != "Default,Finance,Marketing" {
			t.Errorf("groups %v", names)
		}
		rivers, _, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{GroupName: "Finance"})
		if err != nil || len(rivers) != 2 || rivers[0].Name != "a" || rivers[1].Name != "c" {
			t.Errorf("rivers of Finance: %v %v", rivers, err)
		}
	}
	if n := len(srv.RequestsTo(riverytest.RouteRiverGroups)); n != 4 {
		t.Errorf("%d group requests, want 2 pages twice", n)
	}
}
