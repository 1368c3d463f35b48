package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Tables page by cursor: the first request carries the options, each next
// one is next_page as the server gave it.
func TestConnectionTablesFollowCursor(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	u := v1Env + "/connections/" + connID + "/tables"
	mock.RegisterResponderWithQuery(http.MethodGet, u, "items_per_page=2&schema_name=sales", rec.reply(200, fixture(t, "v1_connection_tables_page1.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, u, "items_per_page=2&next_page_id=7f3e1a", rec.reply(200, fixture(t, "v1_connection_tables_page2.json")))
	var got []*rivery.ConnectionTable
	for tb, err := range c.Connections.AllTables(context.Background(), connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 2}, SchemaName: "sales"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tb)
	}
	reqs := rec.all()
	if len(got) != 3 || len(reqs) != 2 || reqs[0].URL != u+"?items_per_page=2&schema_name=sales" || reqs[1].URL != u+"?items_per_page=2&next_page_id=7f3e1a" {
		t.Fatalf("%d tables in %+v", len(got), reqs)
	}
	orders := got[0]
	if orders.Name != "orders" || orders.Schema != "sales" || orders.Database != "shop" || orders.DatabaseType != "postgres" || orders.Type != "db" ||
		orders.ObjectType != "TABLE" || !orders.UpdatedAt.Equal(time.Date(2026, 2, 1, 10, 20, 30, 123000000, time.UTC)) ||
		len(orders.IncrementColumns) != 2 || orders.IncrementColumns[0] != (rivery.IncrementColumn{Name: "id", Type: "INTEGER", IncrementalType: "runningnumber", Default: true}) ||
		orders.IncrementColumns[1].Default {
		t.Errorf("orders = %+v %+v", orders, orders.IncrementColumns)
	}
	if got[1].ObjectType != "EDITIONING_VIEW" || got[1].Database != "" || got[2].ObjectType != "SYNONYM" {
		t.Errorf("lenient fields: %+v, %+v", got[1], got[2])
	}
	// One page.
	tables, resp, err := c.Connections.Tables(context.Background(), connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 2}, SchemaName: "sales"})
	if err != nil || len(tables) != 2 || !strings.Contains(resp.NextPage, "next_page_id=7f3e1a") {
		t.Errorf("Tables = %v %+v %v", tables, resp, err)
	}
	if _, _, err := c.Connections.Tables(context.Background(), "a/b", nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("bad ID: %v", err)
	}
	for _, err := range c.Connections.AllTables(context.Background(), "", nil) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("AllTables bad ID: %v", err)
		}
	}
}

func TestConnectionTypeAndSections(t *testing.T) {
	t.Parallel()
	c, mock := setup(t) // no account or environment in these paths
	var rec recorder
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/connections_types/postgres", rec.reply(200, fixture(t, "v1_connection_type.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, "https://api.rivery.io/v1/data_source_sections", "items_per_page=200&segment=source", rec.reply(200, fixture(t, "v1_data_source_sections.json")))
	ct, _, err := c.Connections.ConnectionType(context.Background(), "postgres")
	if err != nil {
		t.Fatal(err)
	}
	if ct.Type != "postgres" || ct.Name != "PostgreSQL" || !ct.HasKeyFile || strings.Join(ct.AllowedFileExtensions, ",") != "pem,key" || len(ct.Properties) != 3 ||
		ct.Properties[0] != (rivery.ConnectionTypeProperty{ID: "host", Type: "string", UIType: "text", DisplayName: "Host", Required: true}) || ct.Properties[1].Required {
		t.Errorf("type = %+v %+v", ct, ct.Properties)
	}
	var sections []*rivery.SourceSection
	for s, err := range c.Connections.SourceSections(context.Background(), &rivery.SourceSectionsOptions{ListOptions: rivery.ListOptions{PerPage: 200}, Segment: "source"}) {
		if err != nil {
			t.Fatal(err)
		}
		sections = append(sections, s)
	}
	if len(sections) != 2 || sections[0].ID != "sec_files" || sections[0].Ordinal != 8 || sections[0].TargetOrdinal != 2 ||
		strings.Join(sections[0].SourceTypes, ",") != "s3,sftp,gcs" || sections[1].Ordinal != 3 || sections[1].TargetOrdinal != 0 {
		t.Errorf("sections = %+v %+v", sections[0], sections[1])
	}
	reqs := rec.all()
	if len(reqs) != 2 || reqs[0].URL != "https://api.rivery.io/v1/connections_types/postgres" || reqs[1].URL != "https://api.rivery.io/v1/data_source_sections?items_per_page=200&segment=source" {
		t.Errorf("requests %+v", reqs)
	}
	for _, r := range reqs {
		checkHeaders(t, r, false)
	}
	if _, _, err := c.Connections.ConnectionType(context.Background(), "a b"); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("bad type: %v", err)
	}
	for _, err := range c.Connections.SourceSections(context.Background(), &rivery.SourceSectionsOptions{ListOptions: rivery.ListOptions{PerPage: 501}}) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("bad page size: %v", err)
		}
	}
}

func TestConnectionCatalogReadsOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithConnection(riverytest.Connection{ID: connID, Name: "orders db"}))
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	var names []string
	for tb, err := range c.Connections.AllTables(ctx, connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tb.Schema+"."+tb.Name+":"+tb.IncrementColumns[0].Name)
	}
	if strings.Join(names, ",") != "public.customers:id,public.orders:id" || len(srv.RequestsTo(riverytest.RouteConnectionTables)) != 2 {
		t.Errorf("tables %v", names)
	}
	if ct, _, err := c.Connections.ConnectionType(ctx, "postgres"); err != nil || ct.Name != "PostgreSQL" || len(ct.Properties) == 0 {
		t.Errorf("type %v %v", ct, err)
	}
	if _, _, err := c.Connections.ConnectionType(ctx, "nope"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("unknown type: %v", err)
	}
	n := 0
	for s, err := range c.Connections.SourceSections(ctx, &rivery.SourceSectionsOptions{Segment: "target"}) {
		if err != nil || s.TargetOrdinal == 0 {
			t.Errorf("%+v %v", s, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d target sections", n)
	}
}
