package rivery_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// The fixes of issue #23, each against the documented shape that broke
// it (testdata/shapes: Boomi's reference, its tooling, the console's
// fixtures). Every test here failed before its fix.

// shape reads a fixture of testdata/shapes.
func shape(t *testing.T, name string) string {
	t.Helper()
	return fixture(t, "shapes/"+name)
}

const shapesRiver = "63b724fc690def001131d242"

// Fix 1: the reference's environment item sends is_deleted (and
// is_default) as the strings "False" and "True".
func TestFix1EnvironmentsReferenceShape(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", httpmock.NewStringResponder(200, shape(t, "ref_environments.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments/"+envID, httpmock.NewStringResponder(200, shape(t, "ref_environment.json")))
	envs, _, err := c.Environments.List(context.Background(), nil)
	if err != nil || len(envs) != 2 {
		t.Fatalf("List = %v, %v", envs, err)
	}
	if e := envs[0]; e.ID != envID || e.Name != "Analytics Dev" || e.Deleted || e.Description != "Where new rivers are tried" {
		t.Errorf("environment 0 = %+v", e)
	}
	if e := envs[1]; e.Name != "Retired QA" || !e.Deleted {
		t.Errorf("environment 1 = %+v", e)
	}
	env, _, err := c.Environments.Get(context.Background(), envID)
	if err != nil || env.ID != envID || env.Deleted {
		t.Errorf("Get = %+v, %v", env, err)
	}
}

// Fix 2: a version's time is insert_date and its author user_info's name.
func TestFix2VersionsInsertDateAndAuthor(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"ref_versions.json", "fx_versions.json"} {
		c, mock := setup(t, v1()...)
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+shapesRiver+"/versions", httpmock.NewStringResponder(200, shape(t, name)))
		vs, _, err := c.Rivers.ListVersions(context.Background(), shapesRiver, nil)
		if err != nil || len(vs) != 2 {
			t.Fatalf("%s: ListVersions = %v, %v", name, vs, err)
		}
		if v := vs[0]; v.CreatedAt.IsZero() || v.CreatedBy != "Rina Adler" || !v.Bookmarked {
			t.Errorf("%s: version 0 = %+v", name, v)
		}
		if v := vs[1]; v.CreatedAt.IsZero() || v.Bookmarked {
			t.Errorf("%s: version 1 = %+v", name, v)
		}
	}
}

// Fix 3: an empty 2xx to activate_river or disable_river means the river
// already is in that state: done.
func TestFix3ActivateEmpty2xxIsDone(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 202, 204} {
		for _, body := range []string{"", " \n", "null", "{}"} {
			if status == 204 && body != "" {
				continue
			}
			c, mock := setup(t, v1()...)
			var rec recorder
			mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/activate_river", rec.reply(status, body))
			mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/disable_river", rec.reply(status, body))
			for _, call := range []func(context.Context, string) (*rivery.Operation, *rivery.Response, error){c.Rivers.Activate, c.Rivers.Disable} {
				op, _, err := call(context.Background(), riverID)
				if err != nil || op == nil || op.Status != rivery.OperationDone {
					t.Fatalf("%d %q: op = %+v, %v; want a finished operation", status, body, op, err)
				}
				if done, err := c.Rivers.WaitForOperation(context.Background(), op, nil); err != nil || done != op {
					t.Errorf("%d %q: WaitForOperation = %+v, %v", status, body, done, err)
				}
			}
			if n := len(rec.all()); n != 2 {
				t.Errorf("%d %q: %d requests, want 2 (no polling)", status, body, n)
			}
		}
	}
}

// Fix 6: the legacy reference shows GET /api/rivers answering one object.
func TestFix6ConsoleRiversListTakesAnObject(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", httpmock.NewStringResponder(200, shape(t, "legacy_rivers_object.json")))
	rivers, _, err := c.Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) != 1 || rivers[0].ID != shapesRiver || rivers[0].Name != "orders nightly" || rivers[0].Scheduled {
		t.Fatalf("List = %+v, %v", rivers, err)
	}
}

