package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

const (
	riverA = "63b724fc690def001131d2a1"
	riverB = "63b724fc690def001131d2b2"
)

// Each way a workflow ends has its exit status, and 2 stays for usage and
// connection errors.
func TestExitStatus(t *testing.T) {
	t.Setenv("RIVERY_RIVER_ID", "")
	failedRun := &rivery.Run{ID: "r1", RiverID: riverA, Status: rivery.StatusFailed}
	canceledRivers := riverytemporal.RunRiversResult{Rivers: []riverytemporal.RiverOutcome{
		{Name: "1-" + riverA, RiverID: riverA, Outcome: riverytemporal.OutcomeCanceled, Error: "canceled"},
		{Name: "2-" + riverB, RiverID: riverB, Outcome: riverytemporal.OutcomeCanceled, Error: "the workflow was canceled before it started"},
	}}
	for _, tc := range []struct {
		name   string
		rivers []string
		run    fakeRun
		want   int
		stdout string
	}{
		{"succeeded", []string{riverA}, fakeRun{result: rivery.Run{ID: "r1", RiverID: riverA, Status: rivery.StatusSucceeded}}, 0, "run r1 succeeded"},
		{"run failed", []string{riverA}, fakeRun{err: temporal.NewNonRetryableApplicationError("rivery: run r1 failed", riverytemporal.ErrTypeRunFailed, nil, failedRun)}, 1, "run r1 failed"},
		{"trigger refused", []string{riverA}, fakeRun{err: temporal.NewNonRetryableApplicationError("rivery: trigger of river: 400", riverytemporal.ErrTypeRejected, nil)}, 1, ""},
		{"canceled", []string{riverA}, fakeRun{err: temporal.NewCanceledError()}, 3, ""},
		{"rivers canceled", []string{riverA, riverB}, fakeRun{err: temporal.NewCanceledError(canceledRivers)}, 3, "2-" + riverB + ": canceled"},
		{"wait broken", []string{riverA}, fakeRun{err: errors.New("connection refused")}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeClient{run: &tc.run}
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.rivers, &out, &errOut, c.dial)
			if code != tc.want {
				t.Errorf("exit %d, want %d; stdout %q, stderr %q", code, tc.want, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout %q does not say %q", out.String(), tc.stdout)
			}
		})
	}
}

// Interrupted while waiting (Ctrl-C): the workflow goes on, and start
// exits as a shell does for SIGINT.
func TestInterruptedWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &fakeClient{run: &fakeRun{err: context.Canceled}}
	cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{riverA}, &out, &errOut, c.dial); code != 130 || !strings.Contains(errOut.String(), "wf-1") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
