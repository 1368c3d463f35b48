package rivery_test

import (
	"context"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

// bdiRequest is a request exactly as Boomi's BDI tooling
// (OfficialBoomi/bc-bdi, skills/boomi-bdi/scripts) sends it: method, path,
// query as curl --data-urlencode writes it (parameters in flag order,
// lower-case hex), and body.
type bdiRequest struct {
	method, path, query, body string
}

// bodyForm says how a body is compared: byte for byte where bdi builds it
// (pull requests), as JSON where bdi posts the user's file as it is (the
// same document, whatever its spacing and key order), or as a multipart
// upload (the boundary is random).
type bodyForm int

const (
	sameBytes bodyForm = iota
	sameJSON
	sameUpload
)

// The administration calls Boomi's tooling sends (bdi-env.sh,
// bdi-flow.sh, bdi-connection.sh), and the SDK call that sends the same:
// no difference in method, path, query (compared decoded: Go sorts keys,
// curl keeps flag order and writes lower-case hex) or body. Headers differ
// by design (the SDK sends Accept: application/json and no Content-Type
// on bodiless requests; bdi sends curl's Accept: */* and a JSON
// Content-Type on every request) and are not compared.
func TestWireParityWithBoomiTooling(t *testing.T) {
	t.Parallel()
	const (
		a       = "/v1/accounts/" + accountID
		e       = a + "/environments/" + envID
		eventID = "4c1f7e2a9b3d45e6a8c0d1f2e3b4a596"
		envFile = `{"name": "Staging", "color": "tagCyan", "description": "pre-release"}`
		conFile = `{"connection_name": "Orders Postgres", "connection_type": "postgres", "host": "db.example.com", "port": 5432, "password": "pw"}`
	)
	no := false
	ctx := context.Background()
	cases := []struct {
		script string // bdi's script and subcommand
		bdi    bdiRequest
		form   bodyForm
		answer string
		sdk    func(c *rivery.Client) error
	}{
		{"bdi-env.sh create --body env.json", bdiRequest{"POST", a + "/environments", "", envFile}, sameJSON, `{}`,
			func(c *rivery.Client) error {
				_, _, err := c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "Staging", Color: "tagCyan", Description: "pre-release"})
				return err
			}},
		{"bdi-env.sh create --body default-env.json", bdiRequest{"POST", a + "/environments", "", `{"name": "Main", "is_default": true}`}, sameJSON, `{}`,
			func(c *rivery.Client) error {
				_, _, err := c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "Main", Default: true})
				return err
			}},
		{"bdi-env.sh edit <env> --body env.json", bdiRequest{"PUT", a + "/environments/" + otherEnvID, "",
			`{"environment_name": "QA", "color": "tagCyan", "description": "pre-release", "is_default": false}`}, sameJSON, `{}`,
			func(c *rivery.Client) error {
				_, _, err := c.Environments.Update(ctx, otherEnvID, &rivery.UpdateEnvironmentRequest{Name: "QA", Color: "tagCyan", Description: "pre-release", Default: &no})
				return err
			}},
		{"bdi-env.sh audit --from --to --user-id --event-type x2 --entity-type --entity-key", bdiRequest{"GET", e + "/audit_events",
			"start_time=2026-03-01T00%3a00%3a00&end_time=2026-03-02T00%3a00%3a00&user_id=61e0aa00000000000000beef&event_type=update&event_type=delete&entity_type=rivers&entity_logical_key=" + riverID, ""},
			sameBytes, `{"items": [], "next_page": null}`,
			func(c *rivery.Client) error {
				_, _, err := c.AuditEvents.List(ctx, &rivery.AuditEventsOptions{
					Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
					UserIDs: []string{"61e0aa00000000000000beef"}, EventTypes: []string{"update", "delete"}, EntityTypes: []string{"rivers"}, EntityKey: riverID,
				})
				return err
			}},
		{"bdi-env.sh audit-get <event>", bdiRequest{"GET", e + "/audit_events/" + eventID, "", ""}, sameBytes, `{"event_id": "` + eventID + `"}`,
			func(c *rivery.Client) error { _, _, err := c.AuditEvents.Get(ctx, eventID); return err }},
		{"bdi-flow.sh list --group-name Finance", bdiRequest{"GET", e + "/rivers", "group_name=Finance&items_per_page=50", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				_, _, err := c.Rivers.List(ctx, &rivery.ListRiversOptions{GroupName: "Finance", ListOptions: rivery.ListOptions{PerPage: 50}})
				return err
			}},
		{"bdi-flow.sh list --group-id G --group-name 'a b&c' --page 2", bdiRequest{"GET", e + "/rivers", "group_id=65aa00000000000000000001&group_name=a+b%26c&items_per_page=50&page=2", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				_, _, err := c.Rivers.List(ctx, &rivery.ListRiversOptions{GroupID: "65aa00000000000000000001", GroupName: "a b&c", ListOptions: rivery.ListOptions{PerPage: 50, Page: 2}})
				return err
			}},
		{"bdi-connection.sh create --body conn.json", bdiRequest{"POST", e + "/connections", "", conFile}, sameJSON, `{"cross_id": "` + connID + `"}`,
			func(c *rivery.Client) error {
				req, err := rivery.ParseConnectionRequest([]byte(conFile))
				if err == nil {
					_, _, err = c.Connections.Create(ctx, req)
				}
				return err
			}},
		{"bdi-connection.sh edit <conn> --body conn.json", bdiRequest{"PUT", e + "/connections/" + connID, "", conFile}, sameJSON, `{"cross_id": "` + connID + `"}`,
			func(c *rivery.Client) error {
				req, err := rivery.ParseConnectionRequest([]byte(conFile))
				if err == nil {
					_, _, err = c.Connections.Update(ctx, connID, req)
				}
				return err
			}},
		{"bdi-connection.sh tables <conn>", bdiRequest{"GET", e + "/connections/" + connID + "/tables", "items_per_page=200", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				_, _, err := c.Connections.Tables(ctx, connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 200}})
				return err
			}},
		{"bdi-connection.sh tables <conn> --page 3", bdiRequest{"GET", e + "/connections/" + connID + "/tables", "items_per_page=200&page=3", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				_, _, err := c.Connections.Tables(ctx, connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 200, Page: 3}})
				return err
			}},
		{"bdi-connection.sh columns <conn> --datasource postgres --all-schemas", bdiRequest{"POST", e + "/pull_requests", "",
			`{"pull_request_inputs":{"connection_id":"` + connID + `"},"task":"get_db_metadata","task_type":"source","datasource_id":"postgres"}`},
			sameBytes, `{"operation_id": "` + pullID + `", "status": "W"}`,
			func(c *rivery.Client) error {
				_, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"})
				return err
			}},
		{"bdi-connection.sh columns <conn> --datasource postgres --schema sales --schema hr", bdiRequest{"POST", e + "/pull_requests", "",
			`{"pull_request_inputs":{"connection_id":"` + connID + `","schemas":["sales","hr"]},"task":"get_db_metadata","task_type":"source","datasource_id":"postgres"}`},
			sameBytes, `{"operation_id": "` + pullID + `", "status": "W"}`,
			func(c *rivery.Client) error {
				_, _, err := c.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres", Schemas: []string{"sales", "hr"}})
				return err
			}},
		{"bdi-connection.sh columns: the poll", bdiRequest{"GET", e + "/operations/" + pullID, "", ""}, sameBytes, `{"operation_id": "` + pullID + `", "status": "D", "result": {}}`,
			func(c *rivery.Client) error {
				_, err := c.Connections.WaitForPull(ctx, &rivery.Operation{ID: pullID, Status: rivery.OperationWaiting}, nil)
				return err
			}},
		{"bdi-connection.sh add-file postgres --file /keys/bastion.pem", bdiRequest{"POST", e + "/connections/postgres/files", "", keyContent}, sameUpload, `{"file_path": "p"}`,
			func(c *rivery.Client) error {
				_, _, err := c.Connections.UploadKeyFile(ctx, "postgres", "bastion.pem", []byte(keyContent))
				return err
			}},
		{"bdi-connection.sh type postgres", bdiRequest{"GET", "/v1/connections_types/postgres", "", ""}, sameBytes, `{"connection_type": "postgres"}`,
			func(c *rivery.Client) error { _, _, err := c.Connections.ConnectionType(ctx, "postgres"); return err }},
		{"bdi-connection.sh source-sections --segment source", bdiRequest{"GET", "/v1/data_source_sections", "segment=source&items_per_page=200", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				for _, err := range c.Connections.SourceSections(ctx, &rivery.SourceSectionsOptions{Segment: "source", ListOptions: rivery.ListOptions{PerPage: 200}}) {
					return err
				}
				return nil
			}},
		{"bdi-connection.sh source-sections --page 2", bdiRequest{"GET", "/v1/data_source_sections", "items_per_page=200&page=2", ""}, sameBytes, `{"items": []}`,
			func(c *rivery.Client) error {
				for _, err := range c.Connections.SourceSections(ctx, &rivery.SourceSectionsOptions{ListOptions: rivery.ListOptions{PerPage: 200, Page: 2}}) {
					return err
				}
				return nil
			}},
	}
	for _, tc := range cases {
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterNoResponder(rec.reply(200, tc.answer))
		if err := tc.sdk(c); err != nil {
			t.Errorf("%s: %v", tc.script, err)
			continue
		}
		got := rec.all()[0]
		u, _ := url.Parse(got.URL)
		if got.Method != tc.bdi.method || u.Path != tc.bdi.path {
			t.Errorf("%s: sent %s %s, bdi sends %s %s", tc.script, got.Method, u.Path, tc.bdi.method, tc.bdi.path)
		}
		want, err := url.ParseQuery(tc.bdi.query)
		if err != nil {
			t.Fatal(err)
		}
		if have := u.Query(); !sameValues(have, want) {
			t.Errorf("%s: query %q, bdi sends %q", tc.script, u.RawQuery, tc.bdi.query)
		}
		switch tc.form {
		case sameBytes:
			if string(got.Body) != tc.bdi.body {
				t.Errorf("%s: body %s, bdi sends %s", tc.script, got.Body, tc.bdi.body)
			}
		case sameJSON:
			checkJSON(t, got.Body, tc.bdi.body)
		case sameUpload:
			// curl -F "file=@/keys/bastion.pem": field file, the base name,
			// application/octet-stream, the bytes as they are.
			field, name, partType, content := multipartFile(t, got)
			if field != "file" || name != "bastion.pem" || partType != "application/octet-stream" || content != tc.bdi.body {
				t.Errorf("%s: upload %q %q %q", tc.script, field, name, partType)
			}
		}
	}
}

// sameValues reports whether two queries hold the same values for each
// key, in the same order.
func sameValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
