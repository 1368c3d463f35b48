package wire

// Environment is an item of GET A/environments and the answer of
// GET A/environments/{id}. The API's own clients read the ID from "id" or
// "_id" and the name from "name" or "environment_name"; all are accepted.
type Environment struct {
	ID              string `json:"id"`
	MongoID         string `json:"_id"`
	EnvironmentID   string `json:"environment_id"`
	Name            string `json:"name"`
	EnvironmentName string `json:"environment_name"`
	Description     string `json:"description"`
	IsDeleted       bool   `json:"is_deleted"`
}
