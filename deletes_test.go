package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const connID = "66a1b2c3d4e5f60718293a4b"

// Each delete: its exact request, and the rule that makes it idempotent:
// a 404 to a retry after an attempt that may have reached the server is
// the delete done; a 404 to the first attempt, or after attempts that
// never reached it (a 429), is ErrNotFound.
func TestDeletesAreIdempotent(t *testing.T) {
	t.Parallel()
	deletes := []struct {
		name string
		url  string
		call func(c *rivery.Client) error
	}{
		{"Rivers.Delete", v1Env + "/rivers/" + riverID, func(c *rivery.Client) error {
			_, err := c.Rivers.Delete(context.Background(), riverID)
			return err
		}},
		{"Connections.Delete", v1Env + "/connections/" + connID, func(c *rivery.Client) error {
			_, err := c.Connections.Delete(context.Background(), connID)
			return err
		}},
		{"Environments.Delete", v1Account + "/environments/" + otherEnvID, func(c *rivery.Client) error {
			_, _, err := c.Environments.Delete(context.Background(), otherEnvID)
			return err
		}},
	}
	notFound := httpmock.NewStringResponder(404, `{"detail": "Not found"}`)
	for _, d := range deletes {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			cases := []struct {
				name     string
				first    httpmock.Responder
				wantErr  error
				requests int
			}{
				{"ok", nil, nil, 1},
				{"404 first", notFound, rivery.ErrNotFound, 1},
				{"answer lost, then 404", httpmock.NewErrorResponder(errAfterSend()), nil, 2},
				{"503, then 404", httpmock.NewStringResponder(503, "busy"), nil, 2},
				{"429, then 404", httpmock.NewStringResponder(429, `{"detail": "slow down"}`), rivery.ErrNotFound, 2},
			}
			for _, tc := range cases {
				c, mock := setup(t, v1()...)
				var rec recorder
				responders := []httpmock.Responder{rec.reply(200, `null`)}
				if tc.first != nil {
					first := tc.first
					responders = []httpmock.Responder{func(r *http.Request) (*http.Response, error) { rec.record(r); return first(r) },
						func(r *http.Request) (*http.Response, error) { rec.record(r); return notFound(r) }}
				}
				mock.RegisterResponder(http.MethodDelete, d.url, sequence(responders...))
				err := d.call(c)
				switch {
				case tc.wantErr == nil && err != nil, tc.wantErr != nil && !errors.Is(err, tc.wantErr):
					t.Errorf("%s: err %v, want %v", tc.name, err, tc.wantErr)
				case len(rec.all()) != tc.requests:
					t.Errorf("%s: %d requests, want %d", tc.name, len(rec.all()), tc.requests)
				}
				req := rec.all()[0]
				if req.Method != http.MethodDelete || req.URL != d.url || len(req.Body) != 0 {
					t.Errorf("%s: request %s %s %q", tc.name, req.Method, req.URL, req.Body)
				}
				checkHeaders(t, req, false)
			}
		})
	}
}

// On the fake: a delete whose answer is lost after the server did it is
// retried, finds the thing gone, and succeeds.
func TestDeleteAnswerLostOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders"}),
		riverytest.WithConnection(riverytest.Connection{ID: connID, Name: "orders db"}),
	)
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	srv.Fail(riverytest.RouteDeleteConnection, 1, riverytest.Fault{CloseConnection: true, Apply: true})
	if _, err := c.Connections.Delete(ctx, connID); err != nil {
		t.Errorf("connection delete: %v", err)
	}
	srv.Fail(riverytest.RouteDeleteRiver, 1, riverytest.Fault{Status: 502, Apply: true})
	if _, err := c.Rivers.Delete(ctx, riverID); err != nil {
		t.Errorf("river delete: %v", err)
	}
	if n := len(srv.RequestsTo(riverytest.RouteDeleteConnection)); n != 2 {
		t.Errorf("%d connection deletes sent, want 2", n)
	}
	if len(srv.Connections()) != 0 {
		t.Errorf("connections left: %+v", srv.Connections())
	}
	if _, _, err := c.Rivers.Get(ctx, riverID); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("river after delete: %v", err)
	}
	// Deleting again, for real, is not found.
	if _, err := c.Rivers.Delete(ctx, riverID); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	events := srv.AuditEvents()
	if len(events) != 2 || events[0].EntityType != "connections" || events[1].EntityKey != riverID || events[1].Type != "delete" {
		t.Errorf("audit log: %+v", events)
	}
}
