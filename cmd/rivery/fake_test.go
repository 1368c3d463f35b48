package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// 3. rivery fake --rivers takes every riverytest.River knob in snake case,
// and a file it cannot serve is refused by file, river, key and what the
// key wants; a fake that cannot start prints nothing on stdout and exits 2
// at once.
func TestFakeRiversFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `[
		{"id": "63b724fc690def001131d2b1", "name": "busy", "skip_while_running": true, "duration": "90s", "schedule": "0 0 * * * ? *"},
		{"id": "63b724fc690def001131d2b2", "name": "master", "sub_rivers": [{"id": "64c1d2e3f4a5b6c7d8e9f4b1", "name": "orders", "outcome": "failed"}]},
		{"id": "63b724fc690def001131d2b3", "no_runs": true, "cancel_as_failed": true, "omit_pending_status": true}
	]`)
	code, out, errOut := invoke("fake", "--rivers", good, "--timeout", "100ms", "--json")
	var got fakeJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || len(got.Rivers) != 3 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}

	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--rivers", write("polls.json", `[{"id": "a", "polls": "three"}]`)}, `polls.json: river 0: key "polls": want a whole number, got "three"`},
		{[]string{"--rivers", write("key.json", `[{"name": "x", "sub_river": []}]`)}, `key.json: river 0 ("x"): unknown key "sub_river"`},
		{[]string{"--rivers", write("id.json", `[{"id": "a/b"}]`)}, `id.json: river 0: key "id": want a plain ID`},
		{[]string{"--rivers", write("obj.json", `{"id": "a"}`)}, `obj.json: want a JSON array of river objects, got an object`},
		{[]string{"--rivers", filepath.Join(dir, "missing.json")}, "missing.json: no such file"},
		{[]string{"--addr", l.Addr().String()}, "--addr " + l.Addr().String() + ": listen tcp"},
	} {
		code, out, errOut := invoke(append([]string{"fake"}, tt.args...)...)
		if code != exitError || out != "" || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "Go struct") || strings.Contains(errOut, "riverJSON") {
			t.Errorf("fake %q: exit %d, want 2 with %q:\n%s%s", tt.args, code, tt.want, out, errOut)
		}
	}
}
