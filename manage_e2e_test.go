package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// End-to-end tests of connections, variables and river definitions on the
// fake Rivery. These calls exist on the v1 API only; a token-only client
// reaches them through GET /api/me.

func TestE2EConnections(t *testing.T) {
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		pg := srv.AddConnection(riverytest.Connection{Name: "orders db", Type: "postgres", TypeName: "PostgreSQL",
			Settings: map[string]any{"host": "db.example.com", "password": "hunter2-e2e"}})
		for i := range 25 {
			srv.AddConnection(riverytest.Connection{Name: fmt.Sprintf("conn %d", i)})
		}
		var all []*rivery.Connection
		for conn, err := range c.Connections.All(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, conn)
		}
		if len(all) != 26 || all[0].ID != pg.ID || all[0].Type != "postgres" || all[0].TypeName != "PostgreSQL" {
			t.Fatalf("All = %d, first %v", len(all), all[0])
		}
		page, resp, err := c.Connections.List(ctx, &rivery.ListOptions{PerPage: 10})
		if err != nil || len(page) != 10 || resp.TotalItems != 26 {
			t.Errorf("List = %d %+v %v", len(page), resp, err)
		}
		got, _, err := c.Connections.Get(ctx, pg.ID)
		if err != nil || got.Type != "postgres" || got.TypeName != "PostgreSQL" || got.UpdatedAt.IsZero() {
			t.Fatalf("Get = %v, %v", got, err)
		}
		out, _ := json.Marshal(got)
		if strings.Contains(fmt.Sprintf("%v %+v %#v", got, got, got)+string(out), "hunter2-e2e") || !strings.Contains(string(got.Raw), "hunter2-e2e") {
			t.Errorf("printed %s", out)
		}
		if _, _, err := c.Connections.Get(ctx, "66ffffffffffffffffffffff"); !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("Get(missing) = %v", err)
		}
		for name, seq := range map[string]func(context.Context, *rivery.ListOptions) iter.Seq2[*rivery.CatalogType, error]{
			"connection": c.Connections.ConnectionTypes, "source": c.Connections.SourceTypes, "target": c.Connections.TargetTypes,
		} {
			n := 0
			for ct, err := range seq(ctx, nil) {
				if err != nil || ct.Name == "" || ct.ConnectionType == "" {
					t.Errorf("%s types: %+v %v", name, ct, err)
				}
				n++
			}
			if n < 2 {
				t.Errorf("%s types: %d", name, n)
			}
		}
	})
}

func TestE2EVariables(t *testing.T) {
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		if _, err := c.Variables.Set(ctx, map[string]string{"A": "1", "B": "2"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Variables.Set(ctx, map[string]string{"B": "two"}); err != nil {
			t.Fatal(err)
		}
		vars, _, err := c.Variables.List(ctx)
		if err != nil || len(vars) != 2 || vars["A"] != "1" || vars["B"] != "two" {
			t.Fatalf("List = %v, %v", vars, err)
		}
		if _, err := c.Variables.Delete(ctx, "A"); err != nil {
			t.Fatal(err)
		}
		// Like the live API, the fake answers success for a name it does
		// not have: one DELETE each, and no error.
		if _, err := c.Variables.Delete(ctx, "A"); err != nil {
			t.Errorf("Delete(deleted) = %v", err)
		}
		if v := srv.Variables(); len(v) != 1 || v["B"] != "two" {
			t.Errorf("server has %v", v)
		}
		if n := len(srv.RequestsTo(riverytest.RouteDeleteVariable)); n != 2 || len(srv.RequestsTo(riverytest.RouteVariables)) != 1 {
			t.Errorf("%d DELETEs and %d reads, want 2 and 1 (the List)", n, len(srv.RequestsTo(riverytest.RouteVariables)))
		}
	})
}

