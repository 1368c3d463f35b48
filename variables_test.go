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

func TestVariablesDeleteChecksBeforeAndAfter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	// A missing key: reported, and nothing is deleted.
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/variables", rec.reply(200, fixture(t, "v1_variables.json")))
	_, err := c.Variables.Delete(ctx, "NOPE")
	if !errors.Is(err, rivery.ErrNoSuchVariable) || !errors.Is(err, rivery.ErrNotFound) || !strings.Contains(err.Error(), `"NOPE"`) {
		t.Errorf("Delete(missing) = %v", err)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("%d requests, want only the read", n)
	}

	// A present key: read, DELETE ?variable_key=, read again.
	c, mock = setup(t, v1()...)
	rec = recorder{}
	mock.RegisterResponder(http.MethodGet, v1Env+"/variables", sequence(
		rec.reply(200, fixture(t, "v1_variables.json")),
		rec.reply(200, `{"variables": {"NOTIFY": "x", "MAX_RETRIES": 3}}`)))
	mock.RegisterResponder(http.MethodDelete, v1Env+"/variables", rec.reply(200, `{}`))
	if _, err := c.Variables.Delete(ctx, "TARGET_SCHEMA"); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 3 || reqs[1].Method != http.MethodDelete || reqs[1].URL != v1Env+"/variables?variable_key=TARGET_SCHEMA" {
		t.Errorf("requests = %+v", reqs)
	}

	// A key still there after the API said it deleted it.
	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/variables", (&recorder{}).reply(200, fixture(t, "v1_variables.json")))
	mock.RegisterResponder(http.MethodDelete, v1Env+"/variables", (&recorder{}).reply(200, `{}`))
	if _, err := c.Variables.Delete(ctx, "TARGET_SCHEMA"); err == nil || !strings.Contains(err.Error(), "still set") {
		t.Errorf("Delete(not deleted) = %v", err)
	}

	for _, name := range []string{"", " ", "A\nB"} {
		if _, err := c.Variables.Delete(ctx, name); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Delete(%q) = %v", name, err)
		}
	}
	if _, err := c.Variables.Set(ctx, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("Set(nil) = %v", err)
	}
}
