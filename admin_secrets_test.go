package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
)

// printsNoSecret fails the test if any fmt verb, slog (JSON and text) or
// encoding/json output of the values holds one of secrets.
func printsNoSecret(t *testing.T, what string, secrets []string, values ...any) {
	t.Helper()
	var out bytes.Buffer
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		fmt.Fprintf(&out, "%v\n", []any{v})
		slog.New(slog.NewJSONHandler(&out, nil)).Info(what, "v", v)
		slog.New(slog.NewTextHandler(&out, nil)).Info(what, "v", v)
		b, err := json.Marshal(map[string]any{"v": v})
		if err != nil {
			t.Fatalf("%s: json: %v", what, err)
		}
		out.Write(b)
	}
	for _, s := range secrets {
		if strings.Contains(out.String(), s) {
			t.Errorf("%s prints %q:\n%s", what, s, out.String())
		}
	}
}

// Every type the administration calls add prints no credential, by any
// verb, slog or JSON, whatever the server or the caller put in it.
func TestAdminTypesPrintNoSecret(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	ctx := context.Background()
	const (
		answerSecret = "gAAAAABn-ENCRYPTED-created-pw"
		rawSecret    = "raw-field-secret-77"
	)
	secrets := []string{createSecret, answerSecret, rawSecret, "audit-pw-secret", "type-default-secret", "test-key-secret"}

	// What the caller builds.
	req := newConnectionRequest()
	req.Settings["api_token"] = rawSecret
	printsNoSecret(t, "ConnectionRequest", secrets, req, *req)
	if b, _ := json.Marshal(req); !strings.Contains(string(b), `"host":"orders.db.example.com"`) || !strings.Contains(string(b), `"password":"[redacted]"`) {
		t.Errorf("ConnectionRequest JSON lost what is not secret: %s", b)
	}

	// What the server answers.
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections", (&recorder{}).reply(200, fixture(t, "v1_connection_created.json")))
	conn, _, err := c.Connections.Create(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "Connection", secrets, conn, *conn)

	mock.RegisterResponder(http.MethodPost, v1Env+"/connections/postgres/files", (&recorder{}).reply(200, fixture(t, "v1_key_file.json")))
	kf, _, err := c.Connections.UploadKeyFile(ctx, "postgres", "bastion.pem", []byte(keyContent))
	if err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "KeyFile", secrets, kf, *kf)

	var table rivery.ConnectionTable
	if err := json.Unmarshal([]byte(`{"id": "orders", "schema_name": "s", "connection_password": "`+rawSecret+`"}`), &table); err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "ConnectionTable", secrets, &table, table)

	var ct rivery.ConnectionType
	if err := json.Unmarshal([]byte(fixture(t, "v1_connection_type.json")), &ct); err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "ConnectionType", secrets, &ct, ct)

	op := &rivery.Operation{ID: pullID, Status: rivery.OperationDone,
		Result: `{"s": {"t": {"columns": [{"name": "c", "type": "VARCHAR"}], "password": "` + rawSecret + `"}}}`}
	tables, err := op.MetadataTables()
	if err != nil || len(tables) != 1 {
		t.Fatal(tables, err)
	}
	printsNoSecret(t, "MetadataTable", secrets, tables[0], *tables[0], tables[0].Columns[0])

	var group rivery.RiverGroup
	if err := json.Unmarshal([]byte(`{"cross_id": "65aa00000000000000000001", "name": "g", "webhook_token": "`+rawSecret+`"}`), &group); err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "RiverGroup", secrets, &group, group)

	var event rivery.AuditEvent
	if err := json.Unmarshal([]byte(`{"event_id": "4c1f7e2a9b3d45e6a8c0d1f2e3b4a596", "additional_info": "{\"password\": \"audit-pw-secret\"}", "token": "`+rawSecret+`"}`), &event); err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "AuditEvent", secrets, &event, event)
	if b, _ := json.Marshal(event); !strings.Contains(string(b), "additional_info") {
		t.Errorf("AuditEvent JSON lost additional_info: %s", b)
	}

	var section rivery.SourceSection
	if err := json.Unmarshal([]byte(`{"data_source_section": {"id": "sec", "name": "n"}, "data_source_types": ["s3"], "key": "`+rawSecret+`"}`), &section); err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "SourceSection", secrets, &section, section)

	mock.RegisterResponder(http.MethodPost, v1Account+"/environments", (&recorder{}).reply(200,
		`{"_id": "`+otherEnvID+`", "environment_name": "Staging", "variables": {"api_key": "`+rawSecret+`"}}`))
	env, _, err := c.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "Staging"})
	if err != nil {
		t.Fatal(err)
	}
	printsNoSecret(t, "Environment", secrets, env, *env, rivery.CreateEnvironmentRequest{Name: "Staging"}, rivery.UpdateEnvironmentRequest{Name: "x"})
	printsNoSecret(t, "PullRequest", secrets, rivery.PullRequest{ConnectionID: connID, DatasourceID: "postgres"}, rivery.AuditEventsOptions{EntityKey: "k"})
}
