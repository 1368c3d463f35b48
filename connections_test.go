package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

func TestConnectionsAllFollowsPages(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/connections", "items_per_page=2", rec.reply(200, fixture(t, "v1_connections_page1.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/connections", "page=2&items_per_page=2", rec.reply(200, fixture(t, "v1_connections_page2.json")))

	var got []*rivery.Connection
	for conn, err := range c.Connections.All(context.Background(), &rivery.ListOptions{PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, conn)
	}
	if len(got) != 3 || len(rec.all()) != 2 {
		t.Fatalf("got %d connections in %d requests, want 3 in 2", len(got), len(rec.all()))
	}
	first := got[0]
	want := time.Date(2026, 10, 2, 8, 15, 0, 123456000, time.UTC)
	if first.ID != "66a1b2c3d4e5f60718293a4b" || first.Name != "Orders Postgres" || first.Type != "postgres" ||
		first.TypeName != "PostgreSQL" || !first.UpdatedAt.Equal(want) {
		t.Errorf("first = %v updated %v", first, first.UpdatedAt)
	}
	if got[2].Type != "shopify" || !got[2].UpdatedAt.IsZero() {
		t.Errorf("third = %v updated %v", got[2], got[2].UpdatedAt)
	}
	checkHeaders(t, rec.all()[0], false)
}

func TestConnectionsList(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/connections", rec.reply(200, fixture(t, "v1_connections_page1.json")))
	conns, resp, err := c.Connections.List(context.Background(), nil)
	if err != nil || len(conns) != 2 || resp.TotalItems != 3 || resp.NextPage == "" {
		t.Fatalf("List = %v, %+v, %v", conns, resp, err)
	}
}

// The secrets in v1_connection.json, none of which may be printed.
func connectionSecrets() []string {
	return []string{"ENCRYPTED-pw", "MIIEsecretKEY", "tok-4455-secret", "cs-secret-9", "hdr-secret-8"}
}

func TestConnectionGetRedactsSecrets(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/connections/66a1b2c3d4e5f60718293a4b", rec.reply(200, fixture(t, "v1_connection.json")))

	conn, _, err := c.Connections.Get(context.Background(), "66a1b2c3d4e5f60718293a4b")
	if err != nil {
		t.Fatal(err)
	}
	if conn.Type != "postgres" || conn.TypeName != "PostgreSQL" || conn.Name != "Orders Postgres" {
		t.Errorf("conn = %v", conn)
	}
	// The caller can read what came back.
	for _, s := range connectionSecrets() {
		if !bytes.Contains(conn.Raw, []byte(s)) {
			t.Errorf("Raw lost %q", s)
		}
	}

	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T"} {
		fmt.Fprintf(&out, verb+"\n", conn)
		fmt.Fprintf(&out, verb+"\n", *conn)
		fmt.Fprintf(&out, verb+"\n", []*rivery.Connection{conn})
	}
	slog.New(slog.NewJSONHandler(&out, nil)).Info("conn", "c", conn, "v", *conn)
	slog.New(slog.NewTextHandler(&out, nil)).Info("conn", "c", conn)
	js, err := json.Marshal(map[string]any{"c": conn, "list": []rivery.Connection{*conn}})
	if err != nil {
		t.Fatal(err)
	}
	out.Write(js)
	for _, s := range connectionSecrets() {
		if strings.Contains(out.String(), s) {
			t.Fatalf("output holds secret %q:\n%s", s, out.String())
		}
	}
	// JSON keeps everything else, and the flags.
	var back map[string]any
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	got := back["c"].(map[string]any)
	if got["host"] != "orders.db.example.com" || got["password"] != "[redacted]" || got["password_exists"] != true ||
		got["ssh_options"].(map[string]any)["ssh_host"] != "bastion.example.com" {
		t.Errorf("JSON = %s", js)
	}
}

func TestConnectionCatalogs(t *testing.T) {
	t.Parallel()
	c, mock := setup(t) // the catalogs need no account or environment
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/connections_types", (&recorder{}).reply(200, fixture(t, "v1_connections_types.json")))
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/data_source_types", (&recorder{}).reply(200, fixture(t, "v1_data_source_types.json")))
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/target_types", (&recorder{}).reply(200, fixture(t, "v1_target_types.json")))
	ctx := context.Background()
	collect := func(seq func(func(*rivery.CatalogType, error) bool)) []*rivery.CatalogType {
		var out []*rivery.CatalogType
		for ct, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ct)
		}
		return out
	}
	types := collect(c.Connections.ConnectionTypes(ctx, nil))
	if len(types) != 2 || types[0].ID != "postgres" || types[0].Name != "PostgreSQL" || types[1].ConnectionType != "snowflake" {
		t.Errorf("connection types = %+v", types)
	}
	sources := collect(c.Connections.SourceTypes(ctx, nil))
	if len(sources) != 2 || sources[1].APIName != "snowflake" || sources[1].ConnectionType != "snowflake_src" || sources[0].Status != "GA" {
		t.Errorf("source types = %+v", sources)
	}
	targets := collect(c.Connections.TargetTypes(ctx, nil))
	if len(targets) != 1 || targets[0].TargetType != "snowflake" || targets[0].Name != "Snowflake" {
		t.Errorf("target types = %+v", targets)
	}
}

func TestConnectionsRefuseBadArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...) // any request fails the test
	ctx := context.Background()
	for _, id := range []string{"", "a/b", ".."} {
		if _, _, err := c.Connections.Get(ctx, id); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Get(%q) = %v", id, err)
		}
	}
	if _, _, err := c.Connections.List(ctx, &rivery.ListOptions{PerPage: 501}); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("List = %v", err)
	}
	for _, err := range c.Connections.SourceTypes(ctx, &rivery.ListOptions{Page: -1}) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("SourceTypes = %v", err)
		}
	}
}

// A Connection built in code (no Raw) marshals its typed fields.
func TestConnectionWithoutRawMarshalsFields(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(rivery.Connection{ID: "c1", Name: "warehouse"})
	if err != nil || !strings.Contains(string(b), `"warehouse"`) || !strings.Contains(string(b), `"c1"`) {
		t.Errorf("json = %s, %v; want the typed fields", b, err)
	}
}
