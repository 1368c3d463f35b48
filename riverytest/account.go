package riverytest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// The routes of teams and users.
const (
	RouteTeams           Route = "teams"            // GET A/teams
	RouteTeam            Route = "team"             // GET A/teams/{id}
	RouteUsers           Route = "users"            // GET A/users
	RouteUser            Route = "user"             // GET A/users/{id}
	RouteUserPermissions Route = "user_permissions" // GET A/users/{id}/permissions
	RouteInviteUser      Route = "invite_user"      // POST A/users/privileged
)

// Team is a seeded team.
type Team struct {
	ID          string // generated when empty
	Name        string
	RemoteName  string // its directory name; Name when empty
	Description string
	Source      string            // "active_directory" when empty
	Roles       map[string]string // environment ID to role
	// AllEnvironmentsAdmin makes it administer every environment.
	AllEnvironmentsAdmin bool

	created time.Time
}

// User is a seeded user.
type User struct {
	ID      string // generated when empty
	Email   string
	Name    string
	Status  string // "active" when empty
	Admin   bool
	Source  string            // "rivery" when empty
	Roles   map[string]string // environment ID to role
	TeamIDs []string
	// Privileged users (as Users.Invite makes them).
	SuperAdmin, SuperAdminCreator, GlobalOperator bool

	created time.Time
}

// WithTeam seeds a team.
func WithTeam(t Team) Option {
	return func(s *Server) { s.addTeam(t) }
}

// WithUser seeds a user.
func WithUser(u User) Option {
	return func(s *Server) { s.addUser(u) }
}

// AddTeam adds a team.
func (s *Server) AddTeam(t Team) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTeam(t)
}

// AddUser adds a user and returns its ID.
func (s *Server) AddUser(u User) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUser(u).ID
}

func (s *Server) addTeam(t Team) {
	s.seq++
	if t.ID == "" {
		t.ID = fmt.Sprintf("7e%022x", s.seq)
	}
	t.RemoteName = cmp.Or(t.RemoteName, t.Name)
	t.Source = cmp.Or(t.Source, "active_directory")
	t.created = time.Now().UTC()
	s.pf.teams = append(s.pf.teams, &t)
}

func (s *Server) addUser(u User) *User {
	s.seq++
	if u.ID == "" {
		u.ID = fmt.Sprintf("75%022x", s.seq)
	}
	u.Status = cmp.Or(u.Status, "active")
	u.Source = cmp.Or(u.Source, "rivery")
	u.created = time.Now().UTC()
	s.pf.users = append(s.pf.users, &u)
	return &u
}

// Users returns the users the server holds, seeded and invited, in the
// order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.pf.users))
	for i, u := range s.pf.users {
		out[i] = *u
	}
	return out
}

func (s *Server) accountRoutes(mux *http.ServeMux) {
	teams := []rivery.Scope{rivery.ScopeTeamList}
	users := []rivery.Scope{rivery.ScopeUserList}
	invite := []rivery.Scope{"user:invite_user"}
	s.handle(mux, "GET "+accountPrefix+"/teams", RouteTeams, v1, teams, s.listTeams)
	s.handle(mux, "GET "+accountPrefix+"/teams/{team}", RouteTeam, v1, teams, s.getTeam)
	s.handle(mux, "GET "+accountPrefix+"/users", RouteUsers, v1, users, s.listUsers)
	s.handle(mux, "GET "+accountPrefix+"/users/{user}", RouteUser, v1, users, s.userRoute(s.getUser))
	s.handle(mux, "GET "+accountPrefix+"/users/{user}/permissions", RouteUserPermissions, v1, users, s.userRoute(s.userPermissions))
	s.handle(mux, "POST "+accountPrefix+"/users/privileged", RouteInviteUser, v1, invite, s.inviteUser)
}

// teamJSON is a team in the shape of the console's fixtures.
func (s *Server) teamJSON(t *Team) map[string]any {
	envs := map[string]any{}
	for env, role := range t.Roles {
		envs[env] = map[string]string{"role": role}
	}
	var desc any = t.Description
	if t.Description == "" {
		desc = nil
	}
	return map[string]any{
		"_id": t.ID, "account_id": s.AccountID, "display_name": t.Name, "remote_display_name": t.RemoteName,
		"description": desc, "environments": envs, "is_all_environment_admin": t.AllEnvironmentsAdmin,
		"source": t.Source, "created_at": t.created.Format("2006-01-02T15:04:05.000000+00:00"),
	}
}

