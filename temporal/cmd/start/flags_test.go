package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// -poll-interval and -max-poll-interval set the wait between status
// calls of every river.
func TestPollIntervalFlags(t *testing.T) {
	for _, rivers := range [][]string{{riverA}, {riverA, riverB}} {
		c := &fakeClient{run: &fakeRun{result: map[string]any{}}}
		var out, errOut bytes.Buffer
		args := append([]string{"-poll-interval", "5s", "-max-poll-interval", "20s"}, rivers...)
		run(context.Background(), args, &out, &errOut, c.dial)
		if len(c.args) != 1 {
			t.Fatalf("%d rivers: no workflow started (stderr %q)", len(rivers), errOut.String())
		}
		var in riverytemporal.RunRiverInput
		switch a := c.args[0].(type) {
		case riverytemporal.RunRiverInput:
			in = a
		case riverytemporal.RunRiversInput:
			in = a.Run
		default:
			t.Fatalf("workflow input %T", a)
		}
		if in.MinPollInterval != 5*time.Second || in.MaxPollInterval != 20*time.Second {
			t.Errorf("%d rivers: poll intervals %v to %v, want 5s to 20s", len(rivers), in.MinPollInterval, in.MaxPollInterval)
		}
	}
}

func TestBadPollIntervalsAreRefused(t *testing.T) {
	for _, args := range [][]string{
		{"-poll-interval", "0s", riverA},
		{"-poll-interval", "1m", "-max-poll-interval", "30s", riverA},
	} {
		c := &fakeClient{run: &fakeRun{}}
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut, c.dial); code != 2 || c.args != nil {
			t.Errorf("%v: exit %d, started %v", args, code, c.args)
		}
	}
}
