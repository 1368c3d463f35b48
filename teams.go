package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// TeamsService lists the account's teams (groups of users, local or
// synchronized from a directory). Get it from Client.Teams. Its calls use
// the v1 API and need the team:list scope.
type TeamsService service

// maxAccountPage is the largest page of teams and users: 200, not the 500
// of the environment's lists.
const maxAccountPage = 200

// Team is a team of the account: an item of GET A/teams.
type Team struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id,omitempty"`
	Name        string `json:"name"`                  // display_name
	RemoteName  string `json:"remote_name,omitempty"` // remote_display_name: its name in the directory it comes from
	Description string `json:"description,omitempty"`
	// Source is where the team comes from: "rivery" (made in Rivery) or a
	// directory, e.g. "active_directory".
	Source string `json:"source,omitempty"`
	// Roles maps an environment ID to the team's role there, e.g.
	// "viewer", "deployment_admin".
	Roles map[string]string `json:"roles,omitempty"`
	// AllEnvironmentsAdmin is set for a team that administers every
	// environment (is_all_environment_admin).
	AllEnvironmentsAdmin bool      `json:"all_environments_admin"`
	CreatedAt            time.Time `json:"created_at,omitzero"` // zero when not sent
	// Raw is the team as the server sent it (not in the Team's own JSON).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON reads a team.
func (t *Team) UnmarshalJSON(b []byte) error {
	var w wire.Team
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = Team{
		ID:                   firstNonEmpty(string(w.MongoID), string(w.TeamID), string(w.ID)),
		AccountID:            string(w.AccountID),
		Name:                 string(w.DisplayName),
		RemoteName:           string(w.RemoteDisplayName),
		Description:          string(w.Description),
		Source:               string(w.Source),
		Roles:                roles(w.Environments.V),
		AllEnvironmentsAdmin: bool(w.IsAllEnvironmentsAdmin),
		CreatedAt:            w.CreatedAt.Time,
		Raw:                  append(json.RawMessage(nil), b...),
	}
	return nil
}

// roles reads environments keyed by ID, each a role or {"role"}; nil for
// none.
func roles(envs map[string]json.RawMessage) map[string]string {
	if len(envs) == 0 {
		return nil
	}
	out := make(map[string]string, len(envs))
	for id, raw := range envs {
		out[id] = wire.Role(raw)
	}
	return out
}

// ListTeamsOptions filters, sorts and pages Teams.List. PerPage is at
// most 200 here.
type ListTeamsOptions struct {
	ListOptions
	Name       string `url:"display_name,omitempty"`        // teams of this display name
	RemoteName string `url:"remote_display_name,omitempty"` // teams of this directory name
	Source     string `url:"source,omitempty"`              // "rivery" for local teams; else a directory
	// SortBy is display_name (the server's default), created_at, source,
	// is_all_environment_admin or default_environment.
	SortBy    string    `url:"sort_by,omitempty"`
	SortOrder SortOrder `url:"sort_order,omitempty"` // SortAscending or SortDescending (the default)
	TeamIDs   []string  `url:"team_id,omitempty"`    // only these teams
}

func (o *ListTeamsOptions) validate() error {
	if o == nil {
		return nil
	}
	return validateAccountPage(&o.ListOptions, o.SortOrder, o.TeamIDs)
}

// validateAccountPage checks the paging of an account list (at most 200
// a page), its sort order and the team IDs it filters on.
func validateAccountPage(o *ListOptions, order SortOrder, teamIDs []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if o.PerPage > maxAccountPage {
		return fmt.Errorf("%w: items per page %d is outside 1 to %d (teams and users)", ErrInvalidArgument, o.PerPage, maxAccountPage)
	}
	if order != "" && order != SortAscending && order != SortDescending {
		return fmt.Errorf("%w: sort order %q is neither %q nor %q", ErrInvalidArgument, truncate(string(order)), SortAscending, SortDescending)
	}
	for _, id := range teamIDs {
		if err := validateID("team ID", id); err != nil {
			return err
		}
	}
	return nil
}

// List returns one page of the account's teams: GET A/teams, with
// opts' filters. PerPage is at most 200 (20 when not set).
func (s *TeamsService) List(ctx context.Context, opts *ListTeamsOptions) ([]*Team, *Response, error) {
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "teams") }, pageFetcher[*Team](s.client))
}

// All iterates over every team that opts selects, page after page (GET
// A/teams, then each next_page). It stops at the first error, which it
// yields.
func (s *TeamsService) All(ctx context.Context, opts *ListTeamsOptions) iter.Seq2[*Team, error] {
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "teams") }, pageFetcher[*Team](s.client))
}

// Get returns one team: GET A/teams/{teamID}. Rivery's console calls it;
// no answer of it has been published, so the SDK reads it as a list's
// team and keeps it whole in Raw.
func (s *TeamsService) Get(ctx context.Context, teamID string) (*Team, *Response, error) {
	if err := validateID("team ID", teamID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return getOne[Team](ctx, s.client, s.client.accountURL(sc.account, "teams", teamID))
}
