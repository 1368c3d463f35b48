package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// Unit tests of the live API's shapes (API.md section 6), decoded from
// fixtures in testdata, on both families where the call has both.

const (
	masterRiver = "63b724fc690def001131d243"
	subRun1     = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b01"
	subRun2     = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b02"
	subRun3     = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b03"
	groupID     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
)

func TestConsoleRiversListNested(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", httpmock.NewStringResponder(200, fixture(t, "console_rivers_live.json")))
	rivers, _, err := c.Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) != 2 {
		t.Fatalf("List = %v, %v", rivers, err)
	}
	r := rivers[0]
	mod := time.Date(2026, 11, 20, 14, 45, 12, 345678000, time.UTC)
	if r.ID != riverID || r.Name != "orders to warehouse" || r.Status != rivery.RiverActive || r.Type != "src_to_trgt" ||
		r.TypeTitle != "Source to Target" || r.Description != "Nightly load of the orders table" ||
		r.GroupID != "64c1d2e3f4a5b6c7d8e9f0aa" || r.GroupName != "Sales" || !r.Scheduled || r.Schedule != "0 0 3 * * ? *" ||
		len(r.Schedulers) != 1 || r.Schedulers[0] != (rivery.Scheduler{CronExpression: "0 0 3 * * ? *", Enabled: true}) ||
		r.SourceName != "PostgreSQL" || r.TargetName != "Snowflake" || r.ModifiedBy != "Ada Lovelace" ||
		!r.ModifiedAt.Equal(mod) || !r.CreatedAt.Equal(time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("river 0 = %+v", r)
	}
	r = rivers[1]
	if r.ID != masterRiver || r.Status != rivery.RiverDisabled || r.Type != "logic" || r.TargetName != "" || r.Scheduled || r.Schedulers != nil {
		t.Errorf("river 1 = %+v", r)
	}
}

// The 0.1.0 flat console shape still decodes.
func TestConsoleRiversListFlatStillReads(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", httpmock.NewStringResponder(200, fixture(t, "console_rivers.json")))
	rivers, _, err := c.Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) == 0 || rivers[0].ID == "" || rivers[0].Name == "" {
		t.Fatalf("List = %v, %v", rivers, err)
	}
}

func TestConsoleRiversGetArrayObjectEmpty(t *testing.T) {
	t.Parallel()
	one := fixture(t, "console_river_live.json")
	obj := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(one), "["), "]")
	for _, tt := range []struct {
		name, body string
		found      bool
	}{
		{"one-element array", one, true},
		{"object", obj, true},
		{"empty array", "[]", false},
		{"null", "null", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers/"+riverID, rec.reply(200, tt.body))
			r, _, err := c.Rivers.Get(context.Background(), riverID)
			rec.only(t)
			if !tt.found {
				if r != nil || !errors.Is(err, rivery.ErrNotFound) {
					t.Fatalf("Get = %+v, %v; want ErrNotFound", r, err)
				}
				return
			}
			if err != nil || r.ID != riverID || r.Name != "orders to warehouse" || r.GroupName != "Sales" {
				t.Fatalf("Get = %+v, %v", r, err)
			}
		})
	}
}

func TestConsoleCheckRunWithoutStatusIsPending(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(200, fixture(t, "console_check_run_nostatus.json")),
		httpmock.NewStringResponder(200, fixture(t, "console_run.json")),
		httpmock.NewStringResponder(200, fixture(t, "console_check_run.json")),
	))
	run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if err != nil || run.Status != rivery.StatusPending || run.RawStatus != "" || run.Message != "Run is waiting for a worker" {
		t.Fatalf("GetRun = %+v, %v", run, err)
	}
	// WaitForRun keeps polling through the missing status.
	done, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if done == nil || done.Status != rivery.StatusFailed || !errors.Is(err, rivery.ErrRunFailed) {
		t.Fatalf("WaitForRun = %+v, %v", done, err)
	}
}

