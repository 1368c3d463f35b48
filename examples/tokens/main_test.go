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

func TestTokensDemoOnTheFake(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, &errOut)
	}
	got := out.String()
	for _, want := range []string{"embedded fake Rivery", "created token", "Store this value now", "demo-loader", "river:execute,river:list", "deleted token"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestTokensCommandsWithToken(t *testing.T) {
	srv := riverytest.NewServer()
	defer srv.Close()
	t.Setenv("RIVERY_API_TOKEN", srv.AdminToken())
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	var out, errOut bytes.Buffer
	ctx := context.Background()
	if code := run(ctx, []string{"create", "-name", "ci", "-scope", "river:execute"}, &out, &errOut); code != 0 {
		t.Fatalf("create: exit %d: %s", code, &errOut)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	value := lines[len(lines)-1]
	if !strings.HasPrefix(value, "rvt_") || strings.Contains(out.String(), srv.AdminToken()) {
		t.Fatalf("create output:\n%s", out.String())
	}
	id := strings.Fields(lines[0])[2]
	out.Reset()
	if code := run(ctx, []string{"list"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), id) {
		t.Fatalf("list: exit %d:\n%s%s", code, &out, &errOut)
	}
	if code := run(ctx, []string{"delete", id}, &out, &errOut); code != 0 {
		t.Fatalf("delete: exit %d: %s", code, &errOut)
	}
	errOut.Reset()
	if code := run(ctx, []string{"delete", id}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "404") {
		t.Errorf("second delete: exit %d: %s", code, &errOut)
	}
	errOut.Reset()
	if code := run(ctx, []string{"bogus"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Errorf("bad command: exit %d: %s", code, &errOut)
	}
}
