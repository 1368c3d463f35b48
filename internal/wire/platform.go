package wire

import "encoding/json"

// The shapes of the platform's other services: CDC, dataframes, Logicode
// files, teams and users. What the SDK acts on (a dataframe's name, a
// file's ID and URL, a team's or user's ID) is read strictly; the rest
// leniently.

// CDCConfig is GET E/rivers/{id}/cdc_config: {"config": {...}}, or (as
// Rivery's Terraform provider also accepts) the inner object alone.
type CDCConfig struct {
	Config json.RawMessage `json:"config"`
}

// SetCDCConfig is the body of POST E/rivers/{id}/cdc_config.
type SetCDCConfig struct {
	Config map[string]any `json:"config"`
}

// Dataframe is an item of GET E/dataframes and the answer of
// GET/POST/PUT E/dataframes[/{name}]. Its connection_settings come as an
// object, as a string holding one, or as a string holding the fragment
// "connection_settings": {...} (the reference's sample); they are kept
// raw for the SDK to read.
type Dataframe struct {
	Name          ID              `json:"name"`
	MongoID       Text            `json:"_id"`
	AccountID     Text            `json:"account_id"`
	Account       Text            `json:"account"`
	EnvironmentID Text            `json:"environment_id"`
	EnvID         Text            `json:"env_id"`
	Path          Text            `json:"path"`
	Settings      json.RawMessage `json:"connection_settings"`
	Retention     Lax[*Retention] `json:"retention"`
}

// Retention is a dataframe's retention block.
type Retention struct {
	ClearRiverEnd Text `json:"clear_river_end"`
}

// LogicodeFile is the answer of POST E/logicode_file ({file_id, url}: a
// presigned PUT) and of GET E/logicode_file/{id} ({file_id, filename,
// url}: a presigned GET).
type LogicodeFile struct {
	FileID   ID   `json:"file_id"`
	Filename Text `json:"filename"`
	FileName Text `json:"file_name"`
	URL      Link `json:"url"`
}

// NewLogicodeFile is the body of POST E/logicode_file.
type NewLogicodeFile struct {
	FileName string `json:"file_name"`
}

// FileURL is the answer of GET /v1/logicode_file/template and
// /requirements.
type FileURL struct {
	URL Link `json:"url"`
}

// LogicodeResources is GET /v1/logicode_resources.
type LogicodeResources struct {
	Logicode []*LogicodeResource `json:"logicode"`
}

// LogicodeResource is one machine size of Logicode steps.
type LogicodeResource struct {
	ID              Text   `json:"_id"`
	Name            Text   `json:"name"`
	Alias           Text   `json:"alias"`
	Description     Text   `json:"description"`
	RAM             Number `json:"ram"`
	CPU             Number `json:"cpu"`
	NetworkUnitsSec Number `json:"network_units_sec"`
	ComputeUnitsSec Number `json:"compute_units_sec"`
}

// Team is an item of GET A/teams (and, as far as known, the answer of
// GET A/teams/{id}).
type Team struct {
	MongoID                ID                              `json:"_id"`
	TeamID                 ID                              `json:"team_id"`
	ID                     ID                              `json:"id"`
	AccountID              Text                            `json:"account_id"`
	DisplayName            Text                            `json:"display_name"`
	RemoteDisplayName      Text                            `json:"remote_display_name"`
	Description            Text                            `json:"description"`
	Environments           Lax[map[string]json.RawMessage] `json:"environments"`
	IsAllEnvironmentsAdmin Bool                            `json:"is_all_environment_admin"`
	Source                 Text                            `json:"source"`
	CreatedAt              Time                            `json:"created_at"`
}

// User is an item of GET A/users, the answer of GET A/users/{id}, and the
// answer of POST A/users/privileged. The console's older list shape
// (user_email with _id as {"$oid"}, insert_time as {"$date"}) is read too.
type User struct {
	UserID       ID                              `json:"user_id"`
	MongoID      ID                              `json:"_id"`
	Email        Text                            `json:"user_email"`
	UserName     Text                            `json:"user_name"`
	FirstName    Text                            `json:"first_name"`
	LastName     Text                            `json:"last_name"`
	Environments Lax[map[string]json.RawMessage] `json:"environments"`
	IsAdmin      Bool                            `json:"is_admin"`
	Role         Text                            `json:"role"`
	Status       Text                            `json:"status"`
	Source       Text                            `json:"source"`
	InvitedBy    Text                            `json:"invited_by"`
	Groups       Lax[[]Text]                     `json:"groups"`
	IsSuperAdmin Bool                            `json:"is_super_admin"`
	SuperAdmin   Bool                            `json:"super_admin"`
	CreatedAt    Time                            `json:"created_at"`
	InsertTime   Time                            `json:"insert_time"`
	UpdatedAt    Time                            `json:"updated_at"`
	LastLogin    Time                            `json:"last_login"`
}

// UserPermissions is GET A/users/{id}/permissions: environment ID to role
// (a plain string here, or {"role"} as teams and users carry it).
type UserPermissions struct {
	Environments Lax[map[string]json.RawMessage] `json:"environments"`
}

// PrivilegedUser is the body of POST A/users/privileged.
type PrivilegedUser struct {
	UserEmail           string `json:"user_email"`
	FirstName           string `json:"first_name"`
	LastName            string `json:"last_name"`
	UserName            string `json:"user_name,omitempty"`
	IsSuperAdmin        bool   `json:"is_super_admin"`
	IsSuperAdminCreator bool   `json:"is_super_admin_creator"`
	IsGlobalOperator    bool   `json:"is_global_operator"`
}

// Role reads an environment's role: "admin", or {"role": "admin"}.
func Role(raw json.RawMessage) string {
	if s, ok := readText(raw); ok && s != "" {
		return s
	}
	var v struct {
		Role Text `json:"role"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return string(v.Role)
}
