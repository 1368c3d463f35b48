package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// RunTasks returns a run's tasks (for a source-to-target river, one per
// table): GET E/rivers/{riverID}/runs/{runID}/tasks (v1 API only). The
// answer may be paged; the Response then names the next page.
func (s *RiversService) RunTasks(ctx context.Context, riverID, runID string) ([]*RunRecord, *Response, error) {
	return runDetail(ctx, s.client, riverID, runID, "tasks", recordFromWire)
}

// LogicStep is one step of a logic river's run.
type LogicStep struct {
	ID        string
	Name      string
	Type      string // the step's block type, e.g. "logicode" or a SQL step type
	Status    RunStatus
	RawStatus string
	Message   string // the step's error message, if any
	Iteration int    // the loop iteration, for steps inside a loop
	Units     Units
	StartedAt time.Time
	EndedAt   time.Time
}

func stepFromWire(w *wire.LogicStep) *LogicStep {
	status := firstNonEmpty(w.Status, w.StepStatus) // the console's answer says step_status
	return &LogicStep{
		ID:        string(w.StepID),
		Name:      firstNonEmpty(string(w.StepName), string(w.Name)),
		Type:      firstNonEmpty(string(w.BlockType), string(w.StepType), string(w.Type)),
		Status:    ParseRunStatus(status),
		RawStatus: status,
		Message:   firstNonEmpty(string(w.ErrorMessage), string(w.ErrorDescription)),
		Iteration: int(max(w.IterationNumber, w.LoopIterationNumber)),
		Units:     Units(w.Units),
		StartedAt: firstTime(w.StartDateUTC.Time, w.StartDateMS.Time),
		EndedAt:   firstTime(w.EndDateUTC.Time, w.EndDateMS.Time),
	}
}

// LogicSteps returns the steps of a logic river's run, in the server's
// order: GET E/rivers/{riverID}/runs/{runID}/logic_steps (v1 API only).
// The answer holds them under "steps", an object keyed by step name (a
// step's Name is its key when it has none of its own) or a list, or
// under "items".
func (s *RiversService) LogicSteps(ctx context.Context, riverID, runID string) ([]*LogicStep, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.LogicSteps
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.riverURL(sc, riverID, "runs", runID, "logic_steps"), out: &w, limit: limitPage})
	if err != nil {
		return nil, resp, err
	}
	if w.Paged {
		setPaging(resp, &w.Envelope)
	}
	steps := make([]*LogicStep, 0, len(w.Items.Items))
	for _, st := range w.Items.Items {
		if st != nil {
			steps = append(steps, stepFromWire(st))
		}
	}
	return steps, resp, nil
}

func runDetail[W, T any](ctx context.Context, c *Client, riverID, runID, path string, conv func(*W) T) ([]T, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	sc, err := c.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return listMapped(ctx, c, c.riverURL(sc, riverID, "runs", runID, path), nil, conv)
}

// StepLog locates a logic step's log: a short-lived presigned URL. Only
// code (logicode) steps have one; the server answers other steps 400.
type StepLog struct {
	URL string
}

// String prints the log's URL without its query: the signature there is
// the credential, so fmt and slog never show it (StepLog.URL, and JSON,
// still hold it whole).
func (l StepLog) String() string {
	shown := redacted
	if u, err := url.Parse(l.URL); err == nil {
		shown = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	}
	return "StepLog{URL:" + shown + "}"
}

// GoString is String, for %#v.
func (l StepLog) GoString() string { return l.String() }

// Format prints String under every verb.
func (l StepLog) Format(f fmt.State, verb rune) { formatRedacted(f, verb, l) }

// LogValue is String, for slog.
func (l StepLog) LogValue() slog.Value { return slog.StringValue(l.String()) }

// StepLogOptions selects a loop iteration's log.
type StepLogOptions struct {
	Iteration int // 0 for a step outside a loop
}

