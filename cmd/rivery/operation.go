package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

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

// waitFlags are --no-wait and --poll-interval of a command that starts an
// operation and waits for it.
type waitFlags struct {
	noWait bool
	wait   bool // !noWait once the flags are parsed, for spec.waitLong
	poll   time.Duration
}

// define adds the flags to cmd.
func (f *waitFlags) define(cmd *cobra.Command) {
	f.poll = rivery.DefaultMinInterval
	cmd.Flags().BoolVar(&f.noWait, "no-wait", false, "print the operation the API starts and do not wait for it")
	cmd.Flags().Var(&durationValue{d: &f.poll, positive: true}, "poll-interval", "first wait between operation status calls; it doubles up to 30s")
	cmd.PreRun = func(*cobra.Command, []string) { f.wait = !f.noWait }
}

// options are the waits between operation status calls.
func (f *waitFlags) options() *rivery.WaitOptions {
	return &rivery.WaitOptions{MinInterval: f.poll, MaxInterval: max(f.poll, rivery.DefaultMaxInterval)}
}

// startOperation starts an operation with start and, unless --no-wait,
// waits until it ends. It returns the operation as last seen, in its
// --json form; an operation that ends E is the error of one that failed.
func (c *cli) startOperation(ctx context.Context, f *waitFlags, start func() (*rivery.Operation, *rivery.Response, error)) (operationJSON, error) {
	op, _, err := start()
	if err == nil && !f.noWait && !op.Status.Done() {
		op, err = c.client.Rivers.WaitForOperation(ctx, op, f.options())
	}
	if op == nil {
		return operationJSON{}, err
	}
	return *opJSON(op), err
}
