package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// UsersService lists the account's users, reads one and its roles, and
// invites privileged users. Get it from Client.Users. Its calls use the v1
// API and need the user:list scope (user:invite_user to invite).
type UsersService service

// User is a user of the account: an item of GET A/users, or
// GET A/users/{id}.
type User struct {
	ID    string `json:"id"` // user_id (or _id)
	Email string `json:"email"`
	Name  string `json:"name,omitempty"` // user_name (or first and last name)
	// Status is as the server says it, e.g. "active" or "pending" (the
	// console's older lists: "Active", "Invitation pending").
	Status string `json:"status,omitempty"`
	// Admin is set for an account admin (is_admin, or role "admin").
	Admin bool `json:"admin"`
	// SuperAdmin is set for a Rivery super admin (is_super_admin).
	SuperAdmin bool `json:"super_admin,omitempty"`
	// Source is where the user comes from: "rivery" or a directory, e.g.
	// "active_directory".
	Source    string `json:"source,omitempty"`
	InvitedBy string `json:"invited_by,omitempty"`
	// Roles maps an environment ID to the user's role there.
	Roles map[string]string `json:"roles,omitempty"`
	// TeamIDs are the teams the user is in (groups).
	TeamIDs   []string  `json:"team_ids,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"` // zero when not sent, as the other times
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	LastLogin time.Time `json:"last_login,omitzero"`
	// Raw is the user as the server sent it (not in the User's own JSON).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON reads a user in the v1 API's shape or the console's older
// one.
func (u *User) UnmarshalJSON(b []byte) error {
	var w wire.User
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*u = User{
		ID:         firstNonEmpty(string(w.UserID), string(w.MongoID)),
		Email:      string(w.Email),
		Name:       firstNonEmpty(string(w.UserName), strings.TrimSpace(string(w.FirstName)+" "+string(w.LastName))),
		Status:     string(w.Status),
		Admin:      bool(w.IsAdmin) || string(w.Role) == "admin",
		SuperAdmin: bool(w.IsSuperAdmin) || bool(w.SuperAdmin),
		Source:     string(w.Source),
		InvitedBy:  string(w.InvitedBy),
		Roles:      roles(w.Environments.V),
		CreatedAt:  firstTime(w.CreatedAt.Time, w.InsertTime.Time),
		UpdatedAt:  w.UpdatedAt.Time,
		LastLogin:  w.LastLogin.Time,
		Raw:        append(json.RawMessage(nil), b...),
	}
	for _, g := range w.Groups.V {
		if g != "" {
			u.TeamIDs = append(u.TeamIDs, string(g))
		}
	}
	return nil
}

// ListUsersOptions filters, sorts and pages Users.List. PerPage is at
// most 200 here.
type ListUsersOptions struct {
	ListOptions
	Email string `url:"email,omitempty"` // users of this email
	Name  string `url:"name,omitempty"`  // users whose name or email holds this
	// SortBy is created_at (the server's default), user_name, last_login,
	// user_email, invited_by, is_admin or source.
	SortBy    string    `url:"sort_by,omitempty"`
	SortOrder SortOrder `url:"sort_order,omitempty"` // SortAscending or SortDescending (the default)
	TeamIDs   []string  `url:"team_id,omitempty"`    // users of these teams
}

func (o *ListUsersOptions) validate() error {
	if o == nil {
		return nil
	}
	return validateAccountPage(&o.ListOptions, o.SortOrder, o.TeamIDs)
}

// List returns one page of the account's users: GET A/users, with opts'
// filters. PerPage is at most 200 (20 when not set).
func (s *UsersService) List(ctx context.Context, opts *ListUsersOptions) ([]*User, *Response, error) {
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "users") }, pageFetcher[*User](s.client))
}