// StepLog returns where a logic step's log can be read:
// GET E/rivers/{riverID}/runs/{runID}/logic_steps/{stepID}/logs
// [?iteration_number=] (v1 API only). Read it soon with ReadStepLog: the
// URL expires.
func (s *RiversService) StepLog(ctx context.Context, riverID, runID, stepID string, opts *StepLogOptions) (*StepLog, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID, "step ID", stepID); err != nil {
		return nil, nil, err
	}
	var q url.Values
	if opts != nil && opts.Iteration != 0 {
		if opts.Iteration < 0 {
			return nil, nil, fmt.Errorf("%w: negative iteration %d", ErrInvalidArgument, opts.Iteration)
		}
		q = url.Values{"iteration_number": {strconv.Itoa(opts.Iteration)}}
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.StepLog
	u := s.client.riverURL(sc, riverID, "runs", runID, "logic_steps", stepID, "logs")
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, query: q, out: &w})
	if err != nil {
		return nil, resp, err
	}
	if w.LogsURL == "" {
		return nil, resp, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: errors.New("the answer names no logs_url")}
	}
	return &StepLog{URL: w.LogsURL}, resp, nil
}

// ReadStepLog fetches the content at log.URL: a GET to the presigned host
// that carries no Rivery token (the signature in the URL is its
// credential), bounded like every other body read (16 MiB), retried like
// any GET. The URL must be https (or http to a loopback host). Errors name
// the URL without its query, so the signature does not leak into logs.
func (s *RiversService) ReadStepLog(ctx context.Context, log *StepLog) ([]byte, *Response, error) {
	if ctx == nil {
		return nil, nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	if log == nil {
		return nil, nil, fmt.Errorf("%w: nil StepLog", ErrInvalidArgument)
	}
	var body []byte
	r, err := s.client.presigned(ctx, presignedCall{method: http.MethodGet, url: log.URL, what: "step log URL",
		route: routeLogsURL, read: bufferBody(&body, limitLarge)})
	if err != nil {
		return nil, r, err
	}
	return body, r, nil
}

// StepLogContent is StepLog followed by ReadStepLog: a logic step's log
// content in one call.
func (s *RiversService) StepLogContent(ctx context.Context, riverID, runID, stepID string, opts *StepLogOptions) ([]byte, error) {
	log, _, err := s.StepLog(ctx, riverID, runID, stepID, opts)
	if err != nil {
		return nil, err
	}
	content, _, err := s.ReadStepLog(ctx, log)
	return content, err
}

// RunVariable is a variable of a logic river's run, with its value as the
// server sent it (JSON).
type RunVariable struct {
	Name  string
	Value json.RawMessage
}

// RunVariables returns a logic river run's variables, sorted by name:
// GET E/rivers/{riverID}/runs/{runID}/variables (v1 API only). Values are
// kept only a short while after the run; later the server answers 400.
// The answer is read as a {"variables": {...}} object, an
// {"items": [{"name", "value"}]} list or a plain name-to-value object.
func (s *RiversService) RunVariables(ctx context.Context, riverID, runID string) ([]RunVariable, *Response, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var raw json.RawMessage
	u := s.client.riverURL(sc, riverID, "runs", runID, "variables")
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &raw, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	vars, err := parseRunVariables(raw)
	if err != nil {
		return nil, resp, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: err}
	}
	return vars, resp, nil
}

func parseRunVariables(raw json.RawMessage) ([]RunVariable, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decoding variables: %w", err)
	}
	if inner, ok := obj["variables"]; ok && len(obj) <= 2 && bytes.HasPrefix(bytes.TrimSpace(inner), []byte("{")) {
		obj = nil
		if err := json.Unmarshal(inner, &obj); err != nil {
			return nil, fmt.Errorf("decoding variables: %w", err)
		}
	} else if items, ok := obj["items"]; ok && bytes.HasPrefix(bytes.TrimSpace(items), []byte("[")) {
		var list []struct {
			Name  string          `json:"name"`
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(items, &list); err != nil {
			return nil, fmt.Errorf("decoding variables: %w", err)
		}
		obj = make(map[string]json.RawMessage, len(list))
		for _, it := range list {
			obj[it.Name] = it.Value
		}
	}
	out := make([]RunVariable, 0, len(obj))
	for k, v := range obj {
		out = append(out, RunVariable{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
