package wire

import (
	"bytes"
	"encoding/json"
	"sort"
)

// The shapes of the calls that administer an environment: environment and
// connection writes, pull requests, a connection's tables, one connection
// type, the data source sections, river groups and audit events. Where no
// source shows an answer, the comment says so and every field is lenient.

// CreateEnvironment is the body of POST A/environments, as Boomi's tooling
// and the console send it: the name is "name" here.
type CreateEnvironment struct {
	Name        string `json:"name"`
	Color       string `json:"color,omitempty"`
	Description string `json:"description,omitempty"`
	IsDefault   bool   `json:"is_default,omitempty"`
}

// UpdateEnvironment is the body of PUT A/environments/{id}. Boomi's
// tooling and the console name the name "environment_name" here (Rivery's
// Terraform provider sends "name"; which one the server honors has not
// been observed). The console leaves out what is not changed.
type UpdateEnvironment struct {
	EnvironmentName string `json:"environment_name,omitempty"`
	Color           string `json:"color,omitempty"`
	Description     string `json:"description,omitempty"`
	IsDefault       *bool  `json:"is_default,omitempty"`
}

// PullRequest is the body of POST E/pull_requests, its keys in the order
// Boomi's tooling writes them.
type PullRequest struct {
	Inputs       PullInputs `json:"pull_request_inputs"`
	Task         string     `json:"task"`
	TaskType     string     `json:"task_type"`
	DatasourceID string     `json:"datasource_id"`
}

// PullInputs are a pull request's pull_request_inputs: the connection,
// what to read of it, and any other input as given.
type PullInputs struct {
	ConnectionID    string
	Schemas         []string
	TableName       string
	PullRequestType string
	Extra           map[string]json.RawMessage
}

// MarshalJSON writes connection_id first, then schemas, table_name and
// pull_request_type when set, then the other inputs by name: the order
// Boomi's tooling writes (it sends the first two only).
func (p PullInputs) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"connection_id":`)
	b.Write(AppendString(nil, p.ConnectionID))
	if p.Schemas != nil {
		list, err := json.Marshal(p.Schemas)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"schemas":`)
		b.Write(list)
	}
	for _, kv := range [][2]string{{"table_name", p.TableName}, {"pull_request_type", p.PullRequestType}} {
		if kv[1] != "" {
			b.WriteString(`,"` + kv[0] + `":`)
			b.Write(AppendString(nil, kv[1]))
		}
	}
	keys := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteByte(',')
		b.Write(AppendString(nil, k))
		b.WriteByte(':')
		var v bytes.Buffer
		if err := json.Compact(&v, p.Extra[k]); err != nil {
			return nil, err
		}
		b.Write(v.Bytes())
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// KeyFile is the answer of POST E/connections/{type}/files: the path the
// server keeps the file at (file_path), or the console's name for it
// (key_file_name).
type KeyFile struct {
	FilePath    Text `json:"file_path"`
	KeyFileName Text `json:"key_file_name"`
}

// ConnectionTable is an item of GET E/connections/{id}/tables: a table
// (its name under "id") and the columns a river can load it by.
type ConnectionTable struct {
	ID                 ID                       `json:"id"`
	Name               Text                     `json:"name"`
	SchemaName         Text                     `json:"schema_name"`
	TableType          Text                     `json:"table_type"`
	ObjectType         Text                     `json:"object_type"`
	ResolvedObjectType Text                     `json:"resolved_object_type"`
	UpdatedAt          Time                     `json:"updated_at"`
	Database           Lax[*DatabaseProperties] `json:"database_properties"`
	IncrementColumns   Lax[[]IncrementColumn]   `json:"increment_columns"`
}

// DatabaseProperties names the database a table lives in.
type DatabaseProperties struct {
	Name Text `json:"name"`
	Type Text `json:"type"`
}

// IncrementColumn is a column a table can be loaded incrementally by.
type IncrementColumn struct {
	Name            Text `json:"name"`
	Type            Text `json:"type"`
	IncrementalType Text `json:"incremental_type"`
	IsDefault       Bool `json:"is_default"`
}

// ConnectionType is the answer of GET /v1/connections_types/{type} (its
// items in the catalog come wrapped in "fields"; so may this).
type ConnectionType struct {
	Fields                Lax[*ConnectionType]   `json:"fields"`
	ConnectionType        Text                   `json:"connection_type"`
	ConnectionTypeName    Text                   `json:"connection_type_name"`
	HasKeyFile            Bool                   `json:"has_key_file"`
	IsTestConnection      Bool                   `json:"is_test_connection"`
	OAuth2                Bool                   `json:"oauth2"`
	AllowedFileExtensions Lax[[]Text]            `json:"allowed_file_extensions"`
	Properties            Lax[[]json.RawMessage] `json:"properties"`
}

// ConnectionTypeProperty is one property of a connection type: a field a
// connection of that type has.
type ConnectionTypeProperty struct {
	ID          Text `json:"id"`
	Name        Text `json:"name"`
	Type        Text `json:"type"`
	UIType      Text `json:"ui_type"`
	DisplayName Text `json:"display_name"`
	Required    Bool `json:"required"`
}

// SourceSection is an item of GET /v1/data_source_sections: a section and
// the IDs of the source types in it.
type SourceSection struct {
	Section     Lax[*Section] `json:"data_source_section"`
	SourceTypes Lax[[]Text]   `json:"data_source_types"`
}

// Section is a data source section.
type Section struct {
	ID            Text  `json:"id"`
	Name          Text  `json:"name"`
	Description   Text  `json:"description"`
	Ordinal       Count `json:"ordinal"`
	TargetOrdinal Count `json:"target_ordinal"`
}

// RiverGroup is an item of GET E/river_groups. Rivery's Terraform client
// reads the ID from cross_id, else id; the console's groups also carry
// _id, which may differ from cross_id.
type RiverGroup struct {
	CrossID    ID   `json:"cross_id"`
	ID         ID   `json:"id"`
	MongoID    ID   `json:"_id"`
	Name       Text `json:"name"`
	Color      Text `json:"color"`
	Icon       Text `json:"icon"`
	IsDefault  Bool `json:"is_default"`
	InsertTime Time `json:"insert_time"`
	UpdateTime Time `json:"update_time"`
}

// AuditEvent is an item of GET E/audit_events and the answer of
// GET E/audit_events/{id}. additional_info comes as a JSON document
// inside a string.
type AuditEvent struct {
	EventID           ID              `json:"event_id"`
	EventDatetime     Time            `json:"event_datetime"`
	EventTime         Time            `json:"event_time"`
	EventType         Text            `json:"event_type"`
	EventName         Text            `json:"event_name"`
	EventInitiator    Text            `json:"event_initiator"`
	EventResultStatus Count           `json:"event_result_status"`
	EntityType        Text            `json:"entity_type"`
	EntitySubtype     Text            `json:"entity_subtype"`
	EntityLogicalKey  Text            `json:"entity_logical_key"`
	EntityName        Text            `json:"entity_name"`
	UserID            Text            `json:"user_id"`
	UserName          Text            `json:"user_name"`
	AdditionalInfo    json.RawMessage `json:"additional_info"`
}

// AuditPage is a page of GET E/audit_events: next_page and previous_page
// (the reference), or next_token (the console's fixtures).
type AuditPage[T any] struct {
	Envelope[T]
	NextToken Text `json:"next_token"`
}