// listTeams answers the teams display_name, source and team_id select,
// paged at most 200 a page, sorted by display_name (descending unless
// sort_order=asc).
func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, _ *token) {
	q := r.URL.Query()
	ids := q["team_id"]
	s.mu.Lock()
	var sel []*Team
	for _, t := range s.pf.teams {
		switch {
		case q.Get("display_name") != "" && t.Name != q.Get("display_name"),
			q.Get("source") != "" && t.Source != q.Get("source"),
			len(ids) > 0 && !slices.Contains(ids, t.ID):
			continue
		}
		sel = append(sel, t)
	}
	slices.SortStableFunc(sel, func(a, b *Team) int { return strings.Compare(b.Name, a.Name) })
	if q.Get("sort_order") == "asc" {
		slices.Reverse(sel)
	}
	items := make([]map[string]any, len(sel))
	for i, t := range sel {
		items[i] = s.teamJSON(t)
	}
	s.mu.Unlock()
	writePageUpTo(w, r, 200, items, "account_id", s.AccountID)
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("team")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.pf.teams {
		if t.ID == id {
			writeJSON(w, http.StatusOK, s.teamJSON(t))
			return
		}
	}
	writeError(w, v1, http.StatusNotFound, "Team "+id+" not found")
}

// userJSON is a user in the reference's shape.
func userJSON(u *User) map[string]any {
	envs := map[string]any{}
	for env, role := range u.Roles {
		envs[env] = map[string]string{"role": role}
	}
	groups := append([]string{}, u.TeamIDs...)
	created := u.created.Format("2006-01-02T15:04:05.000000")
	return map[string]any{
		"user_id": u.ID, "user_email": u.Email, "user_name": u.Name, "environments": envs,
		"is_admin": u.Admin, "status": u.Status, "source": u.Source, "groups": groups, "invited_by": nil,
		"is_super_admin": u.SuperAdmin, "created_at": created, "updated_at": created, "last_login": nil,
	}
}

// listUsers answers the users email, name and team_id select, paged at
// most 200 a page, newest first unless sort_order=asc.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ *token) {
	q := r.URL.Query()
	teams := q["team_id"]
	s.mu.Lock()
	var items []map[string]any
	for _, u := range slices.Backward(s.pf.users) {
		switch name := strings.ToLower(q.Get("name")); {
		case q.Get("email") != "" && !strings.EqualFold(u.Email, q.Get("email")),
			name != "" && !strings.Contains(strings.ToLower(u.Email), name) && !strings.Contains(strings.ToLower(u.Name), name),
			len(teams) > 0 && !slices.ContainsFunc(u.TeamIDs, func(id string) bool { return slices.Contains(teams, id) }):
			continue
		}
		items = append(items, userJSON(u))
	}
	s.mu.Unlock()
	if q.Get("sort_order") == "asc" {
		slices.Reverse(items)
	}
	writePageUpTo(w, r, 200, items, "account_id", s.AccountID)
}

// userRoute calls h with the user the path names, holding s.mu, or
// answers 404.
func (s *Server) userRoute(h func(w http.ResponseWriter, u *User)) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		id := r.PathValue("user")
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, u := range s.pf.users {
			if u.ID == id {
				h(w, u)
				return
			}
		}
		writeError(w, v1, http.StatusNotFound, "User "+id+" not found")
	}
}

func (s *Server) getUser(w http.ResponseWriter, u *User) { writeJSON(w, http.StatusOK, userJSON(u)) }

// userPermissions answers {"environments": {env: role}}, roles as plain
// strings.
func (s *Server) userPermissions(w http.ResponseWriter, u *User) {
	envs := map[string]string{}
	for env, role := range u.Roles {
		envs[env] = role
	}
	writeJSON(w, http.StatusOK, map[string]any{"environments": envs})
}

// inviteUser adds a privileged user and answers it as the console's
// fixture does; an email in use answers 409.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		Email             string `json:"user_email"`
		FirstName         string `json:"first_name"`
		LastName          string `json:"last_name"`
		UserName          string `json:"user_name"`
		SuperAdmin        bool   `json:"is_super_admin"`
		SuperAdminCreator bool   `json:"is_super_admin_creator"`
		GlobalOperator    bool   `json:"is_global_operator"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	var missing []fieldError
	for _, f := range []struct{ name, v string }{{"user_email", body.Email}, {"first_name", body.FirstName}, {"last_name", body.LastName}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, fieldError{"missing", []string{"body", f.name}, "Field required", nil})
		}
	}
	if len(missing) > 0 {
		writeValidation(w, missing...)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.pf.users {
		if strings.EqualFold(u.Email, body.Email) {
			writeError(w, v1, http.StatusConflict, "User "+body.Email+" already exists")
			return
		}
	}
	u := s.addUser(User{Email: body.Email, Name: cmp.Or(body.UserName, body.FirstName+" "+body.LastName), Status: "pending", Admin: true,
		SuperAdmin: body.SuperAdmin, SuperAdminCreator: body.SuperAdminCreator, GlobalOperator: body.GlobalOperator})
	writeJSON(w, http.StatusOK, map[string]any{
		"user_email": u.Email, "first_name": body.FirstName, "last_name": body.LastName, "user_name": u.Name,
		"is_super_admin": u.SuperAdmin, "is_super_admin_creator": u.SuperAdminCreator, "is_global_operator": u.GlobalOperator,
		"user_id": u.ID, "is_active": true, "role": "admin", "source": "rivery",
	})
}
