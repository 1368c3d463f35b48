package main

import (
	"io"
	"log/slog"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Without a token the worker serves the embedded fake with the demo river.
func TestRiveryClientFallsBackToTheFake(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	c, cleanup, err := riveryClient(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	river, _, err := c.Rivers.Get(t.Context(), demoRiverID)
	if err != nil || river.ID != demoRiverID {
		t.Errorf("demo river: %+v, %v", river, err)
	}
}

func TestBadRateIsRefused(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	t.Setenv("RIVERY_ACTIVITIES_PER_SECOND", "fast")
	if err := run(); err == nil {
		t.Error("a bad rate was accepted")
	}
}
