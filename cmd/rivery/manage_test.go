package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

func TestConnectionsCommands(t *testing.T) {
	srv := fake(t, true)
	conn := srv.AddConnection(riverytest.Connection{Name: "orders db", TypeName: "PostgreSQL", Settings: map[string]any{"password": "pw-cli-secret"}})
	if code, out, errOut := invoke("connections", "list"); code != exitOK || !strings.HasPrefix(out, "CONNECTION ID") || !strings.Contains(out, "orders db") {
		t.Errorf("connections list: %d %s %s", code, out, errOut)
	}
	code, out, errOut := invoke("connections", "get", conn.ID, "--json")
	if code != exitOK || !strings.Contains(out, `"password": "[redacted]"`) || strings.Contains(out+errOut, "pw-cli-secret") {
		t.Errorf("connections get --json: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("connections", "get", conn.ID); code != exitOK || !strings.Contains(out, "postgres (PostgreSQL)") || strings.Contains(out, "pw-cli-secret") {
		t.Errorf("connections get: %d %s", code, out)
	}
	if code, _, _ := invoke("connections", "get"); code != exitError {
		t.Errorf("connections get without an ID: %d", code)
	}
}

func TestVarsCommands(t *testing.T) {
	srv := fake(t, true)
	if code, out, errOut := invoke("vars", "env", "set", "SCHEMA", "analytics"); code != exitOK || out != "set SCHEMA\n" {
		t.Fatalf("vars env set: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("vars", "env", "list"); code != exitOK || !strings.Contains(out, "SCHEMA") || !strings.Contains(out, "analytics") {
		t.Errorf("vars env list: %d %s", code, out)
	}
	if code, out, _ := invoke("vars", "env", "delete", "SCHEMA"); code != exitOK || out != "deleted SCHEMA\n" {
		t.Errorf("vars env delete: %d %s", code, out)
	}
	if code, _, errOut := invoke("vars", "env", "delete", "SCHEMA"); code != exitError || !strings.Contains(errOut, "no variable") {
		t.Errorf("vars env delete again: %d %s", code, errOut)
	}

	seed := make([]riverytest.RiverVariable, 30)
	for i := range seed {
		seed[i] = riverytest.RiverVariable{Name: "v" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Value: "x"}
	}
	srv.SetRiverVariables(okRiver, seed...)
	if code, out, errOut := invoke("vars", "river", "set", okRiver, "token", "s3cr3t", "--encrypted"); code != exitOK || !strings.Contains(out, "31 variables") {
		t.Fatalf("vars river set: %d %s %s", code, out, errOut)
	}
	got := srv.RiverVariables(okRiver)
	if len(got) != 31 || got[30].Name != "token" || !got[30].IsEncrypted {
		t.Errorf("river variables: %+v", got[len(got)-1])
	}
	code, out, _ := invoke("vars", "river", "get", okRiver)
	if code != exitOK || !strings.Contains(out, "(encrypted)") || strings.Contains(out, "s3cr3t") || strings.Count(out, "\n") != 32 {
		t.Errorf("vars river get: %d %s", code, out)
	}
	if code, out, _ := invoke("vars", "river", "get", okRiver, "--json"); code != exitOK || !json.Valid([]byte(out)) {
		t.Errorf("vars river get --json: %d %s", code, out)
	}
	if code, _, _ := invoke("vars", "nope"); code != exitError {
		t.Errorf("vars nope: %d", code)
	}
}

func TestRiversDefinitionCommands(t *testing.T) {
	srv := fake(t, true)
	if code, out, _ := invoke("rivers", "search", "--name", "ord"); code != exitOK || !strings.Contains(out, okRiver) || strings.Contains(out, failRiver) {
		t.Errorf("rivers search: %d %s", code, out)
	}
	code, out, errOut := invoke("rivers", "copy", okRiver)
	if code != exitOK || !strings.Contains(out, "copied river "+okRiver) || !strings.Contains(errOut, "disabled") {
		t.Fatalf("rivers copy: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("rivers", "versions", okRiver); code != exitOK || strings.Count(out, "\n") != 2 {
		t.Errorf("rivers versions: %d %s", code, out)
	}
	var versions []struct{ ID string }
	_, out, _ = invoke("rivers", "versions", okRiver, "--json")
	if json.Unmarshal([]byte(out), &versions) != nil || len(versions) != 1 {
		t.Fatalf("rivers versions --json: %s", out)
	}
	if code, _, errOut := invoke("rivers", "restore", okRiver, versions[0].ID); code != exitError || !strings.Contains(errOut, "disabled before a restore") {
		t.Errorf("rivers restore (active): %d %s", code, errOut)
	}
	if n := srv.Versions(okRiver); n != 1 {
		t.Errorf("versions = %d", n)
	}
}

// export, then apply: create the first time, nothing the second, update
// after a change of the file.
func TestRiversExportApply(t *testing.T) {
	srv := fake(t, true)
	code, out, errOut := invoke("rivers", "export", okRiver)
	if code != exitOK || strings.Contains(out, "cross_id") || !strings.Contains(out, `"name": "orders"`) {
		t.Fatalf("rivers export: %d %s %s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "river.json")
	def := strings.Replace(out, `"name": "orders"`, `"name": "orders copy"`, 1)
	if err := os.WriteFile(file, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := invoke("rivers", "apply", "-f", file, "--dry-run"); code != exitOK || out != "would-create river \"orders copy\"\n" {
		t.Errorf("apply --dry-run: %d %s", code, out)
	}
	code, out, errOut = invoke("rivers", "apply", "-f", file, "--json")
	var res applyResult
	if code != exitOK || json.Unmarshal([]byte(out), &res) != nil || res.Action != "created" || res.RiverID == "" {
		t.Fatalf("apply: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("rivers", "apply", "-f", file); code != exitOK || !strings.HasPrefix(out, "unchanged river "+res.RiverID) {
		t.Errorf("apply again: %d %s", code, out)
	}
	if n := srv.Versions(res.RiverID); n != 1 {
		t.Errorf("an unchanged apply saved a version: %d", n)
	}
	changed := strings.Replace(def, `"description": ""`, `"description": "promoted"`, 1)
	_ = os.WriteFile(file, []byte(changed), 0o600)
	if code, out, _ := invoke("rivers", "apply", "-f", file, "--dry-run"); code != exitOK || !strings.HasPrefix(out, "would-update river "+res.RiverID) || srv.Versions(res.RiverID) != 1 {
		t.Errorf("apply --dry-run of a change: %d %s", code, out)
	}
	if code, out, errOut := invoke("rivers", "apply", "-f", file, "--environment", srv.EnvironmentID); code != exitOK || !strings.HasPrefix(out, "updated river "+res.RiverID) {
		t.Errorf("apply a change: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(string(srv.Definition(res.RiverID)), "promoted") || srv.Versions(res.RiverID) != 2 {
		t.Errorf("definition = %s", srv.Definition(res.RiverID))
	}
	if code, _, errOut := invoke("rivers", "apply", "-f", file, "--environment", "64b0c0ffee000000000e0999"); code != exitError || !strings.Contains(errOut, "404") {
		t.Errorf("apply to an unknown environment: %d %s", code, errOut)
	}
	if code, _, _ := invoke("rivers", "apply"); code != exitError {
		t.Errorf("apply without -f: %d", code)
	}

	// Two rivers of that name: apply will not guess.
	srv.AddRiver(riverytest.River{Name: "orders copy"})
	if code, _, errOut := invoke("rivers", "apply", "-f", file); code != exitError || !strings.Contains(errOut, "--river") {
		t.Errorf("apply with two candidates: %d %s", code, errOut)
	}
	if code, out, _ := invoke("rivers", "apply", "-f", file, "--river", res.RiverID); code != exitOK || !strings.HasPrefix(out, "unchanged") {
		t.Errorf("apply --river: %d %s", code, out)
	}
}
