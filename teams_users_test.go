package rivery_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Teams.List sends the reference's query: items_per_page, page, the
// filters, sort, and team_id once per team.
func TestTeamsListExactRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/teams", rec.reply(200, fixture(t, "v1_teams_page.json")))
	teams, resp, err := c.Teams.List(context.Background(), &rivery.ListTeamsOptions{
		ListOptions: rivery.ListOptions{Page: 2, PerPage: 200}, Name: "Analytics", Source: "active_directory",
		SortBy: "created_at", SortOrder: rivery.SortAscending, TeamIDs: []string{"66e0000000000000000e0001", "66e0000000000000000e0002"},
	})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	u, _ := url.Parse(req.URL)
	want := url.Values{"page": {"2"}, "items_per_page": {"200"}, "display_name": {"Analytics"}, "source": {"active_directory"},
		"sort_by": {"created_at"}, "sort_order": {"asc"}, "team_id": {"66e0000000000000000e0001", "66e0000000000000000e0002"}}
	if u.Scheme+"://"+u.Host+u.Path != v1Account+"/teams" || u.Query().Encode() != want.Encode() {
		t.Errorf("sent %s", req.URL)
	}
	checkHeaders(t, req, false)
	if len(teams) != 2 || resp.NextPage != "" {
		t.Fatalf("%d teams, next %q", len(teams), resp.NextPage)
	}
	a, p := teams[0], teams[1]
	if a.ID != "66e0000000000000000e0001" || a.Name != "Analytics" || a.RemoteName != "AAD-Analytics" || a.Source != "active_directory" ||
		a.Roles["6a7b8c9d0e1f2a3b4c5d6e7f"] != "deployment_admin" || a.Roles["6a7b8c9d0e1f2a3b4c5d6e80"] != "viewer" || a.AllEnvironmentsAdmin ||
		!a.CreatedAt.Equal(time.Date(2024, 5, 6, 7, 8, 9, 123000000, time.UTC)) || a.AccountID != accountID {
		t.Errorf("team = %+v", a)
	}
	if p.Description != "" || p.Roles != nil || !p.AllEnvironmentsAdmin || p.Source != "rivery" || len(p.Raw) == 0 {
		t.Errorf("team = %+v", p)
	}
}