func TestCanceledRunSettlingAsFailed(t *testing.T) {
	t.Parallel()
	for _, fam := range []struct {
		name, url, body, raw string
		opts                 []rivery.Option
	}{
		{"console", consoleBase + "/api/check_run", "console_check_run_canceled.json", "E", nil},
		{"v1", v1Env + "/rivers/" + riverID + "/runs/" + runID, "v1_run_canceled.json", "failed", v1()},
	} {
		t.Run(fam.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, fam.opts...)
			mock.RegisterResponder(http.MethodGet, fam.url, httpmock.NewStringResponder(200, fixture(t, fam.body)))
			run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
			if err != nil || run.Status != rivery.StatusCanceled || run.RawStatus != fam.raw || run.Message != "Run canceled" {
				t.Fatalf("GetRun = %+v, %v", run, err)
			}
		})
	}
}

// A trigger answer naming no run is an error matching ErrNoRunStarted,
// whose message says whether a run may have started; one trigger only.
func TestTriggerNamingNoRun(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
		v1, none   bool // none: the answer says no run started
	}{
		{"v1 empty runs", fixture(t, "v1_run_group_empty.json"), true, true},
		{"v1 object without runs", `{}`, true, false},
		{"v1 null", `null`, true, false},
		{"v1 run without ID", `{"run_group_id":"g","runs":[{"status":"pending"}]}`, true, false},
		{"v1 null runs", `{"run_group_id":"g","runs":[null, null]}`, true, false},
		{"console object without run", `{}`, false, false},
		{"console null", `null`, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []rivery.Option
			u := consoleBase + "/api/run"
			if tt.v1 {
				opts, u = v1(), v1Env+"/rivers/"+riverID+"/run"
			}
			c, mock := setup(t, opts...)
			var rec recorder
			mock.RegisterResponder(http.MethodPost, u, rec.reply(202, tt.body))
			run, _, err := c.Rivers.Run(context.Background(), riverID)
			rec.only(t)
			if run != nil || !errors.Is(err, rivery.ErrNoRunStarted) {
				t.Fatalf("Run = %+v, %v; want ErrNoRunStarted", run, err)
			}
			if got := strings.Contains(err.Error(), "no run started"); got != tt.none {
				t.Errorf("error %q: says no run started = %v, want %v", err, got, tt.none)
			}
			if got := strings.Contains(err.Error(), "may have started"); got == tt.none {
				t.Errorf("error %q: says a run may have started = %v, want %v", err, got, !tt.none)
			}
			// RunAndWait stops on it too, without a second trigger.
			if _, err := c.Rivers.RunAndWait(context.Background(), riverID, nil); !errors.Is(err, rivery.ErrNoRunStarted) {
				t.Errorf("RunAndWait = %v", err)
			}
		})
	}
}

