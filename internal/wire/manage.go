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
	CrossID        string `json:"cross_id"`
	ObjectID       string `json:"_id"`
	ID             string `json:"id"`
	ConnectionID   string `json:"connection_id"`
	Name           string `json:"connection_name"`
	Type           string `json:"connection_type"`
	TypeID         string `json:"connection_type_id"`
	TypeName       string `json:"connection_type_name"`
	UpdateTime     Time   `json:"connection_update_time"`
	PasswordExists *bool  `json:"password_exists"`
}

// CatalogType holds what the SDK reads of an item of the catalogs
// /v1/connections_types (whose items may be wrapped in "fields"),
// /v1/data_source_types and /v1/target_types.
type CatalogType struct {
	Fields             *CatalogType    `json:"fields"`
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	ConnectionType     string          `json:"connection_type"`
	ConnectionTypeName string          `json:"connection_type_name"`
	TargetType         string          `json:"target_type"`
	APIName            string          `json:"api_name"`
	Status             string          `json:"status"`
	Segment            json.RawMessage `json:"segment"`
	DocumentationURL   string          `json:"documentation_url"`
}

// Version is an item of GET E/rivers/{id}/versions and the answer of
// GET E/rivers/{id}/versions/{version}, which embeds the river as saved
// under "river".
type Version struct {
	VersionID     string          `json:"version_id"`
	ID            string          `json:"id"`
	CreatedAt     Time            `json:"created_at"`
	CreatedBy     string          `json:"created_by"`
	CreatedByName string          `json:"created_by_name"`
	Bookmarked    bool            `json:"bookmarked"`
	River         json.RawMessage `json:"river"`
}
