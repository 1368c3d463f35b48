package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const pullID = "6522aa0b8443681b071e7201"

// StartPull sends the body Boomi's tooling sends, byte for byte.
func TestStartPullRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests", rec.reply(200, fixture(t, "v1_pull_request.json")))
	ctx := context.Background()
	op, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres", Schemas: []string{"sales", "audit"}})
	if err != nil {
		t.Fatal(err)
	}
	if op.ID != pullID || op.Status != rivery.OperationWaiting || op.Type != "get_db_metadata" {
		t.Errorf("op %+v", op)
	}
	if _, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "snowflake", Task: rivery.PullTaskDatabases,
		TaskType: "target", TableName: "orders", Inputs: map[string]any{"database_name": "DW", "date_range": map[string]int{"days": 2}}})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	want := []string{
		`{"pull_request_inputs":{"connection_id":"` + connID + `","schemas":["sales","audit"]},"task":"get_db_metadata","task_type":"source","datasource_id":"postgres"}`,
		`{"pull_request_inputs":{"connection_id":"` + connID + `"},"task":"get_db_metadata","task_type":"source","datasource_id":"postgres"}`,
		`{"pull_request_inputs":{"connection_id":"` + connID + `","table_name":"orders","database_name":"DW","date_range":{"days":2}},"task":"get_databases","task_type":"target","datasource_id":"snowflake"}`,
	}
	for i, r := range reqs {
		checkHeaders(t, r, true)
		if r.Method != http.MethodPost || string(r.Body) != want[i] {
			t.Errorf("request %d: %s %s\nwant %s", i, r.Method, r.Body, want[i])
		}
	}
	// A pull is a POST: never sent twice once it may have reached the server.
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests", rec.fail(errAfterSend()))
	if _, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}); !rivery.MaybeApplied(err) || len(rec.all()) != 4 {
		t.Errorf("cut pull: %v after %d", err, len(rec.all()))
	}
	// An answer without an operation cannot be waited for.
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests", rec.reply(200, `{"status": "W"}`))
	if _, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}); !rivery.MaybeApplied(err) {
		t.Errorf("no operation_id: %v", err)
	}
}

func TestPullRequestValidation(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for name, err := range map[string]error{
		"nil":           second(c.Connections.StartPull(ctx, nil)),
		"no connection": second(c.Connections.StartPull(ctx, &rivery.PullRequest{DatasourceID: "postgres"})),
		"no datasource": second(c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID})),
		"input clash":   second(c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "pg", Inputs: map[string]any{"schemas": 1}})),
		"control task":  second(c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "pg", Task: "a\nb"})),
		"cancel ID":     second(c.Connections.CancelPull(ctx, "a?b")),
		"test":          errOf(c.Connections.Test(ctx, &rivery.PullRequest{ConnectionID: connID}, nil)),
		"wait nil":      errOf(c.Connections.WaitForPull(ctx, nil, nil)),
		// Bad wait options are refused before the pull is started (setup
		// fails the test on any request).
		"test intervals": errOf(c.Connections.Test(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "pg"}, &rivery.WaitOptions{MinInterval: -1})),
		"pull intervals": third(c.Connections.PullMetadata(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "pg"},
			&rivery.WaitOptions{MinInterval: time.Minute, MaxInterval: time.Second})),
	} {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Test sends the body Rivery's Terraform provider tests with, and waits;
// an E is an *OperationError with the connector's message.
func TestConnectionTest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests", rec.reply(200, fixture(t, "v1_pull_request.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/"+pullID, sequence(
		rec.reply(200, `{"operation_id": "`+pullID+`", "status": "R", "result": null, "error_message": null}`),
		rec.reply(200, fixture(t, "v1_operation_error.json"))))
	op, err := c.Connections.Test(context.Background(), &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	var opErr *rivery.OperationError
	if !errors.As(err, &opErr) || op.Status != rivery.OperationFailed || !strings.Contains(err.Error(), "password authentication failed") {
		t.Fatalf("Test = %+v, %v", op, err)
	}
	reqs := rec.all()
	checkJSON(t, reqs[0].Body, `{"task_type": "source", "datasource_id": "postgres", "task": "get_db_metadata",
		"pull_request_inputs": {"connection_id": "`+connID+`", "pull_request_type": "get_db_metadata:postgres"}}`)
	if len(reqs) != 3 || reqs[1].Method != http.MethodGet || reqs[2].URL != v1Env+"/operations/"+pullID {
		t.Errorf("requests %+v", reqs)
	}
}

