package rivery

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/rivery-go/rivery/internal/wire"
)

// ListRunsOptions selects runs by start time, and pages them. Both times
// are required.
type ListRunsOptions struct {
	ListOptions
	StartTime time.Time `url:"-"` // sent as start_time, UTC yyyy-mm-ddThh:mm:ss, rounded down to the second
	EndTime   time.Time `url:"-"` // sent as end_time, UTC yyyy-mm-ddThh:mm:ss, rounded up to the second
}

func (o *ListRunsOptions) query() (url.Values, error) {
	switch {
	case o == nil:
		return nil, fmt.Errorf("%w: ListRunsOptions with StartTime and EndTime is required", ErrInvalidArgument)
	case o.StartTime.IsZero() || o.EndTime.IsZero():
		return nil, fmt.Errorf("%w: ListRunsOptions needs both StartTime and EndTime", ErrInvalidArgument)
	case o.EndTime.Before(o.StartTime):
		return nil, fmt.Errorf("%w: EndTime %s is before StartTime %s", ErrInvalidArgument,
			o.EndTime.UTC().Format(time.RFC3339), o.StartTime.UTC().Format(time.RFC3339))
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	v, err := query.Values(o.ListOptions)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidArgument, err)
	}
	// As the activity calls send a Window, and Boomi's tooling this call:
	// whole seconds in UTC, widened so the window still holds what was asked.
	Window{o.StartTime, o.EndTime}.setQuery(v)
	return v, nil
}

// ListRuns returns one page of a river's runs that started between
// opts.StartTime and opts.EndTime, newest first:
// GET E/rivers/{riverID}/runs (v1 API only; a token-only client learns its
// IDs once). It is how to find a run whose trigger answer was lost.
func (s *RiversService) ListRuns(ctx context.Context, riverID string, opts *ListRunsOptions) ([]*Run, *Response, error) {
	u, q, err := s.runsRequest(ctx, riverID, opts)
	if err != nil {
		return nil, nil, err
	}
	return s.runsPage(riverID)(ctx, u, q)
}

// runsRequest checks ListRuns' arguments and returns the URL and query of
// its first page.
func (s *RiversService) runsRequest(ctx context.Context, riverID string, opts *ListRunsOptions) (string, url.Values, error) {
	if err := validateID("river ID", riverID); err != nil {
		return "", nil, err
	}
	q, err := opts.query()
	if err != nil {
		return "", nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return "", nil, err
	}
	return s.client.riverURL(sc, riverID, "runs"), q, nil
}

// runsPage fetches one page of riverID's runs (see pageFunc). A run the
// page lists without its river (the live list names the river once, beside
// its items) is riverID's.
func (s *RiversService) runsPage(riverID string) pageFunc[*Run] {
	return func(ctx context.Context, u string, q any) ([]*Run, *Response, error) {
		ws, resp, err := listValues[wire.Run](ctx, s.client, u, q)
		if err != nil {
			return nil, resp, err
		}
		runs := pointers(make([]Run, len(ws)))
		for i := range ws {
			*runs[i] = runOfV1(&ws[i])
			runs[i].RiverID = firstNonEmpty(runs[i].RiverID, riverID)
			s.client.runTimes.record(s.client.runKey(riverID), runs[i]) // expected durations
		}
		return runs, resp, nil
	}
}

// AllRuns iterates over every run ListRuns would return for opts (copied),
// following next_page from the page opts selects and holding one page at a
// time: GET E/rivers/{riverID}/runs (v1 API only). Bad arguments are the
// first and only value it yields; it stops at the first error, which it
// yields, and when the loop breaks.
func (s *RiversService) AllRuns(ctx context.Context, riverID string, opts *ListRunsOptions) iter.Seq2[*Run, error] {
	var o *ListRunsOptions
	if opts != nil {
		cp := *opts
		o = &cp
	}
	return lazyPages(ctx, s.client, func() (string, any, error) { return s.runsRequest(ctx, riverID, o) }, s.runsPage(riverID))
}

// LogEntry is one line of a run's log.
type LogEntry struct {
	Time    time.Time // zero when the server's timestamp is unreadable
	Level   string
	Message string
}

// RunLogs returns a run's log, newest first as the server sends it:
// GET E/rivers/{riverID}/runs/{runID}/logs, a CSV of timestamp, level, msg
// (v1 API only). The body is bounded like every other.
func (s *RiversService) RunLogs(ctx context.Context, riverID, runID string) ([]LogEntry, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var body []byte
	u := s.client.riverURL(sc, riverID, "runs", runID, "logs")
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &body, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	entries, err := parseLogs(body)
	if err != nil {
		return nil, resp, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: err}
	}
	return entries, resp, nil
}

// parseLogs reads the log CSV. A header row (timestamp,level,msg) is
// skipped; each other row needs three fields.
func parseLogs(body []byte) ([]LogEntry, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var entries []LogEntry
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading log CSV: %w", err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "timestamp") {
			continue
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("reading log CSV: record %d has %d fields, want 3", line, len(rec))
		}
		entries = append(entries, LogEntry{Time: wire.ParseTime(rec[0]), Level: rec[1], Message: strings.Join(rec[2:], ",")})
	}
}