func TestRunGroupOfSubRivers(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+masterRiver+"/run", httpmock.NewStringResponder(202, fixture(t, "v1_run_group_multi.json")))
	status := func(id, st, desc string) string {
		d := "null"
		if desc != "" {
			d = `"` + desc + `"`
		}
		return `{"run_id":"` + id + `","river_cross_id":"` + masterRiver + `","run_group_id":"` + groupID + `","status":"` + st +
			`","error_description":` + d + `,"start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":null}`
	}
	runURL := func(id string) string { return v1Env + "/rivers/" + masterRiver + "/runs/" + id }
	var rec1, rec2, rec3 recorder
	mock.RegisterResponder(http.MethodGet, runURL(subRun1), sequence(rec1.reply(200, status(subRun1, "running", "")), rec1.reply(200, status(subRun1, "succeeded", ""))))
	mock.RegisterResponder(http.MethodGet, runURL(subRun2), rec2.reply(200, status(subRun2, "failed", "Target table is locked")))
	mock.RegisterResponder(http.MethodGet, runURL(subRun3), rec3.reply(200, status(subRun3, "succeeded", "")))

	run, _, err := c.Rivers.Run(context.Background(), masterRiver)
	if err != nil || run.Group == nil || len(run.Group.Runs) != 3 || run.ID != subRun1 || run.GroupID != groupID || run.Status != rivery.StatusPending ||
		run.Group.Runs[2].SubRiverID != "64c1d2e3f4a5b6c7d8e9f103" || run.Group.Runs[1].ID != subRun2 {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	var seen []rivery.RunStatus
	done, err := c.Rivers.WaitForGroup(context.Background(), run, &rivery.WaitOptions{
		MinInterval: time.Millisecond, MaxInterval: time.Millisecond,
		OnStatus: func(r *rivery.Run) { seen = append(seen, r.Status) },
	})
	var runErr *rivery.RunError
	if !errors.As(err, &runErr) || done.Status != rivery.StatusPartial || done.Group == nil || len(done.Group.Runs) != 3 ||
		done.Group.Runs[0].Status != rivery.StatusSucceeded || done.Group.Runs[1].Status != rivery.StatusFailed ||
		!strings.Contains(done.Message, "Target table is locked") || done.Group.Runs[1].SubRiverID != "64c1d2e3f4a5b6c7d8e9f102" {
		t.Fatalf("WaitForGroup = %+v, %v", done, err)
	}
	if want := "rivery: run group " + groupID + " of river " + masterRiver + " (3 runs) ended partially succeeded: run " + subRun2 + " failed: Target table is locked"; err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	// Each run is polled until it ends, and not after.
	if n1, n2, n3 := len(rec1.all()), len(rec2.all()), len(rec3.all()); n1 != 2 || n2 != 1 || n3 != 1 {
		t.Errorf("status calls = %d, %d, %d; want 2, 1, 1", n1, n2, n3)
	}
	if len(seen) != 2 || seen[0] != rivery.StatusRunning || seen[1] != rivery.StatusPartial {
		t.Errorf("OnStatus saw %v", seen)
	}
	if run.Group.Runs[0].Status != rivery.StatusPending || done.Group == run.Group {
		t.Error("WaitForGroup changed the group it was given")
	}
	if done.Group.ID != groupID || done.Group.RiverID != masterRiver || done.GroupID != groupID {
		t.Errorf("group after waiting = %+v", done.Group)
	}
	for _, r := range done.Group.Runs {
		if r.Group != nil {
			t.Errorf("run %s points to a group", r.ID)
		}
	}
}

func TestRunAndWaitOnGroupWaitsForAll(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+masterRiver+"/run", httpmock.NewStringResponder(202, fixture(t, "v1_run_group_multi.json")))
	var rec recorder
	for _, id := range []string{subRun1, subRun2, subRun3} {
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+masterRiver+"/runs/"+id,
			rec.reply(200, `{"run_id":"`+id+`","status":"succeeded","end_date_utc":"2026-11-27T10:05:00Z"}`))
	}
	done, err := c.Rivers.RunAndWait(context.Background(), masterRiver, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if err != nil || done.Status != rivery.StatusSucceeded || done.Group == nil || len(done.Group.Runs) != 3 || done.EndedAt.IsZero() {
		t.Fatalf("RunAndWait = %+v, %v", done, err)
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("status calls = %d, want one per run", n)
	}
}

