package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const otherEnvID = "6b7b8c9d0e1f2a3b4c5d6e70"

func TestEnvironmentsCreateRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Account+"/environments", rec.reply(200,
		`{"_id": {"$oid": "`+otherEnvID+`"}, "cross_id": "`+otherEnvID+`", "environment_name": "Staging", "color": "Gray", "is_default": "False", "updated_at": "1705132839", "extra": {"x": 1}}`))
	e, _, err := c.Environments.Create(context.Background(), &rivery.CreateEnvironmentRequest{Name: "Staging", Color: "Gray", Description: "pre-release"})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	if req.Method != http.MethodPost || req.URL != v1Account+"/environments" {
		t.Errorf("request %s %s", req.Method, req.URL)
	}
	if string(req.Body) != `{"name":"Staging","color":"Gray","description":"pre-release"}` {
		t.Errorf("body %s", req.Body)
	}
	if e.ID != otherEnvID || e.Name != "Staging" || e.Color != "Gray" || e.Default || e.UpdatedAt.Unix() != 1705132839 {
		t.Errorf("environment %+v", e)
	}
	if raw := string(e.Raw()); !strings.Contains(raw, `"extra"`) {
		t.Errorf("Raw = %s", raw)
	}
}

func TestEnvironmentsUpdateRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPut, v1Account+"/environments/"+otherEnvID, rec.reply(200, ``))
	no := false
	e, _, err := c.Environments.Update(context.Background(), otherEnvID, &rivery.UpdateEnvironmentRequest{Name: "QA", Default: &no})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	if req.Method != http.MethodPut || string(req.Body) != `{"environment_name":"QA","is_default":false}` {
		t.Errorf("request %s %s", req.Method, req.Body)
	}
	if e == nil || e.ID != "" {
		t.Errorf("an empty answer gives an empty environment, got %+v", e)
	}
	// A PUT is a write: never sent twice once it may have reached the server.
	mock.RegisterResponder(http.MethodPut, v1Account+"/environments/"+otherEnvID, rec.fail(errAfterSend()))
	_, _, err = c.Environments.Update(context.Background(), otherEnvID, &rivery.UpdateEnvironmentRequest{Color: "yellow.200"})
	if !rivery.MaybeApplied(err) || len(rec.all()) != 2 {
		t.Errorf("cut PUT: %v after %d requests", err, len(rec.all()))
	}
}

func TestEnvironmentsWriteValidation(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...) // any request fails the test
	ctx := context.Background()
	for name, err := range map[string]error{
		"nil create":   second(c.Environments.Create(ctx, nil)),
		"empty name":   second(c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: " "})),
		"control name": second(c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "a\nb"})),
		"bad ID":       second(c.Environments.Update(ctx, "a/b", &rivery.UpdateEnvironmentRequest{Name: "x"})),
		"no change":    second(c.Environments.Update(ctx, otherEnvID, &rivery.UpdateEnvironmentRequest{})),
		"nil update":   second(c.Environments.Update(ctx, otherEnvID, nil)),
		"delete ID":    second(c.Environments.Delete(ctx, "")),
		"find name":    errOf(c.Environments.FindByName(ctx, "")),
	} {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// second returns the error of a call that returns (T, *Response, error).
func second[T any](_ T, _ *rivery.Response, err error) error { return err }

// errOf returns the error of a call that returns (T, error).
func errOf[T any](_ T, err error) error { return err }

// third is the error of a call that returns two values and an error.
func third[T, U any](_ T, _ U, err error) error { return err }

// A create cut after it may have reached the server is not sent again.
func TestEnvironmentsCreateNotResent(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Account+"/environments", rec.fail(errAfterSend()))
	_, _, err := c.Environments.Create(context.Background(), &rivery.CreateEnvironmentRequest{Name: "Staging"})
	if !rivery.MaybeApplied(err) || len(rec.all()) != 1 {
		t.Errorf("err %v after %d requests, want MaybeApplied after 1", err, len(rec.all()))
	}
}

func TestEnvironmentsDelete(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	u := v1Account + "/environments/" + otherEnvID
	mock.RegisterResponder(http.MethodDelete, u, rec.reply(202, `{"operation_id": "6522aa0b8443681b071e7299", "operation_type": "delete_environment", "status": "W", "result": null, "error_message": null}`))
	op, _, err := c.Environments.Delete(context.Background(), otherEnvID)
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, false)
	if req.Method != http.MethodDelete || len(req.Body) != 0 || op.ID != "6522aa0b8443681b071e7299" || op.Status != rivery.OperationWaiting {
		t.Errorf("request %s %q, op %+v", req.Method, req.Body, op)
	}
	// An empty answer is a delete done.
	mock.RegisterResponder(http.MethodDelete, u, httpmock.NewStringResponder(204, ""))
	if op, _, err := c.Environments.Delete(context.Background(), otherEnvID); err != nil || op.Status != rivery.OperationDone {
		t.Errorf("204: %+v %v", op, err)
	}
}

// The environment's life on the fake: create, find, update, delete (an
// operation waited for), then readable as deleted; a second delete answers
// 500, as the Terraform provider saw.
func TestEnvironmentsWritesOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	e, _, err := c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "Staging", Color: "tagCyan", Description: "pre-release"})
	if err != nil || e.Name != "Staging" || e.Color != "tagCyan" || e.ID == "" {
		t.Fatalf("create: %+v %v", e, err)
	}
	found, err := c.Environments.FindByName(ctx, "Staging")
	if err != nil || found.ID != e.ID {
		t.Fatalf("FindByName: %+v %v", found, err)
	}
	up, _, err := c.Environments.Update(ctx, e.ID, &rivery.UpdateEnvironmentRequest{Name: "QA"})
	if err != nil || up.Name != "QA" || up.Description != "pre-release" {
		t.Fatalf("update: %+v %v", up, err)
	}
	op, _, err := c.Environments.Delete(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done, err := c.Rivers.WaitForOperation(ctx, op, nil); err != nil || done.Status != rivery.OperationDone || done.Type != "delete_environment" {
		t.Fatalf("wait: %+v %v", done, err)
	}
	got, _, err := c.Environments.Get(ctx, e.ID)
	if err != nil || !got.Deleted {
		t.Errorf("after delete: %+v %v", got, err)
	}
	if _, err := c.Environments.FindByName(ctx, "QA"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("FindByName of a deleted one: %v", err)
	}
	if _, _, err := c.Environments.Delete(ctx, e.ID); !errors.Is(err, rivery.ErrServer) {
		t.Errorf("second delete: %v", err)
	}
	reqs := srv.RequestsTo(riverytest.RouteCreateEnvironment)
	if len(reqs) != 1 || string(reqs[0].Body) != `{"name":"Staging","color":"tagCyan","description":"pre-release"}` {
		t.Errorf("create requests: %+v", reqs)
	}
}
