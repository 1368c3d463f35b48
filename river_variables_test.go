package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// riverVarsPages answers a river's n variables 20 a page, whatever
// items_per_page asks, as the live API's default page; each item carries a
// field the SDK does not know.
func riverVarsPages(t *testing.T, n int, rec *recorder) httpmock.Responder {
	t.Helper()
	return func(req *http.Request) (*http.Response, error) {
		page := 1
		if p := req.URL.Query().Get("page"); p != "" {
			_, _ = fmt.Sscan(p, &page)
		}
		var items []map[string]any
		for i := (page - 1) * 20; i < min(page*20, n); i++ {
			items = append(items, map[string]any{
				"name":     fmt.Sprintf("var_%02d", i),
				"value":    fmt.Sprintf("value %d", i),
				"settings": map[string]any{"clear_value_on_start": i%2 == 0, "is_multi_value": false, "is_encrypted": i == 7},
				"note":     fmt.Sprintf("n%d", i),
			})
		}
		env := map[string]any{"items": items, "page": page, "current_page_size": len(items), "total_items": n, "next_page": nil, "previous_page": nil}
		if page*20 < n {
			env["next_page"] = fmt.Sprintf("%s/rivers/%s/variables?page=%d", v1Env, riverID, page+1)
		}
		b, _ := json.Marshal(env)
		return rec.reply(200, string(b))(req)
	}
}

func TestRiverVariablesSetKeepsAllFortyFive(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var reads, writes recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", riverVarsPages(t, 45, &reads))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/variables", writes.reply(200, `{"items": []}`))

	_, err := c.RiverVariables.Set(context.Background(), riverID,
		&rivery.RiverVariable{Name: "var_07", Value: "changed"}, // encrypted: keeps its settings
		&rivery.RiverVariable{Name: "new_one", Value: []string{"a", "b"}, Settings: &rivery.RiverVariableSettings{IsMultiValue: true}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reads.all()); n != 6 {
		t.Errorf("%d reads, want 6 (3 pages, twice)", n)
	}
	if q := reads.all()[0].URL; !strings.Contains(q, "items_per_page=500") {
		t.Errorf("first read %s does not ask for the largest page", q)
	}
	var body struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(writes.only(t).Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Items) != 46 {
		t.Fatalf("PUT sent %d variables, want 45 + 1", len(body.Items))
	}
	for i := range 45 {
		it := body.Items[i]
		wantValue := fmt.Sprintf("value %d", i)
		if i == 7 {
			wantValue = "changed"
		}
		st := it["settings"].(map[string]any)
		if it["name"] != fmt.Sprintf("var_%02d", i) || it["value"] != wantValue || it["note"] != fmt.Sprintf("n%d", i) ||
			st["clear_value_on_start"] != (i%2 == 0) || st["is_encrypted"] != (i == 7) || st["is_multi_value"] != false {
			t.Errorf("item %d = %v", i, it)
		}
	}
	last := body.Items[45]
	if last["name"] != "new_one" || fmt.Sprint(last["value"]) != "[a b]" || last["settings"].(map[string]any)["is_multi_value"] != true {
		t.Errorf("new item = %v", last)
	}
}

func TestRiverVariablesSetRefusesAConcurrentChange(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	first := riverVarsPages(t, 3, &rec)
	second := riverVarsPages(t, 4, &rec) // someone added one between the reads
	calls := 0
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", func(req *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return first(req)
		}
		return second(req)
	})
	_, err := c.RiverVariables.Set(context.Background(), riverID, &rivery.RiverVariable{Name: "x", Value: "1"})
	if !errors.Is(err, rivery.ErrConcurrentChange) || !errors.Is(err, rivery.ErrConflict) || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("Set = %v", err)
	}
}

// total_items that disagrees with the items (the console's fixtures show
// it often) does not fail a read: the items are trusted. (Until issue #23
// GetAll and Set refused such pages as a concurrent change; Set's second
// read still catches one.)
func TestRiverVariablesGetAllTrustsTheItems(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var writes recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables",
		(&recorder{}).reply(200, `{"items": [{"name": "a", "value": "1", "settings": {}}], "page": 1, "total_items": 2, "next_page": null}`))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/variables", writes.reply(200, `{}`))
	if vars, err := c.RiverVariables.GetAll(context.Background(), riverID); err != nil || len(vars) != 1 {
		t.Errorf("GetAll = %v, %v", vars, err)
	}
	if _, err := c.RiverVariables.Set(context.Background(), riverID, &rivery.RiverVariable{Name: "a", Value: "2"}); err != nil {
		t.Errorf("Set = %v", err)
	}
	checkJSON(t, writes.only(t).Body, `{"items": [{"name": "a", "value": "2", "settings": {}}]}`)
}

