package rivery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// Property fuzzing of every call's decode path, through an in-memory
// transport that answers each request with the fuzzed status and body:
//
//   - a non-2xx answer is an *APIError with that status, a valid UTF-8
//     message and a body of at most maxErrorBody bytes;
//   - a 2xx answer the call cannot use is a *RequestError;
//   - runs that decode have UTC times (or zero) and marshal to JSON.

// fixedAnswer answers every request with one status and body.
type fixedAnswer struct {
	status int
	body   []byte
}

func (a fixedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return a.response(req), nil
}

func (a fixedAnswer) response(req *http.Request) *http.Response {
	return &http.Response{
		StatusCode:    a.status,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(string(a.body))),
		ContentLength: int64(len(a.body)),
		Request:       req,
	}
}

// budgetAnswer is a fixedAnswer that ends the call's context once it has
// answered budget requests: a poller meeting an answer that never ends
// it (an operation still running, a 429 or a 5xx to wait out) stops there
// instead of polling forever on the instant clock.
type budgetAnswer struct {
	fixedAnswer
	budget int
	n      atomic.Int64
	cancel context.CancelFunc
}

func (a *budgetAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	if a.n.Add(1) >= int64(a.budget) {
		a.cancel()
	}
	return a.response(req), nil
}

// spent reports whether the budget ran out.
func (a *budgetAnswer) spent() bool { return a.n.Load() >= int64(a.budget) }

// fuzzStatus maps a fuzzed status onto 200 to 599: a status already in
// that range is kept (the seeds' 401, 404, 429 and 5xx among them), any
// other folds into it.
func fuzzStatus(status int) int {
	if status >= 200 && status <= 599 {
		return status
	}
	return 200 + (status%400+400)%400
}

// decodeCall is one call and what it decoded, for the run checks.
type decodeCall struct {
	name string
	do   func(ctx context.Context, c *Client) ([]*Run, error)
}

func decodeCalls() []decodeCall {
	const river, run = "63b724fc690def001131d242", "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	one := func(r *Run, _ *Response, err error) ([]*Run, error) {
		if r == nil {
			return nil, err
		}
		return []*Run{r}, err
	}
	none := func(_ any, _ *Response, err error) ([]*Run, error) { return nil, err }
	window := &ListRunsOptions{StartTime: time.Unix(1_700_000_000, 0), EndTime: time.Unix(1_700_003_600, 0)}
	return []decodeCall{
		{"Run", func(ctx context.Context, c *Client) ([]*Run, error) { return one(c.Rivers.Run(ctx, river)) }},
		{"GetRun", func(ctx context.Context, c *Client) ([]*Run, error) { return one(c.Rivers.GetRun(ctx, river, run)) }},
		{"ListRuns", func(ctx context.Context, c *Client) ([]*Run, error) {
			runs, _, err := c.Rivers.ListRuns(ctx, river, window)
			return runs, err
		}},
		{"CancelRun", func(ctx context.Context, c *Client) ([]*Run, error) {
			_, err := c.Rivers.CancelRun(ctx, river, run)
			return nil, err
		}},
		{"Rivers.List", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Rivers.List(ctx, nil)) }},
		{"Rivers.Get", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Rivers.Get(ctx, river)) }},
		{"RunLogs", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Rivers.RunLogs(ctx, river, run)) }},
		{"Activate", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Rivers.Activate(ctx, river)) }},
		{"WaitForOperation", func(ctx context.Context, c *Client) ([]*Run, error) {
			_, err := c.Rivers.WaitForOperation(ctx, &Operation{ID: "op1", Status: OperationRunning}, nil)
			return nil, err
		}},
		{"Tokens.List", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Tokens.List(ctx, nil)) }},
		{"Tokens.Get", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Tokens.Get(ctx, "t1")) }},
		{"Tokens.Create", func(ctx context.Context, c *Client) ([]*Run, error) {
			return none(c.Tokens.Create(ctx, &CreateTokenRequest{Name: "n", Scopes: []Scope{ScopeRiverList}}))
		}},
		{"Tokens.Delete", func(ctx context.Context, c *Client) ([]*Run, error) {
			_, err := c.Tokens.Delete(ctx, "t1")
			return nil, err
		}},
		{"Tokens.Scopes", func(ctx context.Context, c *Client) ([]*Run, error) { return none(c.Tokens.Scopes(ctx)) }},
	}
}

