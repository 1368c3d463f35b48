package rivery_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// durations is a slog handler that keeps the duration of each attempt.
type durations struct{ got []time.Duration }

func (h *durations) Enabled(context.Context, slog.Level) bool { return true }
func (h *durations) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "duration" {
			h.got = append(h.got, a.Value.Duration())
		}
		return true
	})
	return nil
}
func (h *durations) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *durations) WithGroup(string) slog.Handler      { return h }

// Each logged attempt's duration is that attempt's, measured from its
// start: never negative, never since the zero time.
func TestAttemptLogDuration(t *testing.T) {
	t.Parallel()
	h := &durations{}
	c, mock := setup(t, rivery.WithLogger(slog.New(h)))
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(503, ""),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"R"}`),
	))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 2 {
		t.Fatalf("%d attempts logged, want 2", len(h.got))
	}
	for i, d := range h.got {
		if d < 0 || d > time.Hour {
			t.Errorf("attempt %d logged a duration of %v", i+1, d)
		}
	}
}

// Any 2xx is a success, 299 included; 300 is not.
func TestStatusRangeEdges(t *testing.T) {
	t.Parallel()
	body := `{"run_id":"` + runID + `","river_run_status":"R"}`
	c, mock := setup(t, rivery.WithoutRetries())
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(299, body),
		httpmock.NewStringResponder(300, body),
		httpmock.NewStringResponder(200, body),
	))
	if run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil || run.ID != runID {
		t.Errorf("299: %+v, %v; want the run", run, err)
	}
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); asAPIError(t, err).StatusCode != 300 {
		t.Errorf("300: %v", err)
	}
}

// The same on the SDK's own transport, which needs no read guard: the
// logger alone has each attempt's start taken.
func TestAttemptLogDurationOwnTransport(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	h := &durations{}
	c := srv.Client(rivery.WithLogger(slog.New(h)))
	if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 1 || h.got[0] < 0 || h.got[0] > time.Hour {
		t.Errorf("logged durations %v, want one of the attempt's own", h.got)
	}
}