func TestSkippedTriggerAttachesToRunInFlight(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", httpmock.NewStringResponder(202, fixture(t, "v1_run_group_skipped.json")))
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		rec.reply(200, fixture(t, "v1_run.json")),
		rec.reply(200, `{"run_id":"`+runID+`","river_cross_id":"`+riverID+`","status":"succeeded"}`),
	))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.Status != rivery.StatusSkipped || run.InFlightRunID != runID {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	done, err := c.Rivers.RunAndWait(context.Background(), riverID, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if err != nil || done.ID != runID || done.Status != rivery.StatusSucceeded {
		t.Fatalf("RunAndWait = %+v, %v; want the run in flight, succeeded", done, err)
	}
}

func TestCancelRunGroup(t *testing.T) {
	t.Parallel()
	bothFamilies(t, func(t *testing.T, c *rivery.Client, mock *httpmock.MockTransport) {
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", httpmock.NewStringResponder(200, fixture(t, "me.json")))
		var rec recorder
		mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/cancel_run", rec.reply(200, `{"run_group_id":"`+groupID+`"}`))
		if _, err := c.Rivers.CancelRunGroup(context.Background(), riverID, groupID); err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		checkHeaders(t, req, true)
		checkJSON(t, req.Body, `{"run_group_id":"`+groupID+`"}`)
		if _, err := c.Rivers.CancelRunGroup(context.Background(), riverID, ""); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("empty group ID: %v", err)
		}
	})
}

func TestRunSubRiver(t *testing.T) {
	t.Parallel()
	const sub = "64c1d2e3f4a5b6c7d8e9f101"
	bothFamilies(t, func(t *testing.T, c *rivery.Client, mock *httpmock.MockTransport) {
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", httpmock.NewStringResponder(200, fixture(t, "me.json")))
		var rec recorder
		mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+masterRiver+"/sub_rivers/"+sub+"/run",
			rec.reply(202, `{"run_group_id":"`+groupID+`","river_cross_id":"`+masterRiver+`","runs":[{"run_id":"`+subRun1+`","sub_river_id":"`+sub+`","status":"pending","message":"Run was triggered"}]}`))
		run, _, err := c.Rivers.RunSubRiver(context.Background(), masterRiver, sub)
		if err != nil || run.ID != subRun1 || run.SubRiverID != sub || run.RiverID != masterRiver || run.Group != nil {
			t.Fatalf("RunSubRiver = %+v, %v", run, err)
		}
		checkJSON(t, rec.only(t).Body, `{}`)
		if _, _, err := c.Rivers.RunSubRiver(context.Background(), masterRiver, "a/b"); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("bad sub-river ID: %v", err)
		}
	})
}

func TestAllRunsFollowsPages(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("page") == "2" {
			return rec.reply(200, fixture(t, "v1_runs_page2_of2.json"))(req)
		}
		return rec.reply(200, fixture(t, "v1_runs_page1_of2.json"))(req)
	})
	opts := &rivery.ListRunsOptions{
		ListOptions: rivery.ListOptions{PerPage: 2},
		StartTime:   time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		EndTime:     time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
	}
	var runs []*rivery.Run
	for r, err := range c.Rivers.AllRuns(context.Background(), riverID, opts) {
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	if len(runs) != 3 || runs[2].Status != rivery.StatusCanceled || len(rec.all()) != 2 {
		t.Fatalf("AllRuns = %d runs (%d calls)", len(runs), len(rec.all()))
	}
	for _, err := range c.Rivers.AllRuns(context.Background(), riverID, nil) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("AllRuns without times: %v", err)
		}
	}
	for _, err := range c.Rivers.AllRuns(context.Background(), riverID, opts) {
		if err != nil {
			t.Fatal(err)
		}
		break // one page fetched, no more
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("calls after a break = %d, want 3", n)
	}
}