func FuzzDecodePaths(f *testing.F) {
	for _, s := range decodeSeeds() {
		f.Add(s.status, []byte(s.body))
	}
	calls := decodeCalls()
	consoleCalls := map[string]bool{"Run": true, "GetRun": true, "CancelRun": true, "Rivers.List": true, "Rivers.Get": true}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = fuzzStatus(status)
		for _, console := range []bool{false, true} {
			for _, dc := range calls {
				if console && !consoleCalls[dc.name] {
					continue // v1-only calls would ask /api/me first; the v1 client covers them
				}
				ctx, cancel := context.WithCancel(context.Background())
				answer := &budgetAnswer{fixedAnswer: fixedAnswer{status, body}, budget: 8, cancel: cancel}
				opts := []Option{WithHTTPClient(&http.Client{Transport: answer}), WithoutRetries()}
				if !console {
					opts = append(opts, WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
				}
				c, err := NewClient("fuzz-token", opts...)
				if err != nil {
					t.Fatal(err)
				}
				c.clock = instantClock{}
				runs, err := dc.do(ctx, c)
				cancel()
				if errors.Is(err, context.Canceled) {
					// Only a poller spends the budget: WaitForOperation on an
					// operation that never ends, or on 429s and 5xx.
					if dc.name != "WaitForOperation" || !answer.spent() {
						t.Fatalf("%s: status %d: the call was cut off after %d requests: %v", dc.name, status, answer.n.Load(), err)
					}
					continue
				}
				checkDecodeOutcome(t, dc.name, status, err)
				for _, r := range runs {
					checkDecodedRun(t, dc.name, r)
				}
			}
		}
	})
}

// The seeds reach every status class: before issue #23 the mapping moved
// every status by 200 (401 became 201, 202 became 402), so no seed's
// status was ever the one it names.
func TestFuzzStatusKeepsTheSeeds(t *testing.T) {
	t.Parallel()
	classes := map[int]bool{}
	for _, s := range decodeSeeds() {
		if got := fuzzStatus(s.status); got != s.status {
			t.Errorf("seed status %d answered as %d", s.status, got)
		}
		classes[s.status/100] = true
	}
	for _, class := range []int{2, 3, 4, 5} {
		if !classes[class] {
			t.Errorf("no seed of status class %dxx", class)
		}
	}
	for _, in := range []int{-1, 0, 199, 600, 1 << 40, -(1 << 40)} {
		if got := fuzzStatus(in); got < 200 || got > 599 {
			t.Errorf("fuzzStatus(%d) = %d", in, got)
		}
	}
}

type instantClock struct{}

