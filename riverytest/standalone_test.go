package riverytest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestNewServerAtServesAnotherClient(t *testing.T) {
	t.Parallel()
	rivers, err := riverytest.ReadRivers(strings.NewReader(`[
		{"id": "63b724fc690def001131d2aa", "name": "orders", "outcome": "failed", "message": "disk full", "polls": -1},
		{"name": "slow", "duration": "1h"}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	opts := []riverytest.Option{riverytest.WithAdminToken("fake-admin")}
	for _, r := range rivers {
		opts = append(opts, riverytest.WithRiver(r))
	}
	srv, err := riverytest.NewServerAt("0.0.0.0:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || strings.HasSuffix(srv.URL, ":0") {
		t.Fatalf("URL %q", srv.URL)
	}
	// A client built as any other program would: the URL and the token only.
	c, err := rivery.NewClient("fake-admin", rivery.WithBaseURL(srv.URL), rivery.WithPollInterval(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	list, _, err := c.Rivers.List(ctx, nil)
	if err != nil || len(list) != 2 || list[0].Name != "orders" || list[1].Name != "slow" {
		t.Fatalf("rivers %+v: %v", list, err)
	}
	run, err := c.Rivers.RunAndWait(ctx, "63b724fc690def001131d2aa", nil)
	if run == nil || run.Status != rivery.StatusFailed || err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("run %+v: %v", run, err)
	}
	bad, _ := rivery.NewClient("not-the-token", rivery.WithBaseURL(srv.URL))
	defer bad.Close()
	if _, _, err := bad.Rivers.List(ctx, nil); err == nil {
		t.Error("a wrong token was accepted: the generated admin token was kept")
	}
}

func TestNewServerAtBadAddress(t *testing.T) {
	t.Parallel()
	if srv, err := riverytest.NewServerAt("127.0.0.1:notaport"); err == nil {
		srv.Close()
		t.Fatal("no error")
	}
}

func TestReadRiversRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"id": "a"}`,
		`[{"id": "a", "shade": "red"}]`,
		`[{"id": "a"}, {"id": "a"}]`,
		`[{"duration": "soon"}]`,
		`[{"duration": "-1s"}]`,
		`[] []`,
		strings.Repeat(" ", 8<<20+1),
	} {
		if _, err := riverytest.ReadRivers(strings.NewReader(in)); err == nil {
			t.Errorf("%.40q: no error", in)
		}
	}
}
