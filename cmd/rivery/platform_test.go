package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// run1ms is the poll interval that keeps the operation waits short.
const poll1ms = "--poll-interval=1ms"

func TestCDCCommands(t *testing.T) {
	srv := fake(t, true)
	if code, _, errOut := invoke("cdc", "get", okRiver); code != exitError || !strings.Contains(errOut, "Enable log is off") {
		t.Errorf("cdc get with the log off: %d %s", code, errOut)
	}
	code, out, errOut := invoke("cdc", "enable", okRiver, poll1ms, "--json")
	var op struct {
		ID     string `json:"operation_id"`
		Status string `json:"status"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &op) != nil || op.Status != "D" || op.ID == "" || !srv.CDCState(okRiver).Enabled {
		t.Fatalf("cdc enable --json: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("cdc", "enable", okRiver); code != exitOK || out != "CDC enabled\n" {
		t.Errorf("cdc enable again: %d %q", code, out)
	}
	file := filepath.Join(t.TempDir(), "position.json")
	if err := os.WriteFile(file, []byte(`{"config": {"datasource_type": "mysql", "binlog_file": "mysql-bin.000042", "binlog_position": 4}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := invoke("cdc", "set", okRiver, "--file", file); code != exitOK || out != "set the CDC position of river "+okRiver+"\n" {
		t.Fatalf("cdc set: %d %s %s", code, out, errOut)
	}
	code, out, _ = invoke("cdc", "get", okRiver, "--json")
	var back struct {
		Config map[string]any `json:"config"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &back) != nil || back.Config["binlog_position"] != 4.0 || back.Config["last_updated"] == nil {
		t.Errorf("cdc get --json: %d %s", code, out)
	}
	if code, out, _ := invoke("cdc", "get", okRiver); code != exitOK || !strings.Contains(out, "binlog_file") || !strings.Contains(out, "mysql-bin.000042") {
		t.Errorf("cdc get: %d %s", code, out)
	}
	if code, out, _ := invoke("cdc", "delete", okRiver, "--yes"); code != exitOK || out != "deleted the CDC position of river "+okRiver+"\n" {
		t.Errorf("cdc delete: %d %s", code, out)
	}
	code, out, _ = invoke("cdc", "disable", okRiver, "--no-wait")
	if code != exitOK || !strings.Contains(out, ", W)") || !srv.CDCState(okRiver).Enabled {
		t.Errorf("cdc disable --no-wait: %d %s", code, out)
	}
	if code, _, _ := invoke("cdc", "set", okRiver); code != exitError {
		t.Errorf("cdc set without --file: %d", code)
	}
	// -f - reads the position from stdin, as the other commands that send a file do.
	stdin := strings.NewReader(`{"config": {"datasource_type": "mysql", "binlog_file": "mysql-bin.000043"}}`)
	if code, out, errOut := invokeIn(stdin, "cdc", "set", okRiver, "-f", "-"); code != exitOK || out != "set the CDC position of river "+okRiver+"\n" || srv.CDCState(okRiver).Config["binlog_file"] != "mysql-bin.000043" {
		t.Errorf("cdc set -f -: %d %s %s", code, out, errOut)
	}
}

func TestDataframesCommands(t *testing.T) {
	srv := fake(t, true)
	srv.AddDataframe(riverytest.Dataframe{Name: "orders", SettingsForm: "fragment",
		Settings: map[string]any{"connection": "66c0ffee00000000000c0042", "default_bucket": "acme-zone-cli", "storage_type": "aws"},
		Files:    []riverytest.File{{Content: []byte("part one,")}, {Content: []byte("part two")}}})
	code, out, errOut := invoke("dataframes", "list")
	if code != exitOK || !strings.HasPrefix(out, "NAME") || !strings.Contains(out, "file zone (aws)") || strings.Contains(out, "acme-zone-cli") {
		t.Errorf("dataframes list: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("dataframes", "list", "--json"); code != exitOK || !strings.Contains(out, `"connection_settings": "[redacted]"`) || strings.Contains(out, "acme-zone-cli") {
		t.Errorf("dataframes list --json: %d %s", code, out)
	}
	if code, out, _ := invoke("dataframes", "get", "orders", "--show-settings", "--json"); code != exitOK || !strings.Contains(out, `"default_bucket": "acme-zone-cli"`) {
		t.Errorf("dataframes get --show-settings: %d %s", code, out)
	}
	if code, out, _ := invoke("dataframes", "get", "orders"); code != exitOK || !strings.Contains(out, "Settings:  [redacted]") {
		t.Errorf("dataframes get: %d %s", code, out)
	}
	if code, out, errOut := invoke("dataframes", "update", "orders", "--bucket", "acme-zone-two"); code != exitOK || out != "updated dataframe orders\n" {
		t.Fatalf("dataframes update: %d %s %s", code, out, errOut)
	}
	if st, _ := srv.DataframeState("orders"); st.Settings["default_bucket"] != "acme-zone-two" || st.Settings["connection"] != "66c0ffee00000000000c0042" || st.SettingsForm != "fragment" {
		t.Errorf("after the update: %+v", st)
	}
	if code, out, errOut := invoke("dataframes", "download", "orders", poll1ms); code != exitOK || out != "part one,part two" {
		t.Errorf("dataframes download: %d %q %s", code, out, errOut)
	}
	dir := t.TempDir()
	code, out, errOut = invoke("dataframes", "download", "orders", "--dir", dir, "--json", poll1ms)
	var got struct {
		Files []struct {
			Path  string `json:"path"`
			Bytes int64  `json:"bytes"`
		} `json:"files"`
		Bytes int64 `json:"bytes"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || len(got.Files) != 2 || got.Bytes != 17 || strings.Contains(out, "X-Amz") {
		t.Fatalf("dataframes download --dir --json: %d %s %s", code, out, errOut)
	}
	if b, err := os.ReadFile(got.Files[1].Path); err != nil || string(b) != "part two" || filepath.Base(got.Files[1].Path) != "part-1.parquet" {
		t.Errorf("second file %s: %q %v", got.Files[1].Path, b, err)
	}
	if code, _, errOut := invoke("dataframes", "download", "orders", "--json"); code != exitError || !strings.Contains(errOut, "needs --dir") {
		t.Errorf("download --json without --dir: %d %s", code, errOut)
	}
	if code, out, _ := invoke("dataframes", "clear", "orders", poll1ms, "--yes"); code != exitOK || !strings.HasPrefix(out, "cleared (operation ") {
		t.Errorf("dataframes clear: %d %s", code, out)
	}
	if code, out, errOut := invoke("dataframes", "create", "landing", "--connection", "66c0ffee00000000000c0043", "--bucket", "acme-zone-three", "--json"); code != exitOK || !strings.Contains(out, `"name": "landing"`) || strings.Contains(out, "acme-zone-three") {
		t.Errorf("dataframes create: %d %s %s", code, out, errOut)
	}
	if st, ok := srv.DataframeState("landing"); !ok || st.Settings["default_bucket"] != "acme-zone-three" {
		t.Errorf("created %+v", st)
	}
	if code, out, _ := invoke("dataframes", "delete", "landing", "--yes"); code != exitOK || out != "deleted dataframe landing\n" {
		t.Errorf("dataframes delete: %d %s", code, out)
	}
	if code, _, errOut := invoke("dataframes", "delete", "landing", "--yes"); code != exitError || !strings.Contains(errOut, "404") {
		t.Errorf("dataframes delete again: %d %s", code, errOut)
	}
}

func TestLogicodeCommands(t *testing.T) {
	srv := fake(t, true)
	file := filepath.Join(t.TempDir(), "transform.py")
	const code0 = "def main():\n    return 42\n"
	if err := os.WriteFile(file, []byte(code0), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := invoke("logicode", "upload", file, "--json")
	var up struct {
		ID    string `json:"file_id"`
		Name  string `json:"filename"`
		Bytes int64  `json:"bytes"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &up) != nil || up.Name != "transform.py" || up.Bytes != int64(len(code0)) {
		t.Fatalf("logicode upload --json: %d %s %s", code, out, errOut)
	}
	if st, _ := srv.LogicodeFileState(up.ID); string(st.Content) != code0 {
		t.Errorf("stored %q", st.Content)
	}
	if code, out, _ := invoke("logicode", "get", up.ID); code != exitOK || out != code0 {
		t.Errorf("logicode get: %d %q", code, out)
	}
	if code, out, _ := invoke("logicode", "get", up.ID, "--json"); code != exitOK || !strings.Contains(out, `"content": "def main()`) || strings.Contains(out, "X-Amz") {
		t.Errorf("logicode get --json: %d %s", code, out)
	}
	if code, out, _ := invoke("logicode", "get", up.ID, "--url"); code != exitOK || !strings.Contains(out, "X-Amz-Signature=") {
		t.Errorf("logicode get --url: %d %s", code, out)
	}
	// --url prints one line, not a JSON document: with --json it is a usage error.
	if code, out, errOut := invoke("logicode", "get", up.ID, "--url", "--json"); code != exitError || out != "" || !strings.Contains(errOut, "--url") {
		t.Errorf("logicode get --url --json: %d %q %s", code, out, errOut)
	}
	if code, out, _ := invoke("logicode", "upload", file, "--name", "v2.py"); code != exitOK || !strings.HasPrefix(out, "uploaded v2.py as Logicode file ") {
		t.Errorf("logicode upload --name: %d %s", code, out)
	}
	if code, out, _ := invoke("logicode", "template"); code != exitOK || !strings.Contains(out, "def main") {
		t.Errorf("logicode template: %d %s", code, out)
	}
	if code, out, _ := invoke("logicode", "requirements", "--json"); code != exitOK || !strings.Contains(out, `"filename": "requirements"`) || !strings.Contains(out, "pandas") {
		t.Errorf("logicode requirements --json: %d %s", code, out)
	}
	if code, out, _ := invoke("logicode", "resources"); code != exitOK || !strings.HasPrefix(out, "ALIAS") || !strings.Contains(out, "XS") {
		t.Errorf("logicode resources: %d %s", code, out)
	}
	if code, _, _ := invoke("logicode", "upload", filepath.Join(t.TempDir(), "missing.py")); code != exitError {
		t.Errorf("logicode upload of a missing file: %d", code)
	}
}

func TestTeamsAndUsersCommands(t *testing.T) {
	srv := fake(t, true)
	srv.AddTeam(riverytest.Team{ID: "7e0000000000000000000001", Name: "analytics", Roles: map[string]string{srv.EnvironmentID: "viewer"}})
	srv.AddTeam(riverytest.Team{Name: "platform", Source: "rivery"})
	id := srv.AddUser(riverytest.User{Email: "maya@example.com", Name: "Maya", Admin: true, TeamIDs: []string{"7e0000000000000000000001"}, Roles: map[string]string{srv.EnvironmentID: "admin"}})
	if code, out, _ := invoke("teams", "list"); code != exitOK || !strings.HasPrefix(out, "TEAM ID") || !strings.Contains(out, srv.EnvironmentID+"=viewer") {
		t.Errorf("teams list: %d %s", code, out)
	}
	if code, out, _ := invoke("teams", "list", "--source", "rivery", "--json"); code != exitOK || !strings.Contains(out, `"name": "platform"`) || strings.Contains(out, "analytics") {
		t.Errorf("teams list --source --json: %d %s", code, out)
	}
	if code, out, _ := invoke("teams", "get", "7e0000000000000000000001"); code != exitOK || !strings.Contains(out, "analytics") {
		t.Errorf("teams get: %d %s", code, out)
	}
	if code, out, _ := invoke("users", "list", "--team", "7e0000000000000000000001"); code != exitOK || !strings.Contains(out, "maya@example.com") {
		t.Errorf("users list --team: %d %s", code, out)
	}
	if code, out, _ := invoke("users", "get", id, "--json"); code != exitOK || !strings.Contains(out, `"email": "maya@example.com"`) {
		t.Errorf("users get --json: %d %s", code, out)
	}
	if code, out, _ := invoke("users", "permissions", id); code != exitOK || !strings.Contains(out, srv.EnvironmentID) || !strings.Contains(out, "admin") {
		t.Errorf("users permissions: %d %s", code, out)
	}
	code, out, errOut := invoke("users", "invite", "--email", "ops@example.com", "--first-name", "Ops", "--last-name", "Lead", "--global-operator")
	if code != exitOK || !strings.HasPrefix(out, "invited ops@example.com as user ") {
		t.Fatalf("users invite: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := invoke("users", "invite", "--email", "ops@example.com", "--first-name", "Ops", "--last-name", "Lead"); code != exitError || !strings.Contains(errOut, "409") {
		t.Errorf("users invite again: %d %s", code, errOut)
	}
	if code, _, _ := invoke("users", "invite", "--email", "x@example.com"); code != exitError {
		t.Errorf("users invite without names: %d", code)
	}
	if n := len(srv.RequestsTo(riverytest.RouteInviteUser)); n != 2 {
		t.Errorf("%d invitations sent, want 2", n)
	}
}

// The platform's destructive commands (dataframes delete and clear, cdc
// delete) are confirmed as the other deletes are: refused without a
// terminal to ask on unless --yes, and --dry-run sends nothing.
func TestPlatformDestructiveCommandsAreConfirmed(t *testing.T) {
	srv := fake(t, true)
	srv.AddDataframe(riverytest.Dataframe{Name: "orders", Files: []riverytest.File{{Content: []byte("kept")}}})
	c := srv.ClientV1()
	if _, err := c.CDC.SetConfig(context.Background(), okRiver, &rivery.CDCConfig{DatasourceType: "mysql", Offset: map[string]any{"binlog_file": "mysql-bin.000042"}}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"dataframes", "delete", "orders"}, {"dataframes", "clear", "orders", poll1ms}, {"cdc", "delete", okRiver}} {
		name := strings.Join(args[:2], " ")
		if code, _, errOut := invokeIn(strings.NewReader("yes\n"), args...); code != exitError || !strings.Contains(errOut, "without --yes") {
			t.Errorf("%s without --yes: %d %s", name, code, errOut)
		}
		code, out, errOut := invokeIn(nil, append(args, "--dry-run", "--json")...)
		var dry map[string]any
		if code != exitOK || json.Unmarshal([]byte(out), &dry) != nil || dry["dry_run"] != true || !strings.Contains(errOut, "nothing was sent") {
			t.Errorf("%s --dry-run --json: %d %s %s", name, code, out, errOut)
		}
	}
	if st, ok := srv.DataframeState("orders"); !ok || len(st.Files) != 1 || srv.CDCState(okRiver).Config == nil {
		t.Fatalf("a refused or dry command changed something: dataframe %+v (kept %v), CDC %+v", st, ok, srv.CDCState(okRiver))
	}
	if code, out, errOut := invokeIn(nil, "dataframes", "clear", "orders", poll1ms, "--yes"); code != exitOK || !strings.HasPrefix(out, "cleared (operation ") {
		t.Errorf("dataframes clear --yes: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invokeIn(nil, "cdc", "delete", okRiver, "--yes", "--json"); code != exitOK || !strings.Contains(out, `"deleted": "cdc_position"`) || srv.CDCState(okRiver).Config != nil {
		t.Errorf("cdc delete --yes --json: %d %s", code, out)
	}
	if code, out, _ := invokeIn(nil, "dataframes", "delete", "orders", "--yes"); code != exitOK || out != "deleted dataframe orders\n" {
		t.Errorf("dataframes delete --yes: %d %s", code, out)
	}
}