func TestMe(t *testing.T) {
	t.Parallel()
	bothFamilies(t, func(t *testing.T, c *rivery.Client, mock *httpmock.MockTransport) {
		var rec recorder
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", rec.reply(200, fixture(t, "me_live.json")))
		me, _, err := c.Me(context.Background())
		want := rivery.Identity{
			AccountID: accountID, EnvironmentID: envID, AccountName: "Acme Analytics", EnvironmentName: "Production",
			UserID: "64c1d2e3f4a5b6c7d8e9f777", UserName: "Ada Lovelace", Email: "ada@example.com",
		}
		if err != nil || *me != want {
			t.Fatalf("Me = %+v, %v", me, err)
		}
		checkHeaders(t, rec.only(t), false)
	})
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", sequence(
		httpmock.NewStringResponder(200, fixture(t, "me.json")),
		httpmock.NewStringResponder(401, `{"detail":"Credentials are not valid"}`),
	))
	if me, _, err := c.Me(context.Background()); err != nil || me.Email != "ada@example.com" || me.AccountID != accountID {
		t.Errorf("Me from the 0.1.0 fixture = %+v, %v", me, err)
	}
	if _, _, err := c.Me(context.Background()); !errors.Is(err, rivery.ErrUnauthorized) {
		t.Errorf("Me with a bad token: %v", err)
	}
}

func TestTokensUnavailableOnLiveAPI(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", httpmock.NewStringResponder(404, fixture(t, "error_route_not_found.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens/t1", httpmock.NewStringResponder(404, `{"detail":"Token not found"}`))
	mock.RegisterResponder(http.MethodDelete, v1Account+"/tokens/t2", httpmock.NewStringResponder(404, fixture(t, "error_route_not_found.json")))
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/scopes", httpmock.NewStringResponder(404, fixture(t, "error_route_not_found.json")))
	ctx := context.Background()
	_, _, listErr := c.Tokens.List(ctx, nil)
	_, delErr := c.Tokens.Delete(ctx, "t2")
	_, _, scopesErr := c.Tokens.Scopes(ctx)
	for _, err := range []error{listErr, delErr, scopesErr} {
		var apiErr *rivery.APIError
		if !errors.Is(err, rivery.ErrTokensUnavailable) || !errors.Is(err, rivery.ErrNotFound) || !errors.As(err, &apiErr) ||
			!strings.Contains(err.Error(), "token management is not available on this API") {
			t.Errorf("err = %v; want ErrTokensUnavailable, ErrNotFound and an *APIError", err)
		}
	}
	_, _, err := c.Tokens.Get(ctx, "t1")
	if !errors.Is(err, rivery.ErrNotFound) || errors.Is(err, rivery.ErrTokensUnavailable) {
		t.Errorf("missing token: %v; want a plain not-found", err)
	}
}

// A complete 2xx body that does not decode is not retried, and WaitForRun
// stops on it at once; a body cut short is still retried.
func TestUndecodableBodyIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, rec.reply(200, `{"run_id": [5]}`))
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if reqErr := asRequestError(t, err); reqErr.Attempts != 1 || reqErr.MaybeApplied {
		t.Errorf("RequestError = %+v", reqErr)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = c.Rivers.WaitForRun(ctx, riverID, runID, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if asRequestError(t, err) == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitForRun = %v", err)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("status calls = %d, want 1 more", n)
	}
}

func TestParseConsoleURL(t *testing.T) {
	t.Parallel()
	const a, e, r = accountID, envID, riverID
	for _, tt := range []struct {
		in     string
		region rivery.Region
	}{
		{"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "/source", rivery.RegionUS},
		{"https://eu-west-1.console.rivery.io/river/" + a + "/" + e + "/river/" + r, rivery.RegionEU},
		{"https://il-central-1.console.rivery.io/rivers/" + a + "/" + e + "/" + r, rivery.RegionIL},
		{"https://ap-southeast-2.console.rivery.io/#/river/" + a + "/" + e + "/river/" + r + "/activities", rivery.RegionAU},
		{"https://console.rivery.io/#/rivers/" + a + "/" + e + "/" + r, rivery.RegionUS},
		{"https://us-east-9.console.rivery.io/river/" + a + "/" + e + "/river/" + r, ""},
	} {
		got, err := rivery.ParseConsoleURL(tt.in)
		want := rivery.ConsoleURL{Region: tt.region, AccountID: a, EnvironmentID: e, RiverID: r}
		if err != nil || *got != want {
			t.Errorf("ParseConsoleURL(%q) = %+v, %v", tt.in, got, err)
		}
		if ga, ge, gr, err := rivery.ParseRiverURL(tt.in); err != nil || ga != a || ge != e || gr != r {
			t.Errorf("ParseRiverURL(%q) = %q %q %q %v", tt.in, ga, ge, gr, err)
		}
	}
	if got, err := rivery.ParseConsoleURL(r); err != nil || *got != (rivery.ConsoleURL{RiverID: r}) {
		t.Errorf("bare ID = %+v, %v", got, err)
	}
	for _, in := range []string{
		"https://console.rivery.io/rivers/list/" + e + "/" + r, // not IDs
		"https://console.rivery.io/rivers/" + a + "/" + e,
		"https://console.rivery.io/river/" + a + "/" + e + "/river/",
	} {
		if _, err := rivery.ParseConsoleURL(in); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("ParseConsoleURL(%q) = %v, want ErrInvalidArgument", in, err)
		}
	}
}