func TestE2ERiverVariablesSetKeepsAllFortyFive(t *testing.T) {
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		seed := make([]riverytest.RiverVariable, 45)
		for i := range seed {
			seed[i] = riverytest.RiverVariable{Name: fmt.Sprintf("v%02d", i), Value: fmt.Sprint(i), IsEncrypted: i == 3}
		}
		srv.SetRiverVariables(riverID, seed...)

		first, resp, err := c.RiverVariables.List(ctx, riverID, nil)
		if err != nil || len(first) != 20 || resp.TotalItems != 45 {
			t.Fatalf("List = %d %+v %v", len(first), resp, err)
		}
		if _, err := c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "v03", Value: "new"}, &rivery.RiverVariable{Name: "added", Value: "x"}); err != nil {
			t.Fatal(err)
		}
		got := srv.RiverVariables(riverID)
		if len(got) != 46 {
			t.Fatalf("the river has %d variables, want 46", len(got))
		}
		for i, v := range got[:45] {
			want := fmt.Sprint(i)
			if i == 3 {
				want = "new"
			}
			if v.Name != fmt.Sprintf("v%02d", i) || v.Value != want || v.IsEncrypted != (i == 3) {
				t.Errorf("variable %d = %+v", i, v)
			}
		}
		if got[45].Name != "added" || got[45].Value != "x" {
			t.Errorf("added = %+v", got[45])
		}
		all, err := c.RiverVariables.GetAll(ctx, riverID)
		if err != nil || len(all) != 46 {
			t.Errorf("GetAll = %d, %v", len(all), err)
		}
		n := 0
		for _, err := range c.RiverVariables.All(ctx, riverID, nil) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 46 {
			t.Errorf("All = %d", n)
		}

		// Replace makes exactly the set given.
		if _, _, err := c.RiverVariables.Replace(ctx, riverID, []*rivery.RiverVariable{{Name: "only", Value: "1", Settings: &rivery.RiverVariableSettings{}}}); err != nil {
			t.Fatal(err)
		}
		if got := srv.RiverVariables(riverID); len(got) != 1 || got[0].Name != "only" {
			t.Errorf("after Replace: %+v", got)
		}
	})
}

// A river variables PUT cut off after the server applied it is not sent
// again; a 502 on a create is not either, and creates one river.
func TestE2EWritesUnderFaults(t *testing.T) {
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		srv.Fail(riverytest.RouteSetRiverVariables, 1, riverytest.Fault{CloseConnection: true, Apply: true})
		_, err := c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "a", Value: "1"})
		if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || len(srv.RequestsTo(riverytest.RouteSetRiverVariables)) != 1 {
			t.Errorf("Set: %v after %d PUTs", err, len(srv.RequestsTo(riverytest.RouteSetRiverVariables)))
		}

		srv.Fail(riverytest.RouteCreateRiver, 1, riverytest.Fault{Status: 502, Apply: true})
		def, _ := rivery.ParseRiverDefinition([]byte(`{"name": "fresh", "type": "source_to_target", "metadata": {"description": "d"}}`))
		if _, _, err := c.Rivers.Create(ctx, def); !errors.Is(err, rivery.ErrServer) {
			t.Errorf("Create = %v", err)
		}
		if n := len(srv.RequestsTo(riverytest.RouteCreateRiver)); n != 1 {
			t.Errorf("%d creates sent, want 1", n)
		}
		found, _, err := c.Rivers.Search(ctx, &rivery.SearchRiversOptions{Name: "fresh"})
		if err != nil || len(found) != 1 {
			t.Errorf("rivers named fresh: %d, %v", len(found), err)
		}

		srv.Fail(riverytest.RouteConnections, 1, riverytest.Fault{Status: 503})
		if _, _, err := c.Connections.List(ctx, nil); err != nil {
			t.Errorf("a GET after a 503 is retried: %v", err)
		}
	})
}

