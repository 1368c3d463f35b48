package wire

import "encoding/json"

// EnvVariables is GET and PUT E/variables: the environment's variables.
type EnvVariables struct {
	Variables map[string]json.RawMessage `json:"variables"`
}

// SetEnvVariables is the body of PUT E/variables.
type SetEnvVariables struct {
	Variables map[string]string `json:"variables"`
}

// RiverVariables is the body of PUT E/rivers/{id}/variables, and what the
// PUT answers: the whole set.
type RiverVariables[T any] struct {
	Items []T `json:"items"`
}

// Restore is the body of PUT E/rivers/{id}/restore.
type Restore struct {
	VersionID string `json:"version_id"`
}

// Connection holds the fields of a connection (list item or detail) the
// SDK reads; the rest stays raw. Lists call the display type
// connection_type and the slug connection_type_id; details call the slug
// connection_type and the display name connection_type_name.
type Connection struct {
	CrossID      ID   `json:"cross_id"`
	ObjectID     ID   `json:"_id"`
	ID           ID   `json:"id"`
	ConnectionID ID   `json:"connection_id"`
	Name         Text `json:"connection_name"`
	Type         Text `json:"connection_type"`
	TypeID       Text `json:"connection_type_id"`
	TypeName     Text `json:"connection_type_name"`
	UpdateTime   Time `json:"connection_update_time"`
}

// CatalogType holds what the SDK reads of an item of the catalogs
// /v1/connections_types (whose items may be wrapped in "fields"),
// /v1/data_source_types and /v1/target_types.
type CatalogType struct {
	Fields             Lax[*CatalogType] `json:"fields"`
	ID                 Text              `json:"id"`
	Name               Text              `json:"name"`
	ConnectionType     Text              `json:"connection_type"`
	ConnectionTypeName Text              `json:"connection_type_name"`
	TargetType         Text              `json:"target_type"`
	APIName            Text              `json:"api_name"`
	APINameMisspelled  Text              `json:"apu_name"` // one target type's spelling
	Status             Text              `json:"status"`
	Segment            json.RawMessage   `json:"segment"`
	DocumentationURL   Text              `json:"documentation_url"`
}

// Version is an item of GET E/rivers/{id}/versions and the answer of
// GET E/rivers/{id}/versions/{version}, which embeds the river as saved
// under "river". The reference names its time insert_date and its author
// under user_info; created_by is the author's user ID.
type Version struct {
	VersionID       ID              `json:"version_id"`
	ID              ID              `json:"id"`
	InsertDate      Time            `json:"insert_date"`
	CreatedAt       Time            `json:"created_at"`
	CreatedBy       Text            `json:"created_by"`
	CreatedByName   Text            `json:"created_by_name"`
	UserInfo        Lax[*UserInfo]  `json:"user_info"`
	Bookmarked      Bool            `json:"bookmarked"`
	PreviousVersion Text            `json:"previous_version"`
	RiverID         Text            `json:"river_id"`
	Name            Text            `json:"name"`
	River           json.RawMessage `json:"river"`
}

// UserInfo names a user: a version's author.
type UserInfo struct {
	UserName  Text `json:"user_name"`
	UserEmail Text `json:"user_email"`
}

// VersionStats is the statistics block beside a versions page's items.
type VersionStats struct {
	TotalVersions      Count `json:"total_versions"`
	VersionsAllowed    Count `json:"versions_allowed"`
	BookmarkedVersions Count `json:"bookmarked_versions"`
	BookmarksAllowed   Count `json:"bookmarks_allowed"`
	SnapshotVersions   Count `json:"snapshot_versions"`
}

// VersionsPage is GET E/rivers/{id}/versions: the envelope and its
// statistics.
type VersionsPage[T any] struct {
	Envelope[T]
	Statistics Lax[VersionStats] `json:"statistics"`
}

// Token is an API token's record: the SDK's own contract (token_id, name,
// created_at, created_by), or the console's names for the same fields
// (token_name, insert_time as {"$date"}, user, scopes keyed by
// environment). token, the secret, comes only in a create's answer.
type Token struct {
	TokenID    ID     `json:"token_id"`
	Name       Text   `json:"name"`
	TokenName  Text   `json:"token_name"`
	Scopes     Scopes `json:"scopes"`
	CreatedAt  Time   `json:"created_at"`
	InsertTime Time   `json:"insert_time"`
	CreatedBy  Text   `json:"created_by"`
	User       Text   `json:"user"`
	LastUsedAt Time   `json:"last_used_at"`
	Value      string `json:"token"`
}

// Keyed reports whether the token's ID is set, so that it is not an empty
// (null) list item.
func (t *Token) Keyed() bool { return t.TokenID != "" }