// bothFamilies runs f on a console client and on a v1 client, each with its
// own mock transport; the console one resolves its IDs through /api/me.
func bothFamilies(t *testing.T, f func(t *testing.T, c *rivery.Client, mock *httpmock.MockTransport)) {
	t.Helper()
	for _, fam := range []struct {
		name string
		opts []rivery.Option
	}{{"console", nil}, {"v1", v1()}} {
		t.Run(fam.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, fam.opts...)
			f(t, c, mock)
		})
	}
}

func TestWaitForGroupArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	if _, err := c.Rivers.WaitForGroup(ctx, nil, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("nil group: %v", err)
	}
	bad := &rivery.Run{ID: subRun1, RiverID: masterRiver, Group: &rivery.RunGroup{ID: groupID, RiverID: masterRiver, Runs: []*rivery.Run{
		{ID: subRun1, RiverID: masterRiver, Status: rivery.StatusPending}, {RiverID: masterRiver, Status: rivery.StatusRunning},
	}}}
	if _, err := c.Rivers.WaitForGroup(ctx, bad, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("a run without ID: %v", err)
	}
	// A group whose runs all ended needs no request (the mock fails any).
	ended := &rivery.Run{ID: subRun1, RiverID: masterRiver, Group: &rivery.RunGroup{ID: groupID, RiverID: masterRiver, Runs: []*rivery.Run{
		{ID: subRun1, RiverID: masterRiver, Status: rivery.StatusSucceeded},
		{RiverID: masterRiver, Status: rivery.StatusSkipped, InFlightRunID: subRun3},
	}}}
	done, err := c.Rivers.WaitForGroup(ctx, ended, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if done == nil || done.Status != rivery.StatusPartial || !errors.Is(err, rivery.ErrRunFailed) {
		t.Errorf("WaitForGroup of ended runs = %+v, %v", done, err)
	}
}

// The console API can answer a skipped trigger too; the in-flight run is
// read from its message even when the answer has no run ID of its own.
func TestConsoleSkippedTriggerNamesRunInFlight(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", httpmock.NewStringResponder(200,
		`{"river_id":"`+riverID+`","river_run_status":"skipped","error_description":"Run `+runID+` is already running"}`))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.Status != rivery.StatusSkipped || run.InFlightRunID != runID || run.ID != "" {
		t.Fatalf("Run = %+v, %v", run, err)
	}
}

// A null among a trigger answer's runs is dropped, never a run without an ID.
func TestTriggerDropsNullRuns(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run",
		rec.reply(202, `{"run_group_id":"g1","river_cross_id":"`+riverID+`","runs":[null,{"run_id":"`+runID+`","status":"pending"}]}`))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.ID != runID || run.Group != nil {
		t.Fatalf("Run = %+v, %v; want the one run %s, no group", run, err, runID)
	}
}