// Fix 7: an error answer of the Boomi exchange that echoes the
// credential, in any of its forms, never reaches an error, a log or fmt.
func TestFix7BoomiExchangeErrorIsScrubbed(t *testing.T) {
	t.Parallel()
	pair := "BOOMI_TOKEN." + boomiUser + ":" + boomiAPIToken
	echo := fmt.Sprintf(`{"message": "bad credentials: Authorization: %s; pair %s; token %s; encoded %s"}`,
		boomiBasic, pair, boomiAPIToken, strings.TrimPrefix(boomiBasic, "Basic "))
	for _, status := range []int{401, 403, 500} {
		h := &capture{}
		ts := newBoomiSource(t)
		c, mock := setupSource(t, ts, append(v1(), rivery.WithLogger(slog.New(h)), rivery.WithoutRetries())...)
		mock.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(status, echo))
		_, _, err := c.Rivers.Get(context.Background(), riverID)
		if err == nil {
			t.Fatalf("%d: want an error", status)
		}
		_, terr := ts.Token(context.Background())
		var outs []string
		for _, e := range []error{err, terr} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				outs = append(outs, fmt.Sprintf(verb, e))
			}
			var apiErr *rivery.APIError
			if errors.As(e, &apiErr) {
				outs = append(outs, apiErr.Message, string(apiErr.Body))
			}
		}
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "err", err)
		outs = append(outs, logs.String())
		outs = append(outs, h.all()...)
		for _, out := range outs {
			checkNoSecrets(t, fmt.Sprint(status), out)
		}
	}
}

// Fix 8: the scopes the console's tokens carry are not deprecated.
func TestFix8ScopesInUseAreNotDeprecated(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "tokens.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	inUse := map[string]bool{"ScopeActivityList": true, "ScopeEnvironmentList": true, "ScopeOperationsList": true, "ScopeTeamList": true}
	found := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for _, n := range vs.Names {
				if !inUse[n.Name] {
					continue
				}
				found++
				if vs.Doc != nil && strings.Contains(vs.Doc.Text(), "Deprecated:") {
					t.Errorf("%s is marked Deprecated, but live tokens carry it", n.Name)
				}
			}
		}
	}
	if found != len(inUse) {
		t.Errorf("found %d of the %d scope constants", found, len(inUse))
	}
}

// Fix 9: run tasks carry task_status, source and target.
func TestFix9RunTasksConsoleShape(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID+"/tasks", httpmock.NewStringResponder(200, shape(t, "fx_tasks.json")))
	tasks, _, err := c.Rivers.RunTasks(context.Background(), riverID, runID)
	if err != nil || len(tasks) != 2 {
		t.Fatalf("RunTasks = %v, %v", tasks, err)
	}
	if r := tasks[0]; r.Status != rivery.StatusSucceeded || r.Source != "Jira" || r.Target != "Snowflake" || r.Name != "Jira to Snowflake" || r.TaskID != "64f0a1b2c3d4e5f60718293a" {
		t.Errorf("task 0 = %+v", r)
	}
	if r := tasks[1]; r.Status != rivery.StatusFailed || r.Message != "Endpoint answered 500" || r.Source != "actions" {
		t.Errorf("task 1 = %+v", r)
	}
}

// Fix 9: logic steps come as an object keyed by the step's name.
func TestFix9LogicStepsKeyedByName(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID+"/logic_steps", httpmock.NewStringResponder(200, shape(t, "fx_logic_steps.json")))
	steps, _, err := c.Rivers.LogicSteps(context.Background(), riverID, runID)
	if err != nil || len(steps) != 2 {
		t.Fatalf("LogicSteps = %v, %v", steps, err)
	}
	if s := steps[0]; s.Name != "Logic Step(0)" || s.ID != "aa11bb22cc33dd44ee55ff6677889900" || s.Status != rivery.StatusSucceeded || s.Type != "athena" || s.StartedAt.IsZero() {
		t.Errorf("step 0 = %+v", s)
	}
	if s := steps[1]; s.Name != "Load regions" || s.Status != rivery.StatusFailed || s.Message != "SQL compilation error" || s.Iteration != 2 {
		t.Errorf("step 1 = %+v", s)
	}
}

// Fix 9: a skipped trigger without a runs list is a skipped run; a 2xx
// {"error": "Rate limit exceeded ..."} started nothing.
func TestFix9TriggerSkippedAndRateLimited(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", httpmock.NewStringResponder(201, shape(t, "fx_trigger_skipped.json")))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.Status != rivery.StatusSkipped || run.InFlightRunID != "7e6d5c4b3a2910f8e7d6c5b4a3928176" ||
		run.GroupID != "7e6d5c4b3a2910f8e7d6c5b4a3928178" || !strings.Contains(run.Message, "already in progress") {
		t.Errorf("skipped: Run = %+v, %v", run, err)
	}

	c, mock = setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", rec.reply(201, shape(t, "fx_trigger_rate_limited.json")))
	run, _, err = c.Rivers.Run(context.Background(), riverID)
	if run != nil || !errors.Is(err, rivery.ErrRateLimited) || rivery.MaybeApplied(err) ||
		!strings.Contains(err.Error(), "Rate limit exceeded: 1 per 1 minute") {
		t.Fatalf("rate limited: Run = %+v, %v (MaybeApplied %v)", run, err, rivery.MaybeApplied(err))
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("the refused trigger was sent %d times", n)
	}
}

