package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// SearchRiversOptions filters and pages Rivers.Search. Zero fields do not
// filter.
type SearchRiversOptions struct {
	ListOptions
	Query   string      `url:"search_query,omitempty"` // free text
	Name    string      `url:"name,omitempty"`
	Status  RiverStatus `url:"river_status,omitempty"`
	Type    string      `url:"river_type,omitempty"` // e.g. "source_to_target", "logic"
	GroupID string      `url:"group_id,omitempty"`
}

func (o *SearchRiversOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// Search returns one page of the rivers that match opts:
// GET E/rivers_search. It uses the v1 API.
func (s *RiversService) Search(ctx context.Context, opts *SearchRiversOptions) ([]*River, *Response, error) {
	return scopedPage(ctx, s.client, opts, s.searchURL, s.listV1)
}

// SearchAll iterates over every river that matches opts, page after page
// (GET E/rivers_search, then each next_page). It stops at the first error,
// which it yields.
func (s *RiversService) SearchAll(ctx context.Context, opts *SearchRiversOptions) iter.Seq2[*River, error] {
	return scopedPages(ctx, s.client, opts, s.searchURL, s.listV1)
}

// searchURL is E/rivers_search.
func (s *RiversService) searchURL(sc scope) string { return s.client.envURL(sc, "rivers_search") }

// GetDefinition returns a river's full definition, as the API sends it:
// GET E/rivers/{riverID}. It uses the v1 API.
func (s *RiversService) GetDefinition(ctx context.Context, riverID string) (*RiverDefinition, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return getOne[RiverDefinition](ctx, s.client, s.client.riverURL(sc, riverID))
}

// Create makes a river from def: POST E/rivers. The fields that name a
// river or an environment (cross_id, account_id, environment_id, ...) are
// not sent, so a definition read from another environment can be created
// here as it is. A new source_to_target river is created disabled, whatever
// def says (activate it with Activate); a new logic river comes up active.
//
// A create is never sent twice (a retried create could make two rivers):
// if the outcome is unknown, the *RequestError has MaybeApplied set; look
// for the river with Search before creating again.
func (s *RiversService) Create(ctx context.Context, def *RiverDefinition) (*RiverDefinition, *Response, error) {
	if err := checkDefinition(def); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.send(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "rivers"), body: def.forWrite()})
}

// Replace overwrites a river's definition with def: PUT E/rivers/{riverID}
// (a full replace: what def leaves out is removed). Get the definition,
// change it, and put it back, or use Update, which does that. The fields
// that name a river or an environment are not sent. Every save makes a new
// version (see ListVersions and Restore).
//
// It is never sent twice: if the outcome is unknown, the *RequestError has
// MaybeApplied set.
func (s *RiversService) Replace(ctx context.Context, riverID string, def *RiverDefinition) (*RiverDefinition, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	if err := checkDefinition(def); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.replace(ctx, sc, riverID, def)
}

func (s *RiversService) replace(ctx context.Context, sc scope, riverID string, def *RiverDefinition) (*RiverDefinition, *Response, error) {
	return s.send(ctx, call{method: http.MethodPut, url: s.client.riverURL(sc, riverID), body: def.forWrite(), write: true})
}

