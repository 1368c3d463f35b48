package wire

import "encoding/json"

// Environment is an item of GET A/environments and the answer of
// GET A/environments/{id}. The API's own clients read the ID from "id" or
// "_id" and the name from "name" or "environment_name"; all are accepted.
// The reference sends is_deleted and is_default as "True"/"False", and
// the console's fixtures its IDs as {"$oid"}.
type Environment struct {
	ID              ID                              `json:"id"`
	MongoID         ID                              `json:"_id"`
	EnvironmentID   ID                              `json:"environment_id"`
	CrossID         ID                              `json:"cross_id"`
	Name            Text                            `json:"name"`
	EnvironmentName Text                            `json:"environment_name"`
	Description     Text                            `json:"description"`
	Color           Text                            `json:"color"`
	IsDeleted       Bool                            `json:"is_deleted"`
	IsDefault       Bool                            `json:"is_default"`
	Variables       Lax[map[string]json.RawMessage] `json:"variables"`
	CreatedAt       Time                            `json:"created_at"`
	UpdatedAt       Time                            `json:"updated_at"`
	DeletedAt       Time                            `json:"deleted_at"`
}
