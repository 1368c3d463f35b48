package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
)

func TestVariablesList(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/variables", rec.reply(200, fixture(t, "v1_variables.json")))
	vars, _, err := c.Variables.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"TARGET_SCHEMA": "analytics", "NOTIFY": "data-team@example.com", "MAX_RETRIES": "3"}
	if fmt.Sprint(vars) != fmt.Sprint(want) {
		t.Errorf("vars = %v, want %v", vars, want)
	}
	checkHeaders(t, rec.only(t), false)
}

func TestVariablesSetSendsOnlyTheKeys(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPut, v1Env+"/variables", rec.reply(200, fixture(t, "v1_variables.json")))
	if _, err := c.Variables.Set(context.Background(), map[string]string{"TARGET_SCHEMA": "staging"}); err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	checkJSON(t, req.Body, `{"variables": {"TARGET_SCHEMA": "staging"}}`)
}

// A write is never sent twice once it may have reached the server: before
// the fix, a PUT answered 502 or cut off was sent again.
func TestWritesAreNotResent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	writes := []struct {
		name, method, url string
		do                func(c *rivery.Client) error
	}{
		{"Variables.Set", http.MethodPut, v1Env + "/variables", func(c *rivery.Client) error {
			_, err := c.Variables.Set(ctx, map[string]string{"A": "1"})
			return err
		}},
		{"RiverVariables.Replace", http.MethodPut, v1Env + "/rivers/" + riverID + "/variables", func(c *rivery.Client) error {
			_, _, err := c.RiverVariables.Replace(ctx, riverID, nil)
			return err
		}},
		{"Rivers.Replace", http.MethodPut, v1Env + "/rivers/" + riverID, func(c *rivery.Client) error {
			def, _ := rivery.ParseRiverDefinition([]byte(`{"name": "x", "metadata": {}}`))
			_, _, err := c.Rivers.Replace(ctx, riverID, def)
			return err
		}},
		{"Rivers.Restore", http.MethodPut, v1Env + "/rivers/" + riverID + "/restore", func(c *rivery.Client) error {
			_, err := c.Rivers.Restore(ctx, riverID, "67bb00000000000000000002")
			return err
		}},
		{"Rivers.Create", http.MethodPost, v1Env + "/rivers", func(c *rivery.Client) error {
			def, _ := rivery.ParseRiverDefinition([]byte(`{"name": "x", "metadata": {}}`))
			_, _, err := c.Rivers.Create(ctx, def)
			return err
		}},
		{"Rivers.Copy", http.MethodPost, v1Env + "/rivers/" + riverID + "/copy", func(c *rivery.Client) error {
			_, _, err := c.Rivers.Copy(ctx, riverID)
			return err
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			mock.RegisterResponder(w.method, w.url, rec.reply(502, `{"detail": "Bad Gateway"}`))
			err := w.do(c)
			if apiErr := asAPIError(t, err); apiErr.StatusCode != 502 || len(rec.all()) != 1 {
				t.Errorf("502: err %v after %d requests, want the 502 after 1", err, len(rec.all()))
			}

			c, mock = setup(t, v1()...)
			rec = recorder{}
			mock.RegisterResponder(w.method, w.url, rec.fail(io.ErrUnexpectedEOF))
			err = w.do(c)
			if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || reqErr.Attempts != 1 || len(rec.all()) != 1 {
				t.Errorf("cut off: %+v after %d requests, want MaybeApplied after 1", reqErr, len(rec.all()))
			}

			c, mock = setup(t, v1()...)
			rec = recorder{}
			mock.RegisterResponder(w.method, w.url, sequence(rec.reply(429, `{"detail": "slow down"}`), rec.reply(200, `{"name": "x"}`)))
			if err := w.do(c); err != nil || len(rec.all()) != 2 {
				t.Errorf("429 then 200: %v after %d requests, want success after 2", err, len(rec.all()))
			}
		})
	}
}

// Delete is one DELETE ?variable_key= (issue #23: it was a read, the
// DELETE and a read again), and reads a missing name from the answer: a
// 404, or a message saying so. Any other answer, empty or not JSON
// included, is success.
func TestVariablesDeleteReadsTheAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tt := range []struct {
		status  int
		body    string
		missing bool
	}{
		{200, `{"message": "The variable has been deleted successfully"}`, false},
		{200, `{}`, false},
		{200, ``, false},
		{204, ``, false},
		{200, `OK`, false},
		{200, `{"variables": {"NOTIFY": "x"}}`, false},
		{200, `{"message": "Variable NOPE does not exist"}`, true},
		{200, `"variable not found"`, true},
		{404, `{"detail": "Variable not found"}`, true},
		{404, fixture(t, "error_route_not_found.json"), true},
	} {
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodDelete, v1Env+"/variables", rec.reply(tt.status, tt.body))
		_, err := c.Variables.Delete(ctx, "NOPE")
		if missing := errors.Is(err, rivery.ErrNoSuchVariable) && errors.Is(err, rivery.ErrNotFound) && strings.Contains(err.Error(), `"NOPE"`); missing != tt.missing || (!tt.missing && err != nil) {
			t.Errorf("%d %q: Delete = %v; want missing %t", tt.status, tt.body, err, tt.missing)
		}
		if req := rec.only(t); req.Method != http.MethodDelete || req.URL != v1Env+"/variables?variable_key=NOPE" {
			t.Errorf("sent %s %s", req.Method, req.URL)
		}
	}
	c, _ := setup(t, v1()...)

	for _, name := range []string{"", " ", "A\nB"} {
		if _, err := c.Variables.Delete(ctx, name); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Delete(%q) = %v", name, err)
		}
	}
	if _, err := c.Variables.Set(ctx, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("Set(nil) = %v", err)
	}
}
