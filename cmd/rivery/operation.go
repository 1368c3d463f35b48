package main

import (
	"encoding/json"
	"time"

	"github.com/rivery-go/rivery"
)

// operationJSON is an operation (an activation, a CDC switch, a pull
// request, a dataframe's clear, an environment's deletion) as the CLI
// prints it with --json.
type operationJSON struct {
	ID           string          `json:"operation_id,omitempty"`
	Type         string          `json:"operation_type,omitempty"`
	Status       string          `json:"status"`
	ErrorMessage string          `json:"error_message,omitempty"`
	Result       json.RawMessage `json:"result,omitempty"`
	UpdatedAt    *time.Time      `json:"last_update_date,omitempty"`
}

// opJSON is op as the CLI prints it; nil for nil.
func opJSON(op *rivery.Operation) *operationJSON {
	if op == nil {
		return nil
	}
	out := &operationJSON{ID: op.ID, Type: op.Type, Status: string(op.Status), ErrorMessage: op.ErrorMessage}
	if op.Result != "" && json.Valid([]byte(op.Result)) {
		out.Result = json.RawMessage(op.Result)
	}
	if !op.UpdatedAt.IsZero() {
		out.UpdatedAt = &op.UpdatedAt
	}
	return out
}