func (instantClock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func checkDecodeOutcome(t *testing.T, name string, status int, err error) {
	t.Helper()
	if err == nil {
		if status < 200 || status > 299 {
			t.Fatalf("%s: status %d gave no error", name, status)
		}
		return
	}
	var apiErr *APIError
	var reqErr *RequestError
	var runErr *RunError
	var opErr *OperationError
	switch {
	case status >= 200 && status <= 299:
		if errors.As(err, &apiErr) {
			t.Fatalf("%s: status %d gave an *APIError: %v", name, status, err)
		}
		if name == "Rivers.Get" && errors.Is(err, ErrNotFound) {
			return // the console's empty answer (no river in it) means not found (API.md section 6)
		}
		if !errors.As(err, &reqErr) && !errors.As(err, &runErr) && !errors.As(err, &opErr) {
			t.Fatalf("%s: unusable %d answer gave %T (%v), want a *RequestError", name, status, err, err)
		}
	case !errors.As(err, &apiErr):
		t.Fatalf("%s: status %d gave %T (%v), want an *APIError", name, status, err, err)
	case apiErr.StatusCode != status:
		t.Fatalf("%s: APIError.StatusCode %d, want %d", name, apiErr.StatusCode, status)
	case !utf8.ValidString(apiErr.Message) || !utf8.ValidString(apiErr.Error()):
		t.Fatalf("%s: APIError message %q is not valid UTF-8", name, apiErr.Message)
	case len(apiErr.Body) > maxErrorBody:
		t.Fatalf("%s: APIError.Body of %d bytes, want at most %d", name, len(apiErr.Body), maxErrorBody)
	}
	if strings.ContainsFunc(err.Error(), isUnsafeRune) {
		t.Fatalf("%s: error text %q holds a control character", name, err.Error())
	}
}

// isUnsafeRune is what error text must not hold: a control character
// other than a tab.
func isUnsafeRune(r rune) bool { return r != '\t' && unicode.IsControl(r) }

func checkDecodedRun(t *testing.T, name string, r *Run) {
	t.Helper()
	for what, tm := range map[string]time.Time{"StartedAt": r.StartedAt, "EndedAt": r.EndedAt} {
		if !tm.IsZero() && tm.Location() != time.UTC {
			t.Fatalf("%s: %s %v is not UTC", name, what, tm)
		}
	}
	// The status is the raw word's, but for a failure whose message says the
	// run was canceled (canceled), and a console run without a status (still
	// waiting, as Rivery's own CLI reads it).
	want := runStatus(r.RawStatus, r.Message)
	if r.RawStatus == "" && r.Status == StatusPending {
		want = StatusPending
	}
	if r.Status != want {
		t.Fatalf("%s: status %q does not match raw %q (message %q)", name, r.Status, r.RawStatus, r.Message)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("%s: run %+v does not marshal to JSON: %v", name, r, err)
	}
}

type decodeSeed struct {
	status int
	body   string
}

// decodeSeeds are the live shapes of API.md section 6 and the earlier
// sections, every status word, and odd spacing.
func decodeSeeds() []decodeSeed {
	seeds := []decodeSeed{
		{200, `{"run_id":"0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a","river_id":"63b724fc690def001131d242","river_run_status":"W","river_run_message":"","run_insert_date":1732701600000,"run_update_date":1732701600000,"run_end_date":null}`},
		{200, `{"run_id":"0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a","message":"started"}`}, // check_run without a status
		{202, `{"run_group_id":"g1","river_cross_id":"63b724fc690def001131d242","runs":[{"run_id":"r1","sub_river_id":"s1","status":"pending"},{"run_id":"r2","sub_river_id":"s2","status":"pending"}]}`},
		{202, `{"run_group_id":"g2","river_cross_id":"63b724fc690def001131d242","runs":[]}`},
		{200, `{"run_group_id":"g3","runs":[{"run_id":"r3","status":"skipped","message":"Run r0 of this river is in flight"}]}`},
		{200, `{"run_id":"r4","river_cross_id":"v","status":"failed","error_description":"Run canceled","start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":"2026-11-27 10:02:05.5"}`},
		{200, `{"run_id":"r5","status":"succeeded","start_date_utc":"2026-11-27T10:00:00.123456+02:00","total_rows":0}`},
		{200, `{"run_id":"r6","status":"running","start_date_utc":"9999-12-31T23:00:00-05:00"}`},
		{200, `{"run_id":"r7","river_run_status":"D","run_insert_date":999999999999999,"run_end_date":"1732701600000"}`},
		{200, `[{"_id":"x","cross_id":"63b724fc690def001131d242","river_definitions":{"river_name":"orders","river_status":"active","river_type_id":"src_to_trgt","river_type_title":"Source to Target","river_desc":"","group_id":{"_id":"g","name":"Default"},"is_scheduled":true,"scheduled_time":"0 0 * * * ? *","river_time_created":"2024-01-02T03:04:05.123456+00:00","river_modified_date":"2024-05-06T07:08:09.654321+00:00","updated_by_name":"a","source":{"name":"mysql"},"target":null,"is_master_river":false,"subrivers_enabled":false,"is_api_v2":true}}]`},
		{200, `[]`},
		{200, `{"items":[{"river_cross_id":"a","river_name":"x","river_type":"logic"}],"page":1,"current_page_size":1,"total_items":9,"next_page":null,"previous_page":null}`},
		{200, `{"items":[null,{"run_id":"r8","status":"partially succeeded"}],"page":2}`},
		{200, "timestamp,level,msg\n2026-11-27T10:05:00Z,ERROR,Load failed\n"},
		{202, `{"operation_id":"op1","status":"W","error_message":null}`},
		{200, `{"operation_id":"op1","status":"E","error_message":"RVR-ACTIVATE-500: boom"}`},
		{200, `{"operation_id":"op1","status":""}`},
		{204, ``},
		{200, ``},
		{200, `null`},
		{200, `{"token_id":"t1","name":"ci","scopes":["river:list"],"created_at":"2026-11-27T10:00:00Z","token":"rvt_secret"}`},
		{200, `[{"name":"river:list","description":"List rivers"}]`},
		{401, `{"detail": "Credentials are not valid"}`},
		{403, `{"detail":"The token lacks the scope this endpoint needs"}`},
		{404, `{"detail":"Not Found"}`},
		{400, `{"message":"Data Flow 63b724fc690def001131d242 is disabled"}`},
		{422, `{"detail":[{"type":"missing","loc":["query","start_time"],"msg":"Field required","input":null},{"type":"int_parsing","loc":["query","page",0],"msg":"bad","input":"x"}]}`},
		{429, `{"detail":"Too many requests"}`},
		{500, "<html><body>Internal Server Error</body></html>"},
		{502, "upstream connect error \xff\xfe"},
		{503, "   \n\t  "},
		{418, `{"detail": {"nested": true}}`},
		{302, ``}, // a redirect without a Location: the answer itself
		{304, ``},
		{307, `{"detail": "moved"}`},
		// The shapes of issue #23: string booleans, zone-less and epoch
		// times, {"$oid"} IDs, a skipped trigger without runs, a refused
		// one, an empty activation answer, a run operation in progress.
		{201, `{"river_cross_id":"a461d00fbda24a33b6efcd434c8d6b22","run_group_id":"g","status":"skipped","message":"The river is already in progress, please use the run id '0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a' in order to check the status of the run."}`},
		{201, `{"error":"Rate limit exceeded: 1 per 1 minute"}`},
		{202, ``},
		{200, `{"operation_id":"op1","operation_type":"enable","last_update_date":"2023-11-15T13:25:47.442657","status":"R","result":{"response":[]},"error_message":""}`},
		{200, `{"run_id":{"$oid":"r9"},"status":"running","start_date_utc":"2022-09-01 07:40:33","start_date_in_milliseconds":"1662018033000","units":"1.0","is_sub_river_run":"False"}`},
		{200, `{"items":[{"river_cross_id":"a","schedulers":[{"cron_expression":"0 3 * * *","is_enabled":"True"}],"metadata":{"created_at":1644530734}}],"next_page":" ","page":"1","total_items":"9"}`},
		{200, `[{"_id":{"$oid":"x"},"cross_id":{"$oid":"63b724fc690def001131d242"},"river_definitions":{"is_scheduled":"True","river_date_inserted":{"$date":1688020367132},"group_id":{"_id":{"$oid":"g"}}}}]`},
		{200, `{"token_id":"t1","token_name":"ci","scopes":{"e1":["river:list"]},"insert_time":{"$date":1688020367132},"last_used_at":""}`},
	}
	// Every status word and letter, with spaces around and inside.
	for _, st := range []string{"W", "P", "R", "D", "E", "F", "pending", "running", "succeeded", "failed", "canceled", "cancelled", //nolint:misspell // a spelling servers send
		"skipped", "partially succeeded", "partially_succeeded", "unknown", "", " D ", "Partially  Succeeded", "\trunning\n"} {
		seeds = append(seeds,
			decodeSeed{200, `{"run_id":"r","status":"` + jsonEscape(st) + `"}`},
			decodeSeed{200, `{"run_id":"r","river_run_status":"` + jsonEscape(st) + `"}`})
	}
	return seeds
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
