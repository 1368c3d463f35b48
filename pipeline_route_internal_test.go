package rivery

import (
	"net/http"
	"testing"
)

// Every path the SDK calls gets a route with its IDs replaced, named for
// their collection; IDs in unknown collections become placeholders too, a
// query never shows, and the IDs the route names are kept apart.
func TestEndpointOf(t *testing.T) {
	t.Parallel()
	c := &Client{routes: &routeCache{}}
	const (
		acc, env = "5f1a2b3c4d5e6f7081920a1b", "6a7b8c9d0e1f2a3b4c5d6e7f"
		riv, run = "63b724fc690def001131d242", "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
		e        = "/v1/accounts/" + acc + "/environments/" + env
		eRoute   = "/v1/accounts/{account_id}/environments/{environment_id}"
	)
	for _, tc := range []struct {
		url, route, addr string
		port             int
		ids              IDs
	}{
		{"https://console.rivery.io/api/check_run?run_id=" + run, "/api/check_run", "console.rivery.io", 443, IDs{}},
		{"https://console.rivery.io/api/rivers/" + riv, "/api/rivers/{river_id}", "console.rivery.io", 443, IDs{RiverID: riv}},
		{"https://api.rivery.io" + e + "/rivers/" + riv + "/runs/" + run + "/logic_steps/s1a2/logs?iteration_number=2",
			eRoute + "/rivers/{river_id}/runs/{run_id}/logic_steps/{step_id}/logs", "api.rivery.io", 443,
			IDs{AccountID: acc, EnvironmentID: env, RiverID: riv, RunID: run}},
		{"https://api.rivery.io" + e + "/rivers?items_per_page=500&page=2", eRoute + "/rivers", "api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env}},
		{"https://api.rivery.io" + e + "/rivers/" + riv + "/activities_run_groups/" + run, eRoute + "/rivers/{river_id}/activities_run_groups/{run_group_id}",
			"api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env, RiverID: riv, RunGroupID: run}},
		{"https://api.rivery.io/v1/accounts/" + acc + "/tokens/tok_9f8e7d", "/v1/accounts/{account_id}/tokens/{token_id}", "api.rivery.io", 443, IDs{AccountID: acc}},
		{"https://api.rivery.io/v1/connections_types", "/v1/connections_types", "api.rivery.io", 443, IDs{}},
		// A route of its own after a collection, and a collection typed by what follows.
		{"https://api.rivery.io/v1/accounts/" + acc + "/users/privileged", "/v1/accounts/{account_id}/users/privileged", "api.rivery.io", 443, IDs{AccountID: acc}},
		{"https://api.rivery.io/v1/accounts/" + acc + "/users/" + riv, "/v1/accounts/{account_id}/users/{user_id}", "api.rivery.io", 443, IDs{AccountID: acc}},
		{"https://api.rivery.io" + e + "/connections/postgres/files", eRoute + "/connections/{connection_type}/files", "api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env}},
		{"https://api.rivery.io" + e + "/connections/" + riv + "/tables", eRoute + "/connections/{connection_id}/tables", "api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env}},
		// A collection the SDK does not know yet: its IDs still go.
		{"https://api.rivery.io" + e + "/widgets/" + riv + "/parts/AbC", eRoute + "/widgets/{widget_id}/parts/{part_id}", "api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env}},
		{"https://api.rivery.io" + e + "/widgets/deadbeefdeadbeefdead/x", eRoute + "/widgets/{widget_id}/x", "api.rivery.io", 443, IDs{AccountID: acc, EnvironmentID: env}},
		{"https://api.rivery.io/" + riv + "/" + run, "/{id}/{id}", "api.rivery.io", 443, IDs{}},
		// A base URL with a path prefix, a port, an escape, a fragment.
		{"http://127.0.0.1:8080/proxy/api/rivers/a%2Fb#x", "/proxy/api/rivers/{river_id}", "127.0.0.1", 8080, IDs{RiverID: "a%2Fb"}},
		{"http://[::1]:9/api/me", "/api/me", "::1", 9, IDs{}},
		{"http://localhost/api/me/", "/api/me/", "localhost", 80, IDs{}},
		{"https://api.rivery.io", "/", "api.rivery.io", 443, IDs{}},
		{"https://api.rivery.io/v1/Tenant-1/Rivers", "/v1/{id}/{id}", "api.rivery.io", 443, IDs{}},
	} {
		got := c.endpointOf(http.MethodGet, tc.url, "")
		if got.Route != tc.route || got.ServerAddress != tc.addr || got.ServerPort != tc.port || got.IDs != tc.ids {
			t.Errorf("endpointOf(%s)\n = %+v\nwant route %s, %s:%d, %+v", tc.url, got, tc.route, tc.addr, tc.port, tc.ids)
		}
		if got.SpanName() != "GET "+tc.route {
			t.Errorf("span name %q", got.SpanName())
		}
	}
	// A fixed route keeps the path and its IDs out.
	got := c.endpointOf(http.MethodGet, "https://bucket.s3.amazonaws.com/logs/"+run+"/step?X-Amz-Signature=abc", routeLogsURL)
	if got.Route != "{logs_url}" || got.ServerAddress != "bucket.s3.amazonaws.com" || got.IDs != (IDs{}) {
		t.Errorf("presigned = %+v", got)
	}
}

// Describing a request of a route seen before allocates nothing.
func TestEndpointOfAllocations(t *testing.T) {
	c := &Client{routes: &routeCache{}}
	u := "https://api.rivery.io/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers/63b724fc690def001131d242/runs/0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	c.endpointOf(http.MethodGet, u, "")
	if n := testing.AllocsPerRun(100, func() { c.endpointOf(http.MethodGet, u, "") }); n != 0 {
		t.Errorf("endpointOf allocates %v times", n)
	}
}

// The route cache holds each route once and stops growing at its bound.
func TestRouteCacheBound(t *testing.T) {
	t.Parallel()
	var rc routeCache
	a := rc.intern([]byte("GET /a"))
	if b := rc.intern([]byte("GET /a")); b != a || len(*rc.m.Load()) != 1 {
		t.Fatalf("interned twice: %d routes", len(*rc.m.Load()))
	}
	for i := range maxRoutes + 10 {
		rc.intern([]byte{'G', byte('a' + i%26), byte('a' + i/26%26), byte('a' + i/676)})
	}
	if n := len(*rc.m.Load()); n != maxRoutes {
		t.Errorf("cache holds %d routes, want %d", n, maxRoutes)
	}
	if s := rc.intern([]byte("GET /new")); s != "GET /new" {
		t.Errorf("past the bound: %q", s)
	}
}
