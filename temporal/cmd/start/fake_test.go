package main

import (
	"context"
	"errors"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// fakeClient is the Temporal client start is given in tests: it records
// the workflow start and answers with run.
type fakeClient struct {
	client.Client // methods start does not call: nil, they panic
	opts          client.StartWorkflowOptions
	workflow      any
	args          []any
	run           *fakeRun
}

func (c *fakeClient) ExecuteWorkflow(_ context.Context, opts client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error) {
	c.opts, c.workflow, c.args = opts, workflow, args
	return c.run, nil
}

func (c *fakeClient) Close() {}

// dial returns a dialer that hands out c.
func (c *fakeClient) dial(client.Options) (client.Client, error) { return c, nil }

// fakeRun ends with result (converted as Temporal would) or err.
type fakeRun struct {
	client.WorkflowRun
	result any
	err    error
}

func (r *fakeRun) GetID() string    { return "wf-1" }
func (r *fakeRun) GetRunID() string { return "run-1" }

func (r *fakeRun) Get(_ context.Context, valuePtr any) error {
	if r.err != nil {
		var canceled *temporal.CanceledError
		var appErr *temporal.ApplicationError
		if !errors.As(r.err, &canceled) && !errors.As(r.err, &appErr) {
			return r.err // not a workflow's outcome: as it is
		}
		// Through a Failure and back, as from a server: details encoded.
		fc := temporal.GetDefaultFailureConverter()
		return fc.FailureToError(fc.ErrorToFailure(r.err))
	}
	if r.result == nil {
		return errors.New("fakeRun: no result")
	}
	dc := converter.GetDefaultDataConverter()
	p, err := dc.ToPayloads(r.result)
	if err != nil {
		return err
	}
	return dc.FromPayloads(p, valuePtr)
}