// send makes a write whose answer is a river definition.
func (s *RiversService) send(ctx context.Context, cl call) (*RiverDefinition, *Response, error) {
	var out RiverDefinition
	cl.out, cl.limit = &out, limitLarge
	resp, err := s.client.do(ctx, cl)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

func checkDefinition(def *RiverDefinition) error {
	switch {
	case def == nil:
		return fmt.Errorf("%w: nil river definition", ErrInvalidArgument)
	case len(def.fields) == 0:
		return fmt.Errorf("%w: empty river definition", ErrInvalidArgument)
	}
	return nil
}

// Update changes a river's definition by read, edit and write: it gets the
// definition (GET E/rivers/{riverID}), calls edit on a copy, and, if edit
// changed anything, gets the definition again and writes the edited one
// with PUT E/rivers/{riverID} only if the river did not change meanwhile;
// otherwise it returns an error matching ErrConcurrentChange and writes
// nothing. An error from edit is returned as it is, with nothing written.
// A change between the second read and the PUT cannot be seen: the API
// offers no version check on writes.
//
// Update returns the definition the server answered, or the current one
// when edit changed nothing (then it sends no PUT). The PUT is never sent
// twice: if its outcome is unknown, the *RequestError has MaybeApplied set.
func (s *RiversService) Update(ctx context.Context, riverID string, edit func(*RiverDefinition) error) (*RiverDefinition, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	if edit == nil {
		return nil, fmt.Errorf("%w: nil edit func", ErrInvalidArgument)
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	u := s.client.riverURL(sc, riverID)
	current, _, err := getOne[RiverDefinition](ctx, s.client, u)
	if err != nil {
		return nil, err
	}
	edited := current.Clone()
	if err := edit(edited); err != nil {
		return nil, err
	}
	if edited.Equal(current) {
		return current, nil
	}
	if err := checkDefinition(edited); err != nil {
		return nil, err
	}
	again, _, err := getOne[RiverDefinition](ctx, s.client, u)
	if err != nil {
		return nil, err
	}
	if changedBetween(current, again) {
		return nil, fmt.Errorf("%w: river %s changed while Update was editing it (version %q, now %q): nothing was written; try again",
			ErrConcurrentChange, riverID, current.CurrentVersionID(), again.CurrentVersionID())
	}
	out, _, err := s.replace(ctx, sc, riverID, edited)
	return out, err
}

// changedBetween reports whether a river changed between two reads: its
// current version when the API names one (every save makes a new one),
// else its portable definition.
func changedBetween(before, after *RiverDefinition) bool {
	if v := before.CurrentVersionID(); v != "" {
		return after.CurrentVersionID() != v
	}
	return !before.Portable().Equal(after.Portable())
}

// Copy makes a copy of a river: POST E/rivers/{riverID}/copy with {}. It
// returns the new river's definition (its ID is the copy's). The copy is
// created disabled whatever the original's status, but keeps the original's
// schedule and target as they are: activating it starts that schedule, and
// its runs write where the original's do.
//
// A copy is never sent twice: if the outcome is unknown, the *RequestError
// has MaybeApplied set; look for the copy with Search before copying again.
func (s *RiversService) Copy(ctx context.Context, riverID string) (*RiverDefinition, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.send(ctx, call{method: http.MethodPost, url: s.client.riverURL(sc, riverID, "copy"), body: emptyObject})
}

// RiverVersion is a saved version of a river's definition. Every save
// (create, update, restore) appends one.
type RiverVersion struct {
	ID         string    // version_id
	CreatedAt  time.Time // when it was saved (insert_date); zero when not sent
	CreatedBy  string    // who saved it: the author's name (user_info), else the user ID
	Bookmarked bool
	// Definition is the river as it was saved, when the answer embeds it
	// (GetVersion, and the list items of the live API).
	Definition *RiverDefinition
	// Raw is the version as the server sent it.
	Raw json.RawMessage

	// CreatedByID is the author's user ID (created_by), CreatedByEmail
	// their email (user_info), when sent.
	CreatedByID, CreatedByEmail string
	// PreviousVersion is the ID of the version this one followed; empty for
	// the first.
	PreviousVersion string
	// Name is the name given to the version, if any.
	Name string
}

// UnmarshalJSON reads a version (list item or detail). An embedded river
// that is not an object leaves Definition nil.
func (v *RiverVersion) UnmarshalJSON(b []byte) error {
	var w wire.Version
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var user wire.UserInfo
	if w.UserInfo.V != nil {
		user = *w.UserInfo.V
	}
	*v = RiverVersion{
		ID:              firstNonEmpty(string(w.VersionID), string(w.ID)),
		CreatedAt:       firstTime(w.InsertDate.Time, w.CreatedAt.Time),
		CreatedBy:       firstNonEmpty(string(user.UserName), string(w.CreatedByName), string(w.CreatedBy)),
		Bookmarked:      bool(w.Bookmarked),
		Raw:             append(json.RawMessage(nil), b...),
		CreatedByID:     string(w.CreatedBy),
		CreatedByEmail:  string(user.UserEmail),
		PreviousVersion: string(w.PreviousVersion),
		Name:            string(w.Name),
	}
	if river := bytes.TrimSpace(w.River); len(river) > 0 && river[0] == '{' {
		v.Definition = new(RiverDefinition)
		if err := json.Unmarshal(river, v.Definition); err != nil {
			return fmt.Errorf("version %s's river: %w", v.ID, err)
		}
	}
	return nil
}

// RiverVersionStats are the counts a page of versions carries beside its
// items: how many versions and bookmarks the river has and may have.
type RiverVersionStats struct {
	TotalVersions, VersionsAllowed       int
	BookmarkedVersions, BookmarksAllowed int
	SnapshotVersions                     int
}

// RiverVersionsPage is one page of a river's versions with the
// statistics the answer carries.
type RiverVersionsPage struct {
	Versions   []*RiverVersion
	Statistics RiverVersionStats
}

// ListVersions returns one page of a river's saved versions, newest first:
// GET E/rivers/{riverID}/versions.
func (s *RiversService) ListVersions(ctx context.Context, riverID string, opts *ListOptions) ([]*RiverVersion, *Response, error) {
	page, resp, err := s.VersionsPage(ctx, riverID, opts)
	if err != nil {
		return nil, resp, err
	}
	return page.Versions, resp, nil
}

// VersionsPage is ListVersions with the page's statistics (how many
// versions and bookmarks the river has, and may have):
// GET E/rivers/{riverID}/versions.
func (s *RiversService) VersionsPage(ctx context.Context, riverID string, opts *ListOptions) (*RiverVersionsPage, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var page wire.VersionsPage[*RiverVersion]
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.riverURL(sc, riverID, "versions"), query: opts, out: &page, limit: limitPage})
	if err != nil {
		return nil, resp, err
	}
	setPaging(resp, &page.Envelope)
	st := page.Statistics.V
	return &RiverVersionsPage{
		Versions: dropNil(page.Items),
		Statistics: RiverVersionStats{
			TotalVersions: int(st.TotalVersions), VersionsAllowed: int(st.VersionsAllowed),
			BookmarkedVersions: int(st.BookmarkedVersions), BookmarksAllowed: int(st.BookmarksAllowed),
			SnapshotVersions: int(st.SnapshotVersions),
		},
	}, resp, nil
}

