package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rivery-go/rivery/riverytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestPromoteDemoOnTheFake(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, &errOut)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"embedded fake", `created "orders to warehouse"`, "disabled", `updated "orders to warehouse"`, `unchanged "orders to warehouse"`}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %q, want %q", i, lines[i], w)
		}
	}
}

// With a token, it promotes between real environments; here two fake ones
// of the same account stand behind one base URL each, so the test runs the
// flag path against the development one as both ends.
func TestPromoteWithFlags(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders"}))
	defer srv.Close()
	t.Setenv("RIVERY_API_TOKEN", srv.AdminToken())
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	t.Setenv("RIVERY_ACCOUNT_ID", srv.AccountID)
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	var out, errOut bytes.Buffer
	ctx := context.Background()
	args := []string{"-from", srv.EnvironmentID, "-to", srv.EnvironmentID, "-river", "63b724fc690def001131d242"}
	if code := run(ctx, args, &out, &errOut); code != 0 || !strings.Contains(out.String(), `unchanged "orders"`) {
		t.Fatalf("exit %d:\n%s%s", code, &out, &errOut)
	}
	if srv.Versions("63b724fc690def001131d242") != 1 {
		t.Error("promoting a river onto itself saved a version")
	}
	errOut.Reset()
	if code := run(ctx, []string{"-from", srv.EnvironmentID}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Errorf("missing flags: exit %d: %s", code, &errOut)
	}
}
