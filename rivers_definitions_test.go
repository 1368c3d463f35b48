package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

func TestGetDefinitionAccessors(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, rec.reply(200, fixture(t, "v1_river_definition.json")))
	def, _, err := c.Rivers.GetDefinition(context.Background(), riverID)
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	if def.ID() != riverID || def.Name() != "Postgres to Snowflake - orders" || def.Type() != "source_to_target" ||
		def.Kind() != "main_river" || def.GroupID() != "65aa00000000000000000001" || def.Status() != rivery.RiverActive ||
		def.Description() != "Full load of orders into Snowflake" || def.CurrentVersionID() != "67bb00000000000000000003" {
		t.Errorf("accessors: %s %q %s %s %s %s %q %s", def.ID(), def.Name(), def.Type(), def.Kind(), def.GroupID(), def.Status(), def.Description(), def.CurrentVersionID())
	}
	if s := def.Schedulers(); len(s) != 1 || s[0].CronExpression != "0 0 3 * * ? *" || !s[0].Enabled {
		t.Errorf("schedulers = %+v", s)
	}
	var props struct {
		Target struct {
			LoadingMethod string `json:"loading_method"`
		} `json:"target"`
	}
	if err := json.Unmarshal(def.Properties(), &props); err != nil || props.Target.LoadingMethod != "merge" {
		t.Errorf("properties: %v %+v", err, props)
	}
	if !strings.Contains(string(def.Settings()), "run_timeout_seconds") {
		t.Errorf("settings = %s", def.Settings())
	}
	// A definition written back is the one read, field for field.
	b, _ := json.Marshal(def)
	checkJSON(t, b, fixture(t, "v1_river_definition.json"))
}

func TestDefinitionSettersAndPortable(t *testing.T) {
	t.Parallel()
	def, err := rivery.ParseRiverDefinition([]byte(fixture(t, "v1_river_definition.json")))
	if err != nil {
		t.Fatal(err)
	}
	orig := def.Clone()
	def.SetName("renamed")
	def.SetDescription("new words")
	def.SetGroupID("65aa00000000000000000009")
	if err := def.SetProperties(json.RawMessage(`{"source": {}}`)); err != nil {
		t.Fatal(err)
	}
	if def.Name() != "renamed" || def.Description() != "new words" || def.Status() != rivery.RiverActive || def.GroupID() != "65aa00000000000000000009" {
		t.Errorf("after setters: %q %q %s", def.Name(), def.Description(), def.Status())
	}
	if orig.Name() != "Postgres to Snowflake - orders" || string(orig.Properties()) == `{"source": {}}` || def.Equal(orig) || !orig.Equal(orig.Clone()) {
		t.Error("Clone shares state with the original")
	}
	p := orig.Portable()
	b, _ := json.Marshal(p)
	for _, gone := range []string{"cross_id", "account_id", "environment_id", "group_name", "current_version_id", "created_at", "last_updated_at"} {
		if strings.Contains(string(b), `"`+gone+`"`) {
			t.Errorf("Portable keeps %s: %s", gone, b)
		}
	}
	if p.Name() != orig.Name() || p.Description() != orig.Description() || p.GroupID() != orig.GroupID() || p.Status() != "" {
		t.Errorf("Portable lost fields: %s", b)
	}
	if _, err := rivery.ParseRiverDefinition([]byte(`[1]`)); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("Parse(array) = %v", err)
	}
	if _, err := rivery.ParseRiverDefinition([]byte(`null`)); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("Parse(null) = %v", err)
	}
	var zero rivery.RiverDefinition
	if zero.Name() != "" || zero.ID() != "" || zero.Schedulers() != nil {
		t.Error("zero definition has fields")
	}
	zero.SetName("x")
	if zero.Name() != "x" || len(zero.Fields()) != 1 {
		t.Errorf("zero after SetName: %v", zero.Fields())
	}
}

// Create and Replace send the definition without the fields that name a
// river or an environment, so one read elsewhere applies here.
func TestCreateAndReplaceLeaveOutIdentity(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers", rec.reply(201, fixture(t, "v1_river_definition.json")))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID, rec.reply(200, fixture(t, "v1_river_definition.json")))
	def, _ := rivery.ParseRiverDefinition([]byte(fixture(t, "v1_river_definition.json")))
	ctx := context.Background()
	created, resp, err := c.Rivers.Create(ctx, def)
	if err != nil || resp.StatusCode != 201 || created.ID() != riverID {
		t.Fatalf("Create = %v, %v", created, err)
	}
	if _, _, err := c.Rivers.Replace(ctx, riverID, def); err != nil {
		t.Fatal(err)
	}
	for _, req := range rec.all() {
		checkHeaders(t, req, true)
		var body map[string]any
		if err := json.Unmarshal(req.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"cross_id", "account_id", "environment_id", "group_name"} {
			if _, ok := body[k]; ok {
				t.Errorf("%s sent %s", req.Method, k)
			}
		}
		if body["name"] != def.Name() || body["group_id"] != def.GroupID() || body["metadata"] == nil || body["properties"] == nil {
			t.Errorf("%s body = %s", req.Method, req.Body)
		}
	}
	if def.ID() != riverID {
		t.Error("Create changed the caller's definition")
	}
}

func TestUpdateReadsEditsAndWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, rec.reply(200, fixture(t, "v1_river_definition.json")))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID, rec.reply(200, `{"cross_id": "`+riverID+`", "name": "renamed"}`))
	out, err := c.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error {
		d.SetName("renamed")
		return nil
	})
	if err != nil || out.Name() != "renamed" {
		t.Fatalf("Update = %v, %v", out, err)
	}
	reqs := rec.all()
	if len(reqs) != 3 || reqs[0].Method != http.MethodGet || reqs[1].Method != http.MethodGet || reqs[2].Method != http.MethodPut {
		t.Fatalf("requests = %+v", reqs)
	}
	var sent map[string]any
	_ = json.Unmarshal(reqs[2].Body, &sent)
	if sent["name"] != "renamed" || sent["settings"] == nil || sent["schedulers"] == nil {
		t.Errorf("PUT body = %s", reqs[2].Body)
	}

	// No change: no second read, no PUT.
	c, mock = setup(t, v1()...)
	rec = recorder{}
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, rec.reply(200, fixture(t, "v1_river_definition.json")))
	if _, err := c.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error {
		d.SetName(d.Name())
		return nil
	}); err != nil || len(rec.all()) != 1 {
		t.Errorf("no-op Update: %v after %d requests", err, len(rec.all()))
	}

	// The edit's error: nothing written.
	boom := errors.New("boom")
	if _, err := c.Rivers.Update(ctx, riverID, func(*rivery.RiverDefinition) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Update(edit fails) = %v", err)
	}

	// The river changed between the reads: nothing written.
	c, mock = setup(t, v1()...)
	changed := strings.Replace(fixture(t, "v1_river_definition.json"), "67bb00000000000000000003", "67bb00000000000000000004", 1)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, sequence(
		(&recorder{}).reply(200, fixture(t, "v1_river_definition.json")), (&recorder{}).reply(200, changed)))
	_, err = c.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error { d.SetName("x"); return nil })
	if !errors.Is(err, rivery.ErrConcurrentChange) || !strings.Contains(err.Error(), "67bb00000000000000000004") {
		t.Errorf("Update(concurrent) = %v", err)
	}
}

func TestCopySearchVersionsRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/copy", rec.reply(201, `{"cross_id": "63b724fc690def001131d299", "name": "copy", "metadata": {"river_status": "disabled"}}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers_search", rec.reply(200, fixture(t, "v1_rivers_search.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers/"+riverID+"/versions", "items_per_page=2", rec.reply(200, fixture(t, "v1_river_versions.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers/"+riverID+"/versions", "page=2&items_per_page=2",
		rec.reply(200, `{"items": [{"version_id": "67bb00000000000000000001", "created_at": "2026-09-01T10:00:00", "created_by": "lee@example.com"}], "page": 2, "total_items": 3, "next_page": null}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/versions/67bb00000000000000000002", rec.reply(200, fixture(t, "v1_river_version.json")))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/restore", rec.reply(200, `{}`))

	cp, _, err := c.Rivers.Copy(ctx, riverID)
	if err != nil || cp.ID() != "63b724fc690def001131d299" || cp.Status() != rivery.RiverDisabled {
		t.Fatalf("Copy = %v, %v", cp, err)
	}
	checkJSON(t, rec.all()[0].Body, `{}`)

	found, _, err := c.Rivers.Search(ctx, &rivery.SearchRiversOptions{Name: "orders", Status: rivery.RiverActive, Type: "source_to_target", GroupID: "g1", Query: "snow"})
	if err != nil || len(found) != 1 || found[0].ID != riverID || found[0].Status != rivery.RiverActive {
		t.Fatalf("Search = %v, %v", found, err)
	}
	if u := rec.all()[1].URL; u != v1Env+"/rivers_search?group_id=g1&name=orders&river_status=active&river_type=source_to_target&search_query=snow" {
		t.Errorf("search URL = %s", u)
	}

	var versions []*rivery.RiverVersion
	for v, err := range c.Rivers.AllVersions(ctx, riverID, &rivery.ListOptions{PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if len(versions) != 3 || versions[0].ID != "67bb00000000000000000003" || !versions[0].Bookmarked || versions[0].CreatedBy != "dana@example.com" ||
		!versions[1].CreatedAt.Equal(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)) || versions[0].Definition != nil {
		t.Errorf("versions = %+v", versions)
	}
	page, resp, err := c.Rivers.ListVersions(ctx, riverID, &rivery.ListOptions{PerPage: 2})
	if err != nil || len(page) != 2 || resp.TotalItems != 3 {
		t.Errorf("ListVersions = %v %+v %v", page, resp, err)
	}

	v, _, err := c.Rivers.GetVersion(ctx, riverID, "67bb00000000000000000002")
	if err != nil || v.Definition == nil || v.Definition.Description() != "Orders, before the merge load" || v.Definition.ID() != riverID {
		t.Fatalf("GetVersion = %+v, %v", v, err)
	}

	if _, err := c.Rivers.Restore(ctx, riverID, "67bb00000000000000000002"); err != nil {
		t.Fatal(err)
	}
	last := rec.all()[len(rec.all())-1]
	checkHeaders(t, last, true)
	checkJSON(t, last.Body, `{"version_id": "67bb00000000000000000002"}`)
}

func TestDefinitionsRefuseBadArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	empty := &rivery.RiverDefinition{}
	ok, _ := rivery.ParseRiverDefinition([]byte(`{"name": "x"}`))
	cases := map[string]error{}
	_, _, cases["Create nil"] = c.Rivers.Create(ctx, nil)
	_, _, cases["Create empty"] = c.Rivers.Create(ctx, empty)
	_, _, cases["Replace bad ID"] = c.Rivers.Replace(ctx, "a b", ok)
	_, _, cases["Replace nil"] = c.Rivers.Replace(ctx, riverID, nil)
	_, cases["Update nil func"] = c.Rivers.Update(ctx, riverID, nil)
	_, cases["Update bad ID"] = c.Rivers.Update(ctx, "", func(*rivery.RiverDefinition) error { return nil })
	_, _, cases["Copy bad ID"] = c.Rivers.Copy(ctx, "/")
	_, _, cases["GetDefinition bad ID"] = c.Rivers.GetDefinition(ctx, "")
	_, _, cases["ListVersions bad ID"] = c.Rivers.ListVersions(ctx, "", nil)
	_, _, cases["GetVersion bad version"] = c.Rivers.GetVersion(ctx, riverID, "")
	_, cases["Restore bad version"] = c.Rivers.Restore(ctx, riverID, "a?b")
	_, _, cases["Search bad page"] = c.Rivers.Search(ctx, &rivery.SearchRiversOptions{ListOptions: rivery.ListOptions{PerPage: 999}})
	for _, err := range c.Rivers.AllVersions(ctx, "", nil) {
		cases["AllVersions bad ID"] = err
	}
	for _, err := range c.Rivers.SearchAll(ctx, &rivery.SearchRiversOptions{ListOptions: rivery.ListOptions{Page: -2}}) {
		cases["SearchAll bad page"] = err
	}
	for name, err := range cases {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// CopyFrom takes the content of a definition from elsewhere and keeps the
// river's own IDs, status and version, so a write does not change them.
func TestDefinitionCopyFrom(t *testing.T) {
	t.Parallel()
	cur, _ := rivery.ParseRiverDefinition([]byte(fixture(t, "v1_river_definition.json")))
	src, _ := rivery.ParseRiverDefinition([]byte(`{"cross_id": "other", "environment_id": "other-env", "name": "new name", "type": "source_to_target",
		"metadata": {"description": "from dev", "river_status": "disabled", "current_version_id": "dev-version"}, "properties": {"x": 1}}`))
	cur.CopyFrom(src)
	if cur.ID() != riverID || cur.Status() != rivery.RiverActive || cur.CurrentVersionID() != "67bb00000000000000000003" {
		t.Errorf("kept: %s %s %s", cur.ID(), cur.Status(), cur.CurrentVersionID())
	}
	if cur.Name() != "new name" || cur.Description() != "from dev" || string(cur.Properties()) != `{"x": 1}` || cur.Settings() != nil || cur.GroupID() != "" {
		t.Errorf("content: %q %q %s %s", cur.Name(), cur.Description(), cur.Properties(), cur.Settings())
	}
	if !cur.Portable().Equal(src.Portable()) {
		t.Error("after CopyFrom the portable forms differ")
	}
	b, _ := json.Marshal(cur)
	if !strings.Contains(string(b), `"environment_id":"6a7b8c9d0e1f2a3b4c5d6e7f"`) {
		t.Errorf("environment: %s", b)
	}
}

// Definitions that hold the same JSON are equal however their nested keys
// are ordered or spaced; a different value is not.
func TestRiverDefinitionEqualIgnoresLayout(t *testing.T) {
	t.Parallel()
	parse := func(s string) *rivery.RiverDefinition {
		t.Helper()
		d, err := rivery.ParseRiverDefinition([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := parse(`{"name":"orders","properties":{"source":{"table":"orders","rows":1.50},"target":"sf"}}`)
	b := parse(`{ "properties" : { "target": "sf", "source": {"rows": 1.50, "table": "orders"} }, "name": "orders" }`)
	c := parse(`{"name":"orders","properties":{"source":{"table":"orders","rows":1.5},"target":"sf"}}`)
	if !a.Equal(b) || !b.Equal(a) {
		t.Error("same JSON, other key order and spacing: not equal")
	}
	if a.Equal(c) {
		t.Error("1.50 and 1.5 written differently: equal; want the numbers kept as sent")
	}
}