// Fix 9: environments whose IDs come as {"$oid"}; the console addresses
// an environment by cross_id, which is the ID when present.
func TestFix9EnvironmentObjectIDs(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", httpmock.NewStringResponder(200, shape(t, "fx_environments_console.json")))
	envs, _, err := c.Environments.List(context.Background(), nil)
	if err != nil || len(envs) != 1 || envs[0].ID != envID || envs[0].Name != "Analytics Dev" {
		t.Fatalf("List = %+v, %v", envs, err)
	}
}

// Fix 9: a run's sub_river_id is kept.
func TestFix9RunSubRiverID(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, httpmock.NewStringResponder(200, shape(t, "fx_run_sub_river.json")))
	run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if err != nil || run.SubRiverID != "64e8f9a0b1c2d3e4f5a6b7c8" || run.Status != rivery.StatusSucceeded {
		t.Fatalf("GetRun = %+v, %v", run, err)
	}
}

// Fix 9: a v1 river's schedulers reach Schedule and Scheduled, its
// metadata its times and author.
func TestFix9V1RiverScheduleAndMetadata(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+shapesRiver, httpmock.NewStringResponder(200, shape(t, "fx_river_v1.json")))
	r, _, err := c.Rivers.Get(context.Background(), shapesRiver)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 109000000, time.UTC)
	modified := time.Date(2025, 5, 6, 7, 8, 9, 514000000, time.UTC)
	if r.Schedule != "10 14 * * 1" || !r.Scheduled || !r.CreatedAt.Equal(created) || !r.ModifiedAt.Equal(modified) || r.ModifiedBy != "Tomas Berg" {
		t.Errorf("Get = %+v", r)
	}
}

// Fix 9: a multi-value river variable's value is a []string.
func TestFix9MultiValueVariableIsStrings(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", httpmock.NewStringResponder(200, shape(t, "fx_river_variables.json")))
	vars, _, err := c.RiverVariables.List(context.Background(), riverID, nil)
	if err != nil || len(vars) != 3 {
		t.Fatalf("List = %v, %v", vars, err)
	}
	if v, ok := vars[1].Value.([]string); !ok || strings.Join(v, ",") != "eu,us,apac" {
		t.Errorf("regions = %#v (%T), want []string", vars[1].Value, vars[1].Value)
	}
	if s := vars[2].Settings; s == nil || !s.IsEncrypted || !s.ClearValueOnStart || s.IsMultiValue {
		t.Errorf("api_secret's settings = %+v; want is_private read as IsEncrypted", s)
	}
}

// Fix 9: next_page as "", " ", null, missing or misspelled costs no
// request and no error; total_items that disagrees with the items does
// not fail a read (the items are trusted).
func TestFix9NextPageFormsAndTotals(t *testing.T) {
	t.Parallel()
	for _, next := range []string{`""`, `" "`, `null`, ``, `"next_pages"`} {
		c, mock := setup(t, v1()...)
		var rec recorder
		body := `{"items":[{"river_cross_id":"a"}],"page":1,"total_items":7,"next_page":` + next + `}`
		switch next {
		case ``:
			body = `{"items":[{"river_cross_id":"a"}],"page":1}`
		case `"next_pages"`:
			body = `{"items":[{"river_cross_id":"a"}],"next_pages":null}`
		}
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, body))
		n := 0
		for r, err := range c.Rivers.All(context.Background(), nil) {
			if err != nil {
				t.Errorf("next_page %s: %v", next, err)
				break
			}
			n += len(r.ID)
		}
		if n != 1 || len(rec.all()) != 1 {
			t.Errorf("next_page %s: %d rivers in %d requests", next, n, len(rec.all()))
		}
	}
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/variables", httpmock.NewStringResponder(200, shape(t, "fx_river_variables_page.json")))
	vars, err := c.RiverVariables.GetAll(context.Background(), riverID)
	if err != nil || len(vars) != 1 {
		t.Errorf("GetAll with total_items 2 and one item = %v, %v", vars, err)
	}
}

