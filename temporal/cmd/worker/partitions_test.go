package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/grpc"
)

// fakeClient's WorkflowService answers ListTaskQueuePartitions with
// partitions activity partitions, or err.
type fakeClient struct {
	client.Client // methods the worker does not call here: nil, they panic
	svc           fakeService
}

func (c *fakeClient) WorkflowService() workflowservice.WorkflowServiceClient { return &c.svc }

type fakeService struct {
	workflowservice.WorkflowServiceClient
	partitions int
	err        error
	asked      *workflowservice.ListTaskQueuePartitionsRequest
}

func (c *fakeService) ListTaskQueuePartitions(_ context.Context, in *workflowservice.ListTaskQueuePartitionsRequest, _ ...grpc.CallOption) (*workflowservice.ListTaskQueuePartitionsResponse, error) {
	c.asked = in
	if c.err != nil {
		return nil, c.err
	}
	resp := &workflowservice.ListTaskQueuePartitionsResponse{}
	for range c.partitions {
		resp.ActivityTaskQueuePartitions = append(resp.ActivityTaskQueuePartitions, &taskqueuepb.TaskQueuePartitionMetadata{})
	}
	return resp, nil
}

// The worker warns when the task queue has more than one partition (the
// rate limit then delivers less than its rate), and when it cannot tell.
func TestWarnOnPartitions(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *fakeClient
		warn string
	}{
		{"one partition", &fakeClient{svc: fakeService{partitions: 1}}, ""},
		{"the server's default", &fakeClient{svc: fakeService{partitions: 4}}, "matching.numTaskqueueReadPartitions"},
		{"unknown", &fakeClient{svc: fakeService{err: errors.New("permission denied")}}, "could not read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			warnOnPartitions(slog.New(slog.NewTextHandler(&out, nil)), tc.c, "", "rivery")
			if tc.c.svc.asked.GetNamespace() != "default" || tc.c.svc.asked.GetTaskQueue().GetName() != "rivery" {
				t.Errorf("asked about %v", tc.c.svc.asked)
			}
			if tc.warn == "" && out.Len() > 0 {
				t.Errorf("logged %q", out.String())
			}
			if tc.warn != "" && !strings.Contains(out.String(), tc.warn) {
				t.Errorf("logged %q, want a warning saying %q", out.String(), tc.warn)
			}
		})
	}
}