// AllVersions iterates over every saved version of a river, newest first,
// page after page (GET E/rivers/{riverID}/versions, then each next_page).
func (s *RiversService) AllVersions(ctx context.Context, riverID string, opts *ListOptions) iter.Seq2[*RiverVersion, error] {
	return riverPages[*RiverVersion](ctx, s.client, riverID, "versions", opts)
}

// GetVersion returns one saved version with the river's definition as it
// was then: GET E/rivers/{riverID}/versions/{versionID}.
func (s *RiversService) GetVersion(ctx context.Context, riverID, versionID string) (*RiverVersion, *Response, error) {
	if err := validateIDs("river ID", riverID, "version ID", versionID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return getOne[RiverVersion](ctx, s.client, s.client.riverURL(sc, riverID, "versions", versionID))
}

// Restore puts a river back to a saved version: PUT E/rivers/{riverID}/restore
// with {"version_id": versionID}. It does not rewind: it appends a new
// version equal to the one named, so a restore can itself be undone. The
// API may refuse to restore an active river (400, "Please disable the data
// flow ..."): Disable it first and Activate it after; a restored river is
// not activated for you.
//
// It is never sent twice: if the outcome is unknown, the *RequestError has
// MaybeApplied set.
func (s *RiversService) Restore(ctx context.Context, riverID, versionID string) (*Response, error) {
	if err := validateIDs("river ID", riverID, "version ID", versionID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodPut, url: s.client.riverURL(sc, riverID, "restore"),
		body: wire.Restore{VersionID: versionID}, write: true})
}
