package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

const (
	stepID    = "f00dfeed00000000000000000000a001"
	presigned = "https://rivery-logs.s3.amazonaws.com/runs/0d3f1c6a/step-a001.log"
	signature = "X-Amz-Signature=5e1f0a0b0c0d0e0f"
)

func runURL(suffix string) string { return v1Env + "/rivers/" + riverID + "/runs/" + runID + suffix }

func TestRunTasks(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, runURL("/tasks"), rec.reply(200, fixture(t, "v1_run_tasks.json")))
	tasks, resp, err := c.Rivers.RunTasks(context.Background(), riverID, runID)
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	if resp.NextPage != "" || len(tasks) != 2 {
		t.Fatalf("next %q, tasks %d", resp.NextPage, len(tasks))
	}
	want := rivery.RunRecord{
		RunID: runID, TaskID: "a1b2c3d4e5f60718293a4b5c6d7e8f91", RunGroupID: "g1", Name: "public.refunds",
		Source: "pg-prod", Target: "snowflake", Status: rivery.StatusFailed, RawStatus: "failed",
		Message: "Target table is locked", Units: 0.1,
		StartedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), EndedAt: time.Date(2026, 11, 27, 10, 5, 0, 0, time.UTC),
	}
	if *tasks[1] != want {
		t.Errorf("task = %+v\nwant   %+v", *tasks[1], want)
	}
	if tasks[0].Rows != 600 || tasks[0].Units != 0.15 {
		t.Errorf("task 0 = %+v", *tasks[0])
	}
}

func TestLogicSteps(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, runURL("/logic_steps"), rec.reply(200, fixture(t, "v1_logic_steps.json")))
	steps, _, err := c.Rivers.LogicSteps(context.Background(), riverID, runID)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 {
		t.Fatalf("steps = %d", len(steps))
	}
	want := rivery.LogicStep{
		ID: "f00dfeed00000000000000000000a002", Name: "aggregate_by_region", Type: "snowflake_sql_query",
		Status: rivery.StatusFailed, RawStatus: "failed", Message: "SQL compilation error: invalid identifier 'REGION'",
		Iteration: 3, Units: 0.05,
		StartedAt: time.Date(2026, 11, 27, 10, 0, 41, 0, time.UTC), EndedAt: time.Date(2026, 11, 27, 10, 0, 45, 0, time.UTC),
	}
	if *steps[1] != want {
		t.Errorf("step = %+v\nwant   %+v", *steps[1], want)
	}
	if steps[0].Type != "logicode" || steps[0].Status != rivery.StatusSucceeded {
		t.Errorf("step 0 = %+v", *steps[0])
	}
}

// The step log's content comes from the presigned host without the
// Rivery token; the first call carries it as always.
func TestStepLogContentSendsNoTokenToThePresignedHost(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var api, store recorder
	mock.RegisterResponderWithQuery(http.MethodGet, runURL("/logic_steps/"+stepID+"/logs"), "iteration_number=2", api.reply(200, fixture(t, "v1_step_logs.json")))
	mock.RegisterResponder(http.MethodGet, presigned, func(req *http.Request) (*http.Response, error) {
		store.record(req)
		return httpmock.NewStringResponse(200, "10:00:01 INFO extracted 1000 rows\n"), nil
	})
	content, err := c.Rivers.StepLogContent(context.Background(), riverID, runID, stepID, &rivery.StepLogOptions{Iteration: 2})
	if err != nil {
		t.Fatal(err)
	}
	if string(content) != "10:00:01 INFO extracted 1000 rows\n" {
		t.Errorf("content = %q", content)
	}
	checkHeaders(t, api.only(t), false)
	req := store.only(t)
	if req.Header.Get("Authorization") != "" || strings.Contains(strings.Join(flatten(req.Header), " "), testToken) {
		t.Errorf("the presigned request carried the token: %v", redact(strings.Join(flatten(req.Header), " ")))
	}
	if !strings.Contains(req.URL, signature) {
		t.Errorf("presigned URL %q lost its signature", req.URL)
	}
}

func flatten(h http.Header) []string {
	var out []string
	for k, vs := range h {
		out = append(out, k+": "+strings.Join(vs, ","))
	}
	return out
}