// PullMetadata reads the tables of a done pull (every column shape Rivery's
// clients read), keeps a done pull's message, and sorts the tables.
func TestPullMetadata(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests", (&recorder{}).reply(200, fixture(t, "v1_pull_request.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/"+pullID, (&recorder{}).reply(200, fixture(t, "v1_pull_metadata_done.json")))
	tables, op, err := c.Connections.PullMetadata(context.Background(), &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if op.Status != rivery.OperationDone || !strings.Contains(op.ErrorMessage, "permission denied") {
		t.Errorf("op %+v", op)
	}
	var got []string
	for _, tb := range tables {
		for _, col := range tb.Columns {
			got = append(got, strings.Join([]string{tb.Schema, tb.Name, col.Name, col.Type, boolWord(col.IsKey, "key"), boolWord(col.CanIncrement, "inc")}, "."))
		}
	}
	want := "audit.events.at.TIMESTAMP.-.inc,sales.customers.email.VARCHAR.-.-,sales.orders.id.INTEGER.key.inc,sales.orders.amount.NUMERIC.-.-"
	if strings.Join(got, ",") != want {
		t.Errorf("tables:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	// Another result shape is an error, not tables.
	list := &rivery.Operation{ID: pullID, Status: rivery.OperationDone, Result: `["PUBLIC","SALES"]`}
	if _, err := list.MetadataTables(); !errors.Is(err, rivery.ErrUnexpectedResult) {
		t.Errorf("list result: %v", err)
	}
}

func boolWord(b bool, word string) string {
	if b {
		return word
	}
	return "-"
}

func TestCancelPullRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests/"+pullID+"/cancel_run", rec.reply(202, `{"operation_id": "`+pullID+`", "status": "R", "result": null, "error_message": null}`))
	op, _, err := c.Connections.CancelPull(context.Background(), pullID)
	if err != nil || op.ID != pullID || op.Status != rivery.OperationRunning {
		t.Fatalf("%+v %v", op, err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	if req.Method != http.MethodPost || string(req.Body) != `{}` {
		t.Errorf("request %s %s", req.Method, req.Body)
	}
	// An empty answer names the pull request canceled.
	mock.RegisterResponder(http.MethodPost, v1Env+"/pull_requests/"+pullID+"/cancel_run", httpmock.NewStringResponder(202, ""))
	if op, _, err := c.Connections.CancelPull(context.Background(), pullID); err != nil || op.ID != pullID {
		t.Errorf("empty: %+v %v", op, err)
	}
}

// Waiting for a pull honors the context and a Retry-After: a 429 asking
// for more time than the context has left ends the wait with that 429 at
// once, and a canceled context ends it with the context's error.
func TestWaitForPullHonorsContextAndRetryAfter(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	limited := httpmock.NewStringResponder(429, `{"detail": "slow down"}`).HeaderSet(http.Header{"Retry-After": {"3600"}})
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/"+pullID, limited)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	op := &rivery.Operation{ID: pullID, Status: rivery.OperationWaiting}
	_, err := c.Connections.WaitForPull(ctx, op, nil)
	if !errors.Is(err, rivery.ErrRateLimited) || asAPIError(t, err).RetryAfter != time.Hour {
		t.Errorf("Retry-After past the deadline: %v", err)
	}
	canceled, stop := context.WithCancel(context.Background())
	stop()
	if _, err := c.Connections.WaitForPull(canceled, op, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// Tests, metadata pulls and cancels on the fake.
func TestPullsOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithConnection(riverytest.Connection{ID: connID, Name: "orders db", Tables: []riverytest.Table{
			{Schema: "sales", Name: "orders", Columns: []riverytest.Column{{Name: "id", Type: "INTEGER", Key: true, Increment: true}}},
			{Schema: "hr", Name: "people", Columns: []riverytest.Column{{Name: "name", Type: "VARCHAR"}}},
		}}),
		riverytest.WithConnection(riverytest.Connection{ID: "66a1b2c3d4e5f60718293a4c", Name: "broken", PullError: "FATAL: password authentication failed"}),
	)
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	if op, err := c.Connections.Test(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgresql"}, nil); err != nil || op.Status != rivery.OperationDone {
		t.Errorf("test: %+v %v", op, err)
	}
	var opErr *rivery.OperationError
	if _, err := c.Connections.Test(ctx, &rivery.PullRequest{ConnectionID: "66a1b2c3d4e5f60718293a4c", DatasourceID: "postgresql"}, nil); !errors.As(err, &opErr) ||
		opErr.Operation.ErrorMessage != "FATAL: password authentication failed" {
		t.Errorf("failing test: %v", err)
	}
	tables, _, err := c.Connections.PullMetadata(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgresql", Schemas: []string{"sales"}}, nil)
	if err != nil || len(tables) != 1 || tables[0].Name != "orders" || len(tables[0].Columns) != 1 || !tables[0].Columns[0].IsKey {
		t.Errorf("metadata: %v %v", tables, err)
	}
	op, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgresql", Task: rivery.PullTaskSchemas})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Connections.CancelPull(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connections.WaitForPull(ctx, op, nil); !errors.As(err, &opErr) || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("canceled pull: %v", err)
	}
	if _, _, err := c.Connections.CancelPull(ctx, op.ID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("cancel of an ended pull: %v", err)
	}
	if _, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: "66a1b2c3d4e5f60718293a4f", DatasourceID: "pg"}); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("unknown connection: %v", err)
	}
}