// All iterates over every user that opts selects, page after page (GET
// A/users, then each next_page). It stops at the first error, which it
// yields.
func (s *UsersService) All(ctx context.Context, opts *ListUsersOptions) iter.Seq2[*User, error] {
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "users") }, pageFetcher[*User](s.client))
}

// Get returns one user: GET A/users/{userID}.
func (s *UsersService) Get(ctx context.Context, userID string) (*User, *Response, error) {
	u, err := s.url(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	return getOne[User](ctx, s.client, u)
}

// Permissions returns a user's role in each environment, by environment
// ID: GET A/users/{userID}/permissions.
func (s *UsersService) Permissions(ctx context.Context, userID string) (map[string]string, *Response, error) {
	u, err := s.url(ctx, userID, "permissions")
	if err != nil {
		return nil, nil, err
	}
	var w wire.UserPermissions
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &w})
	if err != nil {
		return nil, resp, err
	}
	out := roles(w.Environments.V)
	if out == nil {
		out = map[string]string{}
	}
	return out, resp, nil
}

// url validates userID and returns A/users/{userID}[/{segment}].
func (s *UsersService) url(ctx context.Context, userID string, segment ...string) (string, error) {
	if err := validateID("user ID", userID); err != nil {
		return "", err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return "", err
	}
	return s.client.accountURL(sc.account, "users", append([]string{userID}, segment...)...), nil
}

// InviteUserRequest is whom Invite invites, and with which privileges.
type InviteUserRequest struct {
	Email     string // required
	FirstName string // required
	LastName  string // required
	UserName  string // optional; the server makes one from the names
	// SuperAdmin, SuperAdminCreator and GlobalOperator are the
	// privileges the route exists for (the console sends at least one).
	SuperAdmin        bool
	SuperAdminCreator bool
	GlobalOperator    bool
}

func (r *InviteUserRequest) validate() error {
	if r == nil {
		return fmt.Errorf("%w: nil InviteUserRequest", ErrInvalidArgument)
	}
	for _, f := range []struct{ what, v string }{{"email", r.Email}, {"first name", r.FirstName}, {"last name", r.LastName}} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%w: the invitation's %s is empty", ErrInvalidArgument, f.what)
		}
	}
	if at := strings.IndexByte(r.Email, '@'); at <= 0 || at == len(r.Email)-1 || strings.ContainsFunc(r.Email, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
		return fmt.Errorf("%w: %q is not an email address", ErrInvalidArgument, truncate(r.Email))
	}
	for _, v := range []string{r.FirstName, r.LastName, r.UserName} {
		if hasControl(v) {
			return fmt.Errorf("%w: a name contains control characters", ErrInvalidArgument)
		}
	}
	return nil
}

// Invite adds a user to the account and sends the invitation:
// POST A/users/privileged with {"user_email", "first_name", "last_name",
// ["user_name",] "is_super_admin", "is_super_admin_creator",
// "is_global_operator"}; it returns the user made.
//
// This is the only v1 route that invites a user in any published source:
// Rivery's console sends it for users with one of these privileges, in
// accounts whose admins may grant them; other accounts may answer it 403.
// Boomi's reference names an invite_user operation without publishing its
// path, and the console invites ordinary users through its own session
// API (/api/users_management/invite_user), which API tokens cannot call.
//
// An invitation is never sent twice by the SDK once it may have reached
// the server: a cut connection returns a *RequestError with MaybeApplied
// set. Look the user up by email (List with Email) before inviting again.
func (s *UsersService) Invite(ctx context.Context, req *InviteUserRequest) (*User, *Response, error) {
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	body := wire.PrivilegedUser{
		UserEmail: req.Email, FirstName: req.FirstName, LastName: req.LastName, UserName: req.UserName,
		IsSuperAdmin: req.SuperAdmin, IsSuperAdminCreator: req.SuperAdminCreator, IsGlobalOperator: req.GlobalOperator,
	}
	var u User
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.accountURL(sc.account, "users", "privileged"), body: body, out: &u})
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}
