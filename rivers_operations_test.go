package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestActivateAndWait(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/activate_river", rec.reply(202, `{"operation_id":"op1","status":"W","error_message":null}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op1", sequence(
		rec.reply(200, `{"operation_id":"op1","status":"R"}`),
		rec.reply(200, `{"operation_id":"op1","status":"D"}`),
	))
	op, resp, err := c.Rivers.Activate(context.Background(), riverID)
	if err != nil || resp.StatusCode != 202 || op.ID != "op1" || op.Status != rivery.OperationWaiting {
		t.Fatalf("Activate = %+v, %v", op, err)
	}
	checkHeaders(t, rec.all()[0], true)
	done, err := c.Rivers.WaitForOperation(context.Background(), op, fastWait())
	if err != nil || done.Status != rivery.OperationDone || len(rec.all()) != 3 {
		t.Fatalf("WaitForOperation = %+v, %v after %d requests", done, err, len(rec.all()))
	}
}

func TestDisableAlreadyDisabled(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/disable_river", httpmock.NewStringResponder(204, ""))
	op, _, err := c.Rivers.Disable(context.Background(), riverID)
	if err != nil || op.Status != rivery.OperationDone {
		t.Fatalf("Disable = %+v, %v", op, err)
	}
	if done, err := c.Rivers.WaitForOperation(context.Background(), op, nil); err != nil || done != op {
		t.Errorf("WaitForOperation on a finished op = %+v, %v", done, err)
	}
	if n := mock.GetTotalCallCount(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestOperationError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op2",
		httpmock.NewStringResponder(200, `{"operation_id":"op2","status":"E","error_message":"RVR-ACTIVATE-500: source connection missing"}`))
	op, err := c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "op2", Status: rivery.OperationWaiting}, fastWait())
	var opErr *rivery.OperationError
	if !errors.As(err, &opErr) || opErr.Operation != op || !strings.Contains(err.Error(), "RVR-ACTIVATE-500: source connection missing") {
		t.Fatalf("error = %v", err)
	}
	if _, err := c.Rivers.WaitForOperation(context.Background(), nil, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("nil op: error = %v", err)
	}
}