// Fix 10: Variables.Delete sends one DELETE, as Boomi's tooling does.
func TestFix10VariablesDeleteIsOneRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodDelete, v1Env+"/variables", rec.reply(200, `{"message": "The variable has been deleted successfully"}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/variables", rec.reply(200, `{"variables": {"a b": "1"}}`))
	if _, err := c.Variables.Delete(context.Background(), "a b"); err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	if req.Method != http.MethodDelete || req.URL != v1Env+"/variables?variable_key=a+b" {
		t.Errorf("sent %s %s", req.Method, req.URL)
	}
}

// Fix 10: Replace sends exactly the settings the caller set.
func TestFix10RiverVariablesReplaceSendsWhatWasSet(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPut, v1Env+"/rivers/"+riverID+"/variables", rec.reply(200, `{"items": []}`))
	vars := []*rivery.RiverVariable{
		{Name: "plain", Value: "x"},
		{Name: "many", Value: []string{"a", "b"}, Settings: &rivery.RiverVariableSettings{IsMultiValue: true}},
	}
	if _, _, err := c.RiverVariables.Replace(context.Background(), riverID, vars); err != nil {
		t.Fatal(err)
	}
	checkJSON(t, rec.only(t).Body, `{"items": [{"name": "plain", "value": "x", "settings": {}},
		{"name": "many", "value": ["a", "b"], "settings": {"is_multi_value": true}}]}`)
}

// Fix 10: ListRuns sends its window as the activity calls do.
func TestFix10ListRunsWindowForm(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", rec.reply(200, shape(t, "fx_runs.json")))
	start := time.Date(2025, 5, 6, 9, 8, 9, 500, time.FixedZone("CEST", 2*3600))
	opts := &rivery.ListRunsOptions{StartTime: start, EndTime: start.Add(time.Hour)}
	runs, _, err := c.Rivers.ListRuns(context.Background(), riverID, opts)
	if err != nil || len(runs) != 2 {
		t.Fatalf("ListRuns = %v, %v", runs, err)
	}
	u, _ := url.Parse(rec.only(t).URL)
	if q := u.Query(); q.Get("start_time") != "2025-05-06T07:08:09" || q.Get("end_time") != "2025-05-06T08:08:10" {
		t.Errorf("window sent as %s", u.RawQuery)
	}
}

// The rule itself, before the property test: optional fields in the
// string and zone-less forms the API sends never fail a call.
func TestTolerantOptionalFields(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens/t1", httpmock.NewStringResponder(200,
		`{"token_id": "t1", "name": "ci", "scopes": ["river:list"], "created_at": "2025-05-06T07:08:09.101112", "last_used_at": ""}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, httpmock.NewStringResponder(200,
		`{"cross_id": "`+riverID+`", "name": "x", "schedulers": [{"cron_expression": "0 3 * * *", "is_enabled": "True"}]}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", httpmock.NewStringResponder(200,
		`{"items": [{"cross_id": "`+riverID+`", "is_scheduled": "True", "is_sub_river": "False", "is_master_river": 1, "failed": "2"}]}`))
	ctx := context.Background()
	tok, _, err := c.Tokens.Get(ctx, "t1")
	if err != nil || tok.CreatedAt.IsZero() || tok.LastUsedAt != nil {
		t.Errorf("Tokens.Get = %+v, %v", tok, err)
	}
	r, _, err := c.Rivers.Get(ctx, riverID)
	if err != nil || len(r.Schedulers) != 1 || !r.Schedulers[0].Enabled {
		t.Errorf("Rivers.Get = %+v, %v", r, err)
	}
	acts, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: rivery.LastWindow(time.Hour)})
	if err != nil || len(acts) != 1 || !acts[0].Scheduled || acts[0].SubRiver || !acts[0].MasterRiver || acts[0].Counts.Failed != 2 {
		t.Errorf("Activities.List = %+v, %v", acts, err)
	}
}

// Fix 1: what the reference's environment item holds reaches Environment,
// and the list's filters are sent.
func TestFix1EnvironmentFieldsAndFilters(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", rec.reply(200, shape(t, "ref_environments.json")))
	envs, _, err := c.Environments.ListFiltered(context.Background(), &rivery.ListEnvironmentsOptions{
		ListOptions: rivery.ListOptions{PerPage: 200}, IncludeDeleted: true, Deployable: true,
	})
	if err != nil || len(envs) != 2 {
		t.Fatalf("ListFiltered = %v, %v", envs, err)
	}
	if u := rec.only(t).URL; u != v1Account+"/environments?include_deleted=true&is_deployable_environments=true&items_per_page=200" {
		t.Errorf("URL = %s", u)
	}
	e := envs[0]
	if e.CrossID != envID || e.Color != "Gray" || !e.Default ||
		!e.CreatedAt.Equal(time.Date(2025, 3, 14, 9, 26, 53, 589000000, time.UTC)) ||
		!e.UpdatedAt.Equal(time.Date(2025, 4, 1, 11, 22, 33, 445566000, time.UTC)) {
		t.Errorf("environment 0 = %+v", e)
	}
	if v := e.Variables(); len(v) != 3 || v["days_back"] != "0" || v["landing_bucket"] != "acme-landing" {
		t.Errorf("variables = %v", v)
	}
	e.Variables()["days_back"] = "changed" // a copy
	if e.Variables()["days_back"] != "0" {
		t.Error("Variables returned the environment's own map")
	}
	if e := envs[1]; e.ID != "6a7b8c9d0e1f2a3b4c5d6e83" || e.CrossID != e.ID || e.Default || e.Variables() == nil {
		t.Errorf("environment 1 = %+v (ID from cross_id, not _id)", e)
	}

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", httpmock.NewStringResponder(200, shape(t, "fx_environments.json")))
	envs, _, err = c.Environments.List(context.Background(), nil)
	if err != nil || len(envs) != 2 {
		t.Fatalf("List (console fixture shape) = %v, %v", envs, err)
	}
	if e := envs[0]; !e.CreatedAt.IsZero() || !e.UpdatedAt.Equal(time.Date(2025, 4, 1, 11, 22, 33, 445566000, time.UTC)) ||
		e.Variables()["retries"] != "3" || e.Variables()["flag"] != "" || !strings.Contains(e.Variables()["creds"], `"api_key": "not-a-real-key"`) {
		t.Errorf("environment 0 = %+v, variables %v", e, e.Variables())
	}
	if e := envs[1]; !e.UpdatedAt.Equal(time.Unix(1726000000, 0).UTC()) || !e.Default || e.Color != "tagGeekBlue" {
		t.Errorf("environment 1 = %+v (updated_at as epoch seconds in a string)", e)
	}
}

// Fix 2: a version's author ID, email and predecessor, and the list's
// statistics.
func TestFix2VersionFieldsAndStatistics(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+shapesRiver+"/versions", httpmock.NewStringResponder(200, shape(t, "ref_versions.json")))
	page, _, err := c.Rivers.VersionsPage(context.Background(), shapesRiver, nil)
	if err != nil || len(page.Versions) != 2 {
		t.Fatalf("VersionsPage = %+v, %v", page, err)
	}
	want := rivery.RiverVersionStats{TotalVersions: 2, VersionsAllowed: 70, BookmarkedVersions: 1, BookmarksAllowed: 30, SnapshotVersions: 1}
	if page.Statistics != want {
		t.Errorf("statistics = %+v, want %+v", page.Statistics, want)
	}
	v := page.Versions[0]
	if !v.CreatedAt.Equal(time.Date(2025, 5, 6, 7, 8, 9, 101112000, time.UTC)) || v.CreatedByID != "6b11c2d3e4f5a6b7c8d9e0f1" ||
		v.CreatedByEmail != "rina@acme.example" || v.PreviousVersion != "67cc00000000000000000001" {
		t.Errorf("version 0 = %+v", v)
	}
	if v := page.Versions[1]; v.CreatedBy != "6b11c2d3e4f5a6b7c8d9e0f2" || v.PreviousVersion != "" {
		t.Errorf("version 1 = %+v (no user_info: the author is the user ID)", v)
	}

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+shapesRiver+"/versions", httpmock.NewStringResponder(200, shape(t, "fx_versions_invalid.json")))
	vs, _, err := c.Rivers.ListVersions(context.Background(), shapesRiver, nil)
	if err != nil || len(vs) != 1 || !vs[0].CreatedAt.IsZero() || vs[0].Definition != nil || vs[0].ID != "67cc00000000000000000021" {
		t.Errorf("a version with insert_date and river \"FAKE\": %+v, %v", vs, err)
	}
}

// Fix 4: an operation's type, run, last update and result.
func TestFix4OperationFields(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/68aa00000000000000000001", httpmock.NewStringResponder(200, shape(t, "ref_operation.json")))
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/disable_river", httpmock.NewStringResponder(202, shape(t, "fx_operation_disable.json")))
	op, err := c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "68aa00000000000000000001", Status: rivery.OperationWaiting}, fastWait())
	if err != nil {
		t.Fatal(err) // a D with an error_message is done all the same
	}
	want := rivery.Operation{ID: "68aa00000000000000000001", Status: rivery.OperationDone,
		ErrorMessage: "[RVR-QBK-003]: Response value error: Missing Rows/Columns", Type: "dataframe",
		RunID: "7e6d5c4b3a2910f8e7d6c5b4a3928170", UpdatedAt: time.Date(2025, 5, 6, 7, 8, 9, 101112000, time.UTC), Result: `"true"`}
	if *op != want {
		t.Errorf("operation = %+v\nwant %+v", *op, want)
	}
	op, _, err = c.Rivers.Disable(context.Background(), riverID)
	if err != nil || op.Type != "disable_river" || op.Result != `{
    "results": {}
  }` || op.ErrorMessage != "" || op.Status != rivery.OperationWaiting {
		t.Errorf("Disable = %+v, %v", op, err)
	}
}

// Fix 5: a v1 run's units, source and target.
func TestFix5RunUnitsSourceTarget(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, httpmock.NewStringResponder(200, shape(t, "fx_run_warning.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", httpmock.NewStringResponder(200, shape(t, "fx_runs.json")))
	run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if err != nil || run.Units != 8.4e-05 || run.SourceName != "predefined_project" || run.TargetName != "jira_project" ||
		run.Status != rivery.StatusSucceeded || !strings.HasPrefix(run.Message, "Done With Warning") || run.SubRiverRun {
		t.Errorf("GetRun = %+v, %v", run, err)
	}
	// end_date_utc and end_date_in_milliseconds disagree in the console's
	// fixture: the string wins.
	if !run.EndedAt.Equal(time.Date(2025, 5, 6, 7, 8, 21, 0, time.UTC)) {
		t.Errorf("EndedAt = %v", run.EndedAt)
	}
	runs, _, err := c.Rivers.ListRuns(context.Background(), riverID, &rivery.ListRunsOptions{StartTime: time.Unix(1746500000, 0), EndTime: time.Unix(1746600000, 0)})
	if err != nil || len(runs) != 2 || runs[0].Units != 1 || runs[1].TargetName != "" || runs[1].Status != rivery.StatusFailed {
		t.Errorf("ListRuns = %+v, %v", runs, err)
	}
}

// Fix 8: the scopes in use have constants.
func TestFix8ScopeConstants(t *testing.T) {
	t.Parallel()
	for c, want := range map[rivery.Scope]string{
		rivery.ScopeActivityLog: "activity:log", rivery.ScopeAccountList: "account:list", rivery.ScopeDataframeList: "dataframe:list",
		rivery.ScopeDataframeWrite: "dataframe:write", rivery.ScopeDataframeDelete: "dataframe:delete",
		rivery.ScopeDataQualityTestList: "data_quality_test:list", rivery.ScopeDataQualityTestWrite: "data_quality_test:write",
		rivery.ScopeLogicodeList: "logicode:list", rivery.ScopeConnectionTest: "connection:test", rivery.ScopeFileEdit: "file:edit",
		rivery.ScopeRiverWrite: "river:write", rivery.ScopePlanList: "plan:list", rivery.ScopeAuditList: "audit:list",
		rivery.ScopeDatasourceList: "datasource:list", rivery.ScopeUserList: "user:list", rivery.ScopeAccountWrite: "account:write",
	} {
		if string(c) != want {
			t.Errorf("%q, want %q", c, want)
		}
	}
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens/c0ffee00c0ffee00c0ffee00c0ffee01", httpmock.NewStringResponder(200, shape(t, "fx_token_console.json")))
	tok, _, err := c.Tokens.Get(context.Background(), "c0ffee00c0ffee00c0ffee00c0ffee01")
	if err != nil || tok.Name != "nightly-ci" || len(tok.Scopes) != 5 || tok.Scopes[2] != rivery.ScopeActivityList ||
		!tok.CreatedAt.Equal(time.UnixMilli(1746515289101).UTC()) || tok.LastUsedAt != nil || tok.CreatedBy != "6b11c2d3e4f5a6b7c8d9e0f1" {
		t.Errorf("the console's token shape: %+v, %v", tok, err)
	}
}
