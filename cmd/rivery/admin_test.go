package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// invokeIn runs the command with stdin (not a terminal) and returns its
// exit status, stdout and stderr.
func invokeIn(stdin io.Reader, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := runWith(context.Background(), args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const cliConnSecret = "pw-cli-admin-Kx2"

func TestConnectionsAdminCommands(t *testing.T) {
	srv := fake(t, true)
	body := writeFile(t, "conn.json", `{"connection_name": "orders db", "connection_type": "postgres", "host": "db.example.com", "password": "`+cliConnSecret+`"}`)
	code, out, errOut := invoke("connections", "create", "-f", body, "--json")
	var created map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &created) != nil || created["connection_name"] != "orders db" || created["password"] != "[redacted]" {
		t.Fatalf("connections create --json: %d %s %s", code, out, errOut)
	}
	id, _ := created["cross_id"].(string)
	if code, out, _ := invoke("connections", "update", id, "-f", body); code != exitOK || out != "updated connection "+id+" (orders db)\n" {
		t.Errorf("connections update: %d %q", code, out)
	}
	if code, out, _ := invoke("connections", "tables", id); code != exitOK || !strings.Contains(out, "public  orders") || !strings.Contains(out, "id,updated_at") {
		t.Errorf("connections tables: %d %s", code, out)
	}
	if code, out, _ := invoke("connections", "tables", id, "--table", "customers", "--jsonl"); code != exitOK || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"customers"`) {
		t.Errorf("connections tables --table: %d %s", code, out)
	}
	if code, out, errOut := invoke("connections", "test", id, "--datasource", "postgresql"); code != exitOK || out != "connection "+id+": reachable\n" {
		t.Errorf("connections test: %d %q %q", code, out, errOut)
	}
	if code, out, _ := invoke("connections", "metadata", id, "--datasource", "postgresql", "--schema", "public"); code != exitOK || strings.Count(out, "\n") != 6 || !strings.Contains(out, "orders") {
		t.Errorf("connections metadata: %d %s", code, out)
	}
	if code, _, errOut := invoke("connections", "metadata", id, "--datasource", "postgresql"); code != exitError || !strings.Contains(errOut, "--all-schemas") {
		t.Errorf("connections metadata without a schema: %d %s", code, errOut)
	}
	key := writeFile(t, "bastion.pem", "-----BEGIN KEY-----\nkey-cli-secret\n-----END KEY-----\n")
	code, out, _ = invoke("connections", "upload-key", "postgres", "-f", key)
	if code != exitOK || !strings.HasPrefix(out, "uploaded bastion.pem: {key_files_path}/") || strings.Contains(out, "key-cli-secret") {
		t.Errorf("connections upload-key: %d %s", code, out)
	}
	if code, out, _ := invoke("connections", "type", "postgres"); code != exitOK || !strings.Contains(out, "postgres (PostgreSQL)") || !strings.Contains(out, "ssh_pkey_file_path") {
		t.Errorf("connections type: %d %s", code, out)
	}
	if code, out, _ := invoke("connections", "sections", "--segment", "target", "--json"); code != exitOK || !strings.Contains(out, `"sec_databases"`) || strings.Contains(out, "sec_ecommerce") {
		t.Errorf("connections sections: %d %s", code, out)
	}
	// Delete: refused without --yes off a terminal, printed with
	// --dry-run, done with --yes.
	if code, _, errOut := invokeIn(strings.NewReader("yes\n"), "connections", "delete", id); code != exitError || !strings.Contains(errOut, "without --yes") {
		t.Errorf("delete without --yes: %d %s", code, errOut)
	}
	code, out, errOut = invokeIn(nil, "connections", "delete", id, "--dry-run")
	if code != exitOK || out != "would send: DELETE "+srv.URL+"/v1/accounts/"+srv.AccountID+"/environments/"+srv.EnvironmentID+"/connections/"+id+"\n" || !strings.Contains(errOut, "nothing was sent") {
		t.Errorf("delete --dry-run: %d %q %q", code, out, errOut)
	}
	if len(srv.RequestsTo(riverytest.RouteDeleteConnection)) != 0 || len(srv.Connections()) != 1 {
		t.Fatal("--dry-run sent the delete")
	}
	code, out, _ = invokeIn(nil, "connections", "delete", id, "--dry-run", "--json")
	var dry map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &dry) != nil || dry["method"] != "DELETE" || dry["dry_run"] != true {
		t.Errorf("delete --dry-run --json: %d %s", code, out)
	}
	if code, out, _ := invokeIn(nil, "connections", "delete", id, "--yes", "--json"); code != exitOK || !strings.Contains(out, `"deleted": "connection"`) || len(srv.Connections()) != 0 {
		t.Errorf("delete --yes: %d %s", code, out)
	}
	// A failing test exits 1 with the connector's message.
	broken := srv.AddConnection(riverytest.Connection{Name: "broken", PullError: "FATAL: password authentication failed"})
	if code, out, _ := invoke("connections", "test", broken.ID, "--datasource", "postgresql", "--json"); code != exitFailed || !strings.Contains(out, `"status": "E"`) {
		t.Errorf("failing test: %d %s", code, out)
	}
	if code, out, _ := invoke("connections", "test", broken.ID, "--datasource", "postgresql"); code != exitFailed || !strings.Contains(out, "failed: FATAL") {
		t.Errorf("failing test: %d %s", code, out)
	}
}

func TestConnectionsCancelPullCommand(t *testing.T) {
	srv := fake(t, true)
	conn := srv.AddConnection(riverytest.Connection{Name: "db"})
	c := srv.ClientV1()
	op, _, err := c.Connections.StartPull(context.Background(), &rivery.PullRequest{ConnectionID: conn.ID, DatasourceID: "postgresql"})
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := invoke("connections", "cancel-pull", op.ID, "--json"); code != exitOK || !strings.Contains(out, `"operation_id": "`+op.ID+`"`) {
		t.Errorf("cancel-pull: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := invoke("connections", "cancel-pull", op.ID); code != exitError || !strings.Contains(errOut, "400") {
		t.Errorf("cancel-pull again: %d %s", code, errOut)
	}
}

func TestEnvironmentsAdminCommands(t *testing.T) {
	srv := fake(t, true)
	code, out, errOut := invoke("environments", "create", "--name", "Staging", "--color", "tagCyan", "--json")
	var env map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &env) != nil || env["name"] != "Staging" || env["color"] != "tagCyan" {
		t.Fatalf("environments create: %d %s %s", code, out, errOut)
	}
	id, _ := env["id"].(string)
	if code, out, _ := invoke("environments", "update", id, "--name", "QA", "--default=false"); code != exitOK || out != "updated environment "+id+" (QA)\n" {
		t.Errorf("environments update: %d %q", code, out)
	}
	if body := string(srv.RequestsTo(riverytest.RouteUpdateEnvironment)[0].Body); body != `{"environment_name":"QA","is_default":false}` {
		t.Errorf("update body %s", body)
	}
	if code, _, errOut := invoke("environments", "update", id); code != exitError || !strings.Contains(errOut, "changes nothing") {
		t.Errorf("update without a change: %d %s", code, errOut)
	}
	code, out, _ = invokeIn(nil, "environments", "delete", id, "--yes", "--wait", "--json")
	if code != exitOK || !strings.Contains(out, `"deleted": "environment"`) || !strings.Contains(out, `"status": "D"`) {
		t.Errorf("environments delete --wait: %d %s", code, out)
	}
	if code, out, _ := invoke("environments", "list"); code != exitOK || strings.Contains(out, id) {
		t.Errorf("a deleted environment is listed: %s", out)
	}
}

func TestRiversAdminCommands(t *testing.T) {
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: "63b724fc690def001131d2cc", Name: "finance load", GroupID: "65aa00000000000000000002", GroupName: "Finance"})
	if code, out, _ := invoke("rivers", "groups"); code != exitOK || !strings.Contains(out, "65aa00000000000000000002  Finance") {
		t.Errorf("rivers groups: %d %s", code, out)
	}
	if code, out, _ := invoke("rivers", "list", "--group-name", "Finance"); code != exitOK || strings.Count(out, "\n") != 2 || !strings.Contains(out, "finance load") {
		t.Errorf("rivers list --group-name: %d %s", code, out)
	}
	if code, out, _ := invokeIn(nil, "rivers", "delete", "63b724fc690def001131d2cc", "--yes"); code != exitOK || out != "deleted river 63b724fc690def001131d2cc\n" {
		t.Errorf("rivers delete: %d %q", code, out)
	}
	if code, _, errOut := invokeIn(nil, "rivers", "delete", "63b724fc690def001131d2cc", "--yes"); code != exitError || !strings.Contains(errOut, "404") {
		t.Errorf("rivers delete again: %d %s", code, errOut)
	}
	// The audit log saw the delete.
	code, out, _ := invoke("audit", "list", "--since", "1h", "--entity-type", "rivers")
	if code != exitOK || !strings.Contains(out, "delete:rivers") || !strings.Contains(out, "63b724fc690def001131d2cc") {
		t.Fatalf("audit list: %d %s", code, out)
	}
	eventID := srv.AuditEvents()[0].ID
	if code, out, _ := invoke("audit", "get", eventID); code != exitOK || !strings.Contains(out, "delete:rivers") {
		t.Errorf("audit get: %d %s", code, out)
	}
	if code, out, _ := invoke("audit", "get", eventID, "--json"); code != exitOK || !strings.Contains(out, `"event_id": "`+eventID+`"`) {
		t.Errorf("audit get --json: %d %s", code, out)
	}
}

// On a terminal, a destructive command asks, and only "yes" goes on.
func TestDeleteAsksOnATerminal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no pseudo-terminal")
	}
	bin := buildBinary(t)
	srv := fake(t, true)
	for _, tc := range []struct {
		answer string
		code   int
		left   int
	}{{"no\n", exitError, 2}, {"yes\n", exitOK, 1}} {
		conns := srv.Connections()
		if len(conns) == 0 {
			srv.AddConnection(riverytest.Connection{Name: "a"})
			srv.AddConnection(riverytest.Connection{Name: "b"})
			conns = srv.Connections()
		}
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		cmd, out, errOut := binCmd(t, bin, nil, "connections", "delete", conns[0].ID)
		cmd.Stdin = tty
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		_ = tty.Close()
		if _, err := ptmx.WriteString(tc.answer); err != nil {
			t.Fatal(err)
		}
		code := exitCode(t, cmd.Wait())
		_ = ptmx.Close()
		if code != tc.code || len(srv.Connections()) != tc.left || !strings.Contains(errOut.String(), "delete connection "+conns[0].ID+"?") {
			t.Errorf("answer %q: exit %d, %d left, stdout %q stderr %q", tc.answer, code, len(srv.Connections()), out, errOut)
		}
	}
}