// Pages of teams and users hold at most 200: a PerPage above it is
// refused before any request, per call (500 is fine elsewhere).
func TestTeamsAndUsersPagesAreCappedAt200(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for name, do := range map[string]func() error{
		"Teams.List": func() error {
			_, _, err := c.Teams.List(ctx, &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 201}})
			return err
		},
		"Teams.All": func() error {
			return drain(c.Teams.All(ctx, &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 500}}))
		},
		"Users.List": func() error {
			_, _, err := c.Users.List(ctx, &rivery.ListUsersOptions{ListOptions: rivery.ListOptions{PerPage: 201}})
			return err
		},
		"Users.All": func() error {
			return drain(c.Users.All(ctx, &rivery.ListUsersOptions{ListOptions: rivery.ListOptions{PerPage: 300}}))
		},
		"sort order": func() error { _, _, err := c.Users.List(ctx, &rivery.ListUsersOptions{SortOrder: "up"}); return err },
		"team ID": func() error {
			_, _, err := c.Teams.List(ctx, &rivery.ListTeamsOptions{TeamIDs: []string{"a/b"}})
			return err
		},
		"Teams.Get":   func() error { _, _, err := c.Teams.Get(ctx, ""); return err },
		"Users.Get":   func() error { _, _, err := c.Users.Get(ctx, "x?y"); return err },
		"Permissions": func() error { _, _, err := c.Users.Permissions(ctx, ".."); return err },
	} {
		if err := do(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func drain[T any](seq func(func(T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Users decode from the reference's shape (zone-less times with and
// without a fraction, null times, roles keyed by environment) and the
// one-user shape; permissions' roles are plain strings.
func TestUsersDecode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/users", rec.reply(200, fixture(t, "v1_users_page.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/users/66f0000000000000000f0002", rec.reply(200, fixture(t, "v1_user.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/users/66f0000000000000000f0002/permissions", rec.reply(200, fixture(t, "v1_user_permissions.json")))
	users, _, err := c.Users.List(ctx, &rivery.ListUsersOptions{Email: "maya@example.com", Name: "may", TeamIDs: []string{"66e0000000000000000e0001"}})
	if err != nil || len(users) != 2 {
		t.Fatalf("%v %v", users, err)
	}
	if q, _ := url.Parse(rec.all()[0].URL); q.RawQuery != "email=maya%40example.com&name=may&team_id=66e0000000000000000e0001" {
		t.Errorf("query %s", q.RawQuery)
	}
	m, l := users[0], users[1]
	if m.ID != "66f0000000000000000f0001" || m.Email != "maya@example.com" || m.Name != "Maya Cohen" || !m.Admin || m.Status != "active" ||
		m.Roles["6a7b8c9d0e1f2a3b4c5d6e7f"] != "admin" || len(m.TeamIDs) != 1 ||
		!m.CreatedAt.Equal(time.Date(2025, 1, 2, 3, 4, 5, 678901000, time.UTC)) || !m.LastLogin.Equal(time.Date(2025, 2, 3, 4, 5, 6, 789012000, time.UTC)) {
		t.Errorf("user = %+v", m)
	}
	if l.Admin || l.Status != "pending" || l.Source != "active_directory" || !l.LastLogin.IsZero() || !l.UpdatedAt.IsZero() ||
		!l.CreatedAt.Equal(time.Date(2025, 1, 5, 3, 4, 5, 0, time.UTC)) || l.Roles != nil {
		t.Errorf("user = %+v", l)
	}
	u, _, err := c.Users.Get(ctx, "66f0000000000000000f0002")
	if err != nil || u.Roles["6a7b8c9d0e1f2a3b4c5d6e7f"] != "viewer" || u.Source != "rivery" || u.SuperAdmin {
		t.Errorf("%+v %v", u, err)
	}
	perms, _, err := c.Users.Permissions(ctx, "66f0000000000000000f0002")
	if err != nil || len(perms) != 2 || perms["6a7b8c9d0e1f2a3b4c5d6e7f"] != "admin" || perms["6a7b8c9d0e1f2a3b4c5d6e80"] != "viewer" {
		t.Errorf("%v %v", perms, err)
	}
	for _, r := range rec.all() {
		checkHeaders(t, r, false)
	}
}

// Invite is POST A/users/privileged with the console's body; it is never
// sent twice once it may have reached the server, and a bad request sends
// nothing.
func TestUsersInvite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Account+"/users/privileged", rec.reply(200, fixture(t, "v1_user_privileged.json")))
	u, _, err := c.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "ops@example.com", FirstName: "Ops", LastName: "Lead", SuperAdmin: true})
	if err != nil || u.ID != "66f0000000000000000f0003" || u.Email != "ops@example.com" || u.Name != "Ops Lead" || !u.Admin || !u.SuperAdmin {
		t.Fatalf("%+v %v", u, err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	checkJSON(t, req.Body, `{"user_email": "ops@example.com", "first_name": "Ops", "last_name": "Lead", "is_super_admin": true, "is_super_admin_creator": false, "is_global_operator": false}`)

	for _, fail := range []func(r *recorder) func(*http.Request) (*http.Response, error){
		func(r *recorder) func(*http.Request) (*http.Response, error) { return r.fail(io.ErrUnexpectedEOF) },
		func(r *recorder) func(*http.Request) (*http.Response, error) {
			return r.reply(502, `{"detail": "Bad Gateway"}`)
		},
	} {
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodPost, v1Account+"/users/privileged", fail(&rec))
		_, _, err := c.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "ops@example.com", FirstName: "Ops", LastName: "Lead"})
		if !rivery.MaybeApplied(err) || len(rec.all()) != 1 {
			t.Errorf("%v after %d requests, want MaybeApplied after 1", err, len(rec.all()))
		}
	}
	for _, bad := range []*rivery.InviteUserRequest{nil, {FirstName: "a", LastName: "b"}, {Email: "nobody", FirstName: "a", LastName: "b"},
		{Email: "a@b.c", LastName: "b"}, {Email: "a@b.c", FirstName: "a\n", LastName: "b"}} {
		if _, _, err := c.Users.Invite(ctx, bad); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
}