func TestE2ERiverDefinitions(t *testing.T) {
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		def, _, err := c.Rivers.GetDefinition(ctx, riverID)
		if err != nil || def.ID() != riverID || def.Name() != "orders" || def.Status() != rivery.RiverActive || def.CurrentVersionID() == "" {
			t.Fatalf("GetDefinition = %v, %v", def, err)
		}
		v1 := def.CurrentVersionID()

		updated, err := c.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error {
			d.SetDescription("now with refunds")
			return nil
		})
		if err != nil || updated.Description() != "now with refunds" || updated.CurrentVersionID() == v1 {
			t.Fatalf("Update = %v, %v", updated, err)
		}
		if srv.Versions(riverID) != 2 {
			t.Errorf("versions = %d", srv.Versions(riverID))
		}

		replaced := updated.Clone()
		replaced.SetName("orders v2")
		if out, _, err := c.Rivers.Replace(ctx, riverID, replaced); err != nil || out.Name() != "orders v2" {
			t.Fatalf("Replace = %v, %v", out, err)
		}

		var versions []*rivery.RiverVersion
		for v, err := range c.Rivers.AllVersions(ctx, riverID, nil) {
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, v)
		}
		if len(versions) != 3 || versions[2].ID != v1 || versions[0].CreatedAt.IsZero() {
			t.Fatalf("versions = %+v", versions)
		}
		page, resp, err := c.Rivers.ListVersions(ctx, riverID, &rivery.ListOptions{PerPage: 2})
		if err != nil || len(page) != 2 || resp.TotalItems != 3 || resp.NextPage == "" || page[0].ID != versions[0].ID {
			t.Errorf("ListVersions = %+v %+v %v", page, resp, err)
		}
		old, _, err := c.Rivers.GetVersion(ctx, riverID, v1)
		if err != nil || old.Definition.Name() != "orders" {
			t.Fatalf("GetVersion = %+v, %v", old, err)
		}

		// Restore refuses an active river, then works on a disabled one.
		if _, err := c.Rivers.Restore(ctx, riverID, v1); !errors.Is(err, rivery.ErrBadRequest) {
			t.Errorf("Restore(active) = %v", err)
		}
		op, _, err := c.Rivers.Disable(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.WaitForOperation(ctx, op, quick()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.Restore(ctx, riverID, v1); err != nil {
			t.Fatal(err)
		}
		now, _, _ := c.Rivers.GetDefinition(ctx, riverID)
		if now.Name() != "orders" || now.Description() != "" || srv.Versions(riverID) != 4 {
			t.Errorf("after Restore: %q %q, %d versions", now.Name(), now.Description(), srv.Versions(riverID))
		}

		cp, resp, err := c.Rivers.Copy(ctx, riverID)
		if err != nil || resp.StatusCode != 201 || cp.ID() == riverID || cp.Status() != rivery.RiverDisabled {
			t.Fatalf("Copy = %v, %v", cp, err)
		}

		created, _, err := c.Rivers.Create(ctx, def)
		if err != nil || created.ID() == riverID || created.Status() != rivery.RiverDisabled || created.Name() != "orders" {
			t.Fatalf("Create = %v, %v", created, err)
		}
		found, _, err := c.Rivers.Search(ctx, &rivery.SearchRiversOptions{Name: "orders", Status: rivery.RiverDisabled})
		if err != nil || len(found) != 3 {
			t.Errorf("Search = %d, %v", len(found), err)
		}
		n := 0
		for r, err := range c.Rivers.SearchAll(ctx, &rivery.SearchRiversOptions{Query: "copy", ListOptions: rivery.ListOptions{PerPage: 1}}) {
			if err != nil || r.ID != cp.ID() {
				t.Errorf("SearchAll: %v %v", r, err)
			}
			n++
		}
		if n != 1 {
			t.Errorf("SearchAll found %d", n)
		}
		if _, _, err := c.Rivers.GetDefinition(ctx, "63ffffffffffffffffffffff"); !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("GetDefinition(missing) = %v", err)
		}
	})
}