func TestRiverVariablesDecodeAndRoundTrip(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var writes recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", (&recorder{}).reply(200, fixture(t, "v1_river_variables.json")))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/variables", writes.reply(200, fixture(t, "v1_river_variables.json")))
	ctx := context.Background()
	vars, _, err := c.RiverVariables.List(ctx, riverID, nil)
	if err != nil || len(vars) != 3 {
		t.Fatalf("List = %v, %v", vars, err)
	}
	if vars[1].Settings == nil || !vars[1].Settings.IsMultiValue || fmt.Sprint(vars[1].Value) != "[eu us]" || !vars[2].Settings.IsEncrypted {
		t.Errorf("vars = %+v %+v", vars[1], vars[2])
	}
	// Replace sends what was read unchanged, unknown fields included.
	got, _, err := c.RiverVariables.Replace(ctx, riverID, vars)
	if err != nil || len(got) != 3 {
		t.Fatalf("Replace = %v, %v", got, err)
	}
	var sent, read struct{ Items []json.RawMessage }
	_ = json.Unmarshal(writes.only(t).Body, &sent)
	_ = json.Unmarshal([]byte(fixture(t, "v1_river_variables.json")), &read)
	for i := range read.Items {
		checkJSON(t, sent.Items[i], string(read.Items[i]))
	}
}

func TestRiverVariablesRefuseBadArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	cases := map[string]error{}
	_, cases["Set no vars"] = c.RiverVariables.Set(ctx, riverID)
	_, cases["Set nil var"] = c.RiverVariables.Set(ctx, riverID, nil)
	_, cases["Set empty name"] = c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{})
	_, cases["Set twice"] = c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "a"}, &rivery.RiverVariable{Name: "a"})
	_, cases["Set bad river"] = c.RiverVariables.Set(ctx, "a/b", &rivery.RiverVariable{Name: "a"})
	_, _, cases["Replace bad river"] = c.RiverVariables.Replace(ctx, "", nil)
	_, _, cases["List bad river"] = c.RiverVariables.List(ctx, "", nil)
	_, cases["GetAll bad river"] = c.RiverVariables.GetAll(ctx, "..")
	for _, err := range c.RiverVariables.All(ctx, "", nil) {
		cases["All bad river"] = err
	}
	for name, err := range cases {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A new variable without settings is sent with empty settings (the API
// requires settings on every item, and resets a flag left out to false;
// before 0.2 they were left out, before issue #23 all three flags were
// sent false). Setting what is already there writes nothing.
func TestRiverVariablesSetDefaultsAndNoOp(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var reads, writes recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", reads.reply(200, fixture(t, "v1_river_variables.json")))
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/variables", writes.reply(200, `{}`))
	ctx := context.Background()
	if _, err := c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "fresh", Value: "1"}); err != nil {
		t.Fatal(err)
	}
	var body struct{ Items []json.RawMessage }
	_ = json.Unmarshal(writes.only(t).Body, &body)
	checkJSON(t, body.Items[3], `{"name": "fresh", "value": "1", "settings": {}}`)

	reads = recorder{}
	got, err := c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "start_date", Value: "2026-01-01"})
	if err != nil || len(got) != 3 || len(writes.all()) != 1 || len(reads.all()) != 1 {
		t.Errorf("no-op Set: %v, %d writes, %d reads", err, len(writes.all()), len(reads.all()))
	}
}

// The total checked is the first page's; a list that gives none (0) is
// not checked against one.
func TestRiverVariablesTotalFromTheFirstPage(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	u := v1Env + "/rivers/" + riverID + "/variables"
	mock.RegisterResponder(http.MethodGet, u, (&recorder{}).reply(200,
		`{"items": [{"name": "a", "value": "1"}], "page": 1, "next_page": "`+u+`?page=2"}`))
	mock.RegisterResponderWithQuery(http.MethodGet, u, "page=2", (&recorder{}).reply(200,
		`{"items": [{"name": "b", "value": "2"}], "page": 2, "total_items": 5, "next_page": null}`))
	vars, err := c.RiverVariables.GetAll(context.Background(), riverID)
	if err != nil || len(vars) != 2 || vars[0].Name != "a" || vars[1].Name != "b" {
		t.Errorf("GetAll = %v, %v; want a and b", vars, err)
	}
}

// Replace returns the set the server answers with, or the set sent when
// the answer holds none; a variable built in code marshals.
func TestRiverVariablesReplaceAnswer(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	u := v1Env + "/rivers/" + riverID + "/variables"
	mock.RegisterResponder(http.MethodPut, u, sequence(
		httpmock.NewStringResponder(200, `{}`),
		httpmock.NewStringResponder(200, `{"items": [{"name": "a", "value": "as stored"}]}`),
	))
	sent := []*rivery.RiverVariable{{Name: "a", Value: "1"}}
	for i, want := range []string{"1", "as stored"} {
		got, _, err := c.RiverVariables.Replace(context.Background(), riverID, sent)
		if err != nil || len(got) != 1 || got[0].Value != want {
			t.Errorf("answer %d: Replace = %v, %v; want a = %q", i+1, got, err, want)
		}
	}
	b, err := json.Marshal(rivery.RiverVariable{Name: "x", Value: "y"})
	if err != nil || !strings.Contains(string(b), `"x"`) {
		t.Errorf("json = %s, %v", b, err)
	}
}