// Through riverytest: teams filtered and paged, users listed, one read,
// its roles, an invitation that then lists, and a second one refused.
func TestTeamsAndUsersOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithTeam(riverytest.Team{Name: "analytics", Roles: map[string]string{riverytest.DefaultEnvironmentID: "viewer"}}),
		riverytest.WithTeam(riverytest.Team{Name: "platform", Source: "rivery", AllEnvironmentsAdmin: true}),
		riverytest.WithTeam(riverytest.Team{Name: "finance"}),
		riverytest.WithUser(riverytest.User{Email: "maya@example.com", Name: "Maya", Admin: true, Roles: map[string]string{riverytest.DefaultEnvironmentID: "admin"}}),
	)
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	var names []string
	for team, err := range c.Teams.All(ctx, &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 2}, SortOrder: rivery.SortAscending}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, team.Name)
	}
	if len(names) != 3 || names[0] != "analytics" || names[2] != "platform" {
		t.Errorf("teams %v", names)
	}
	teams, _, err := c.Teams.List(ctx, &rivery.ListTeamsOptions{Source: "rivery"})
	if err != nil || len(teams) != 1 || !teams[0].AllEnvironmentsAdmin {
		t.Fatalf("%v %v", teams, err)
	}
	if got, _, err := c.Teams.Get(ctx, teams[0].ID); err != nil || got.Name != "platform" {
		t.Errorf("get team: %+v %v", got, err)
	}

	u, _, err := c.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "ops@example.com", FirstName: "Ops", LastName: "Lead", GlobalOperator: true})
	if err != nil || u.ID == "" {
		t.Fatalf("invite: %+v %v", u, err)
	}
	if _, _, err := c.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "OPS@example.com", FirstName: "Ops", LastName: "Lead"}); !errors.Is(err, rivery.ErrConflict) {
		t.Errorf("second invitation: %v", err)
	}
	users, _, err := c.Users.List(ctx, &rivery.ListUsersOptions{Name: "ops"})
	if err != nil || len(users) != 1 || users[0].Status != "pending" || users[0].Email != "ops@example.com" {
		t.Fatalf("%+v %v", users, err)
	}
	maya, _, err := c.Users.List(ctx, &rivery.ListUsersOptions{Email: "maya@example.com"})
	if err != nil || len(maya) != 1 {
		t.Fatal(err)
	}
	perms, _, err := c.Users.Permissions(ctx, maya[0].ID)
	if err != nil || perms[riverytest.DefaultEnvironmentID] != "admin" {
		t.Errorf("%v %v", perms, err)
	}
	if len(srv.RequestsTo(riverytest.RouteInviteUser)) != 2 || len(srv.Users()) != 2 {
		t.Errorf("%d invitations, %d users", len(srv.RequestsTo(riverytest.RouteInviteUser)), len(srv.Users()))
	}
	if _, _, err := srv.ClientV1().Users.List(ctx, &rivery.ListUsersOptions{ListOptions: rivery.ListOptions{PerPage: 200}}); err != nil {
		t.Errorf("200 a page: %v", err)
	}
}

// Teams.Get is GET A/teams/{id}; no answer of it is published, so the
// list item's shape is read, and Raw keeps it whole.
func TestTeamsGetExactRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	const item = `{"_id": "66e0000000000000000e0001", "account_id": "5f1a2b3c4d5e6f7081920a1b", "display_name": "Analytics", "environments": {"6a7b8c9d0e1f2a3b4c5d6e7f": {"role": "viewer"}}, "is_all_environment_admin": 0, "source": "rivery", "created_at": null, "members": 3}`
	mock.RegisterResponder(http.MethodGet, v1Account+"/teams/66e0000000000000000e0001", rec.reply(200, item))
	team, _, err := c.Teams.Get(context.Background(), "66e0000000000000000e0001")
	if err != nil || team.ID != "66e0000000000000000e0001" || team.Roles["6a7b8c9d0e1f2a3b4c5d6e7f"] != "viewer" || team.AllEnvironmentsAdmin ||
		!team.CreatedAt.IsZero() || string(team.Raw) != item {
		t.Fatalf("%+v %v", team, err)
	}
	req := rec.only(t)
	if req.Method != http.MethodGet || req.URL != v1Account+"/teams/66e0000000000000000e0001" || len(req.Body) != 0 {
		t.Errorf("sent %s %s %q", req.Method, req.URL, req.Body)
	}
	checkHeaders(t, req, false)
}