// Errors of the presigned host are APIErrors that do not repeat the
// signature; a 5xx is retried like any GET.
func TestReadStepLogErrors(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, presigned, sequence(
		rec.reply(503, "<Error><Code>SlowDown</Code></Error>"),
		rec.reply(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"),
	))
	_, resp, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: presigned + "?" + signature})
	if !errors.Is(err, rivery.ErrForbidden) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("Response = %v, want the 403", resp)
	}
	if apiErr := asAPIError(t, err); apiErr.URL != presigned {
		t.Errorf("URL = %q, want it without the query", apiErr.URL)
	}
	if strings.Contains(err.Error(), "Signature") {
		t.Errorf("error repeats the signature: %v", err)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

// endlessBody is a streamed body of n bytes.
type endlessBody struct{ left int64 }

func (b *endlessBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), b.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	b.left -= n
	return int(n), nil
}

func (b *endlessBody) Close() error { return nil }

func TestReadStepLogBounded(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, presigned, func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: &endlessBody{100 << 20}, ContentLength: -1, Header: http.Header{}}, nil
	})
	_, _, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: presigned})
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("err = %v, want a body-too-large error", err)
	}
	_ = asRequestError(t, err)
}

// A log of exactly the limit (16 MiB) is read whole; one byte more is not.
func TestReadStepLogAtTheLimit(t *testing.T) {
	t.Parallel()
	const limit = 16 << 20
	for size, ok := range map[int64]bool{limit: true, limit + 1: false} {
		c, mock := setup(t, v1()...)
		mock.RegisterResponder(http.MethodGet, presigned, func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Body: &endlessBody{size}, ContentLength: -1, Header: http.Header{}}, nil
		})
		body, _, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: presigned})
		if ok && (err != nil || int64(len(body)) != size) || !ok && err == nil {
			t.Errorf("%d-byte log: %d bytes, %v; want read whole: %t", size, len(body), err, ok)
		}
	}
}

func TestReadStepLogRefusesUnsafeURLs(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	for _, u := range []string{
		"", "/relative/log", "http://logs.example.com/step.log", "ftp://logs.example.com/x",
		"https://user:pw@logs.example.com/x", "https://%zz",
	} {
		if _, _, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: u}); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%q: err = %v, want ErrInvalidArgument", u, err)
		}
	}
	if _, _, err := c.Rivers.ReadStepLog(context.Background(), nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("nil log: err = %v", err)
	}
}

func TestStepLogWithoutURLIsAnError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, runURL("/logic_steps/"+stepID+"/logs"), (&recorder{}).reply(200, `{}`))
	if _, _, err := c.Rivers.StepLog(context.Background(), riverID, runID, stepID, nil); err == nil {
		t.Fatal("StepLog accepted an answer without logs_url")
	}
}

func TestRunVariablesShapes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"variables":                      fixture(t, "v1_run_variables.json"),
		"items":                          `{"items": [{"name": "rows_loaded", "value": 1000}, {"name": "run_date", "value": "2026-11-27"}, {"name": "regions", "value": ["eu", "us"]}, {"name": "dry_run", "value": false}], "page": 1}`,
		"plain":                          `{"run_date": "2026-11-27", "rows_loaded": 1000, "regions": ["eu","us"], "dry_run": false}`,
		"variables beside one other key": `{"run_id": "r1", "variables": {"run_date": "2026-11-27", "rows_loaded": 1000, "regions": ["eu","us"], "dry_run": false}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			mock.RegisterResponder(http.MethodGet, runURL("/variables"), (&recorder{}).reply(200, body))
			vars, _, err := c.Rivers.RunVariables(context.Background(), riverID, runID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vars {
				var val any
				if err := json.Unmarshal(v.Value, &val); err != nil {
					t.Fatal(err)
				}
				got = append(got, v.Name+"="+strings.ReplaceAll(strings.Trim(string(mustJSON(val)), `"`), `"`, ""))
			}
			if want := "dry_run=false regions=[eu,us] rows_loaded=1000 run_date=2026-11-27"; strings.Join(got, " ") != want {
				t.Errorf("vars = %s, want %s", strings.Join(got, " "), want)
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestRunDetailValidates(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"tasks":    func() error { _, _, err := c.Rivers.RunTasks(ctx, riverID, ""); return err },
		"steps":    func() error { _, _, err := c.Rivers.LogicSteps(ctx, "", runID); return err },
		"step log": func() error { _, _, err := c.Rivers.StepLog(ctx, riverID, runID, "a/b", nil); return err },
		"iteration": func() error {
			_, _, err := c.Rivers.StepLog(ctx, riverID, runID, stepID, &rivery.StepLogOptions{Iteration: -1})
			return err
		},
		"content":   func() error { _, err := c.Rivers.StepLogContent(ctx, riverID, "..", stepID, nil); return err },
		"variables": func() error { _, _, err := c.Rivers.RunVariables(ctx, riverID, "r?1"); return err },
	} {
		if err := call(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}
