package wire

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Identity is GET /api/me in full: the token's account and environment, and
// what the answer says about them and the token's user when it says it.
type Identity struct {
	AccountID       string `json:"account_id"`
	AccountName     string `json:"account_name"`
	EnvironmentID   string `json:"environment_id"`
	EnvironmentName string `json:"environment_name"`
	UserID          string `json:"user_id"`
	UserName        string `json:"user_name"`
	Email           string `json:"email"`
	UserEmail       string `json:"user_email"`
}

// ConsoleRiver is an item of the console's GET /api/rivers, and the one
// item of GET /api/rivers/{id}: the river's fields nest under
// river_definitions.
type ConsoleRiver struct {
	River                         // flat fields, as older answers and the v1 list give them
	ObjectID    string            `json:"_id"`
	Definitions *RiverDefinitions `json:"river_definitions"`
}

// RiverDefinitions is a console river's river_definitions block.
type RiverDefinitions struct {
	Name          string    `json:"river_name"`
	Status        string    `json:"river_status"`
	TypeID        string    `json:"river_type_id"`
	TypeTitle     string    `json:"river_type_title"`
	Description   string    `json:"river_desc"`
	Group         *NamedRef `json:"group_id"`
	IsScheduled   bool      `json:"is_scheduled"`
	ScheduledTime string    `json:"scheduled_time"`
	Created       Time      `json:"river_time_created"`
	Modified      Time      `json:"river_modified_date"`
	UpdatedBy     string    `json:"updated_by_name"`
	Source        *NamedRef `json:"source"`
	Target        *NamedRef `json:"target"`
	IsMasterRiver bool      `json:"is_master_river"`
	SubRivers     bool      `json:"subrivers_enabled"`
	IsAPIV2       bool      `json:"is_api_v2"`
}

// NamedRef is {"_id", "name"} (a group) or {"name"} (a source or target).
type NamedRef struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// UnmarshalJSON also reads a bare string as the ID, the shape older answers
// give group_id.
func (n *NamedRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*n = NamedRef{}
		return json.Unmarshal(b, &n.ID)
	}
	type plain NamedRef
	return json.Unmarshal(b, (*plain)(n))
}

// ConsoleRivers is GET /api/rivers/{id}: a one-element array, or (accepted
// too) the object itself. An empty array or null leaves it empty.
type ConsoleRivers []*ConsoleRiver

// errNotRiver is returned for an answer that is neither an array nor an
// object.
var errNotRiver = errors.New("want a river object or an array of them")

// UnmarshalJSON accepts an array of rivers or one river object.
func (c *ConsoleRivers) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errNotRiver
	case b[0] == '[':
		var list []*ConsoleRiver
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*c = list
	case b[0] == '{':
		var one ConsoleRiver
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*c = ConsoleRivers{&one}
	case string(b) == "null":
		*c = nil
	default:
		return errNotRiver
	}
	return nil
}

// CancelRunGroup is the body of the v1 cancel of a whole run group.
type CancelRunGroup struct {
	RunGroupID string `json:"run_group_id"`
}
