package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const dfURL = v1Env + "/dataframes"

// The reference's item (connection_settings a string holding the
// "connection_settings": {...} fragment, no _id, no path), the console's
// (an object, with a key of an unknown shape) and an internal dataframe
// (account/env_id names, a retention block) all decode.
func TestDataframesListDecodes(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, dfURL, rec.reply(200, fixture(t, "v1_dataframes_page.json")))
	dfs, resp, err := c.Dataframes.List(context.Background(), &rivery.ListOptions{PerPage: 3})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	if req.URL != dfURL+"?items_per_page=3" {
		t.Errorf("sent %s", req.URL)
	}
	checkHeaders(t, req, false)
	if len(dfs) != 3 || resp.NextPage == "" || resp.TotalItems != 4 {
		t.Fatalf("%d dataframes, next %q", len(dfs), resp.NextPage)
	}
	ref, fx, internal := dfs[0], dfs[1], dfs[2]
	if ref.Name != "daily_orders" || ref.ID != "" || ref.Settings == nil || ref.Settings.ConnectionID != "66c0ffee00000000000c0042" ||
		ref.Settings.DatasourceID != "s3" || ref.Settings.StorageType != "aws" || ref.Settings.DefaultBucket != "acme-landing-zone" {
		t.Errorf("reference item: %+v %+v", ref, ref.Settings)
	}
	if fx.ID != "66d0000000000000000d0002" || fx.Settings.DefaultBucket != "{aws_file_zone}" || fx.Settings.DatasourceID != "" ||
		string(fx.Settings.Extra["region"]) != `{"$oid": "eu"}` || fx.Path == "" {
		t.Errorf("console item: %+v %+v", fx, fx.Settings)
	}
	if internal.Settings != nil || internal.AccountID != accountID || internal.EnvironmentID != envID || internal.ClearOnRiverEnd != "always" {
		t.Errorf("internal item: %+v", internal)
	}
}

// Settings read from the API go back in the form they came in: the
// reference's fragment-in-a-string as that, an object as an object (its
// unknown key as it came); settings built by hand go as an object.
func TestDataframeSettingsGoBackInTheirForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var list, put recorder
	mock.RegisterResponder(http.MethodGet, dfURL, list.reply(200, fixture(t, "v1_dataframes_page.json")))
	mock.RegisterResponder(http.MethodPut, `=~^`+dfURL+`/`, put.reply(200, `{"name": "x"}`))
	dfs, _, err := c.Dataframes.List(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, df := range dfs[:2] {
		if _, _, err := c.Dataframes.Update(ctx, df.Name, df.Settings); err != nil {
			t.Fatal(err)
		}
	}
	var frag struct {
		Name     string `json:"name"`
		Settings string `json:"connection_settings"`
	}
	if err := json.Unmarshal(put.all()[0].Body, &frag); err != nil || frag.Name != "daily_orders" ||
		!strings.HasPrefix(frag.Settings, `"connection_settings":{`) {
		t.Fatalf("fragment form sent as %s (%v)", put.all()[0].Body, err)
	}
	inner := strings.TrimPrefix(frag.Settings, `"connection_settings":`)
	checkJSON(t, []byte(inner), `{"connection": "66c0ffee00000000000c0042", "datasource_id": "s3", "storage_type": "aws", "default_bucket": "acme-landing-zone"}`)
	if put.all()[0].URL != dfURL+"/daily_orders" || put.all()[0].Method != http.MethodPut {
		t.Errorf("sent %s %s", put.all()[0].Method, put.all()[0].URL)
	}
	checkJSON(t, put.all()[1].Body, `{"name": "customers", "connection_settings": {"connection": "66c0ffee00000000000c0043", "default_bucket": "{aws_file_zone}", "storage_type": "aws", "region": {"$oid": "eu"}}}`)

	// Settings that are not JSON at all go back as they came.
	c2, mock2 := setup(t, v1()...)
	var odd recorder
	mock2.RegisterResponder(http.MethodGet, dfURL+"/odd", odd.reply(200, `{"name": "odd", "connection_settings": "zone=acme; bucket=x"}`))
	mock2.RegisterResponder(http.MethodPut, dfURL+"/odd", odd.reply(200, `{"name": "odd"}`))
	oddDF, _, err := c2.Dataframes.Get(ctx, "odd")
	if err != nil || oddDF.Settings == nil || oddDF.Settings.ConnectionID != "" {
		t.Fatalf("%+v %v", oddDF, err)
	}
	if _, _, err := c2.Dataframes.Update(ctx, "odd", oddDF.Settings); err != nil {
		t.Fatal(err)
	}
	checkJSON(t, odd.all()[1].Body, `{"name": "odd", "connection_settings": "zone=acme; bucket=x"}`)

	// A string holding the object goes back as a string holding it.
	for _, form := range []string{`"{\"connection\": \"66c0ffee00000000000c0044\"}"`, `{"connection": "66c0ffee00000000000c0044"}`} {
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, dfURL+"/one", rec.reply(200, `{"name": "one", "connection_settings": `+form+`}`))
		mock.RegisterResponder(http.MethodPut, dfURL+"/one", rec.reply(200, `{"name": "one"}`))
		df, _, err := c.Dataframes.Get(ctx, "one")
		if err != nil || df.Settings.ConnectionID != "66c0ffee00000000000c0044" {
			t.Fatalf("%s: %+v %v", form, df, err)
		}
		if _, _, err := c.Dataframes.Update(ctx, "one", df.Settings); err != nil {
			t.Fatal(err)
		}
		var sent, want struct {
			Settings json.RawMessage `json:"connection_settings"`
		}
		_ = json.Unmarshal(rec.all()[1].Body, &sent)
		_ = json.Unmarshal([]byte(`{"connection_settings": `+form+`}`), &want)
		if (sent.Settings[0] == '"') != (want.Settings[0] == '"') {
			t.Errorf("%s went back as %s", form, sent.Settings)
		}
		var inner string
		if json.Unmarshal(sent.Settings, &inner) == nil {
			sent.Settings = json.RawMessage(inner)
		}
		checkJSON(t, sent.Settings, `{"connection": "66c0ffee00000000000c0044"}`)
	}
}

// Create sends {"name"[, "connection_settings": {...}]}; a name in use is
// the server's 400, whose bare JSON string body is its message. A create
// is not sent twice once it may have reached the server.
func TestDataframesCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, dfURL, sequence(
		rec.reply(200, `{"_id": "66d0000000000000000d0009", "account_id": "`+accountID+`", "environment_id": "`+envID+`", "name": "landing", "path": "p"}`),
		rec.reply(200, `{"_id": "66d0000000000000000d0010", "account": "`+accountID+`", "env_id": "`+envID+`", "name": "plain", "path": "`+accountID+`/`+envID+`/dataframes/plain/"}`),
	))
	df, _, err := c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "landing", Settings: &rivery.DataframeSettings{
		ConnectionID: "66c0ffee00000000000c0042", DatasourceID: "s3", StorageType: "aws", DefaultBucket: "acme-landing-zone"}})
	if err != nil || df.ID != "66d0000000000000000d0009" || df.Name != "landing" {
		t.Fatalf("%+v %v", df, err)
	}
	checkHeaders(t, rec.all()[0], true)
	checkJSON(t, rec.all()[0].Body, `{"name": "landing", "connection_settings": {"connection": "66c0ffee00000000000c0042", "datasource_id": "s3", "storage_type": "aws", "default_bucket": "acme-landing-zone"}}`)
	df, _, err = c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "plain"})
	if err != nil || df.AccountID != accountID || df.EnvironmentID != envID {
		t.Fatalf("%+v %v", df, err)
	}
	checkJSON(t, rec.all()[1].Body, `{"name": "plain"}`)

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, dfURL, (&recorder{}).reply(400, `"Dataframe plain already exist"`))
	_, _, err = c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "plain"})
	if apiErr := asAPIError(t, err); apiErr.Message != "Dataframe plain already exist" || !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("message %q", apiErr.Message)
	}

	c, mock = setup(t, v1()...)
	rec = recorder{}
	mock.RegisterResponder(http.MethodPost, dfURL, rec.fail(io.ErrUnexpectedEOF))
	_, _, err = c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "plain"})
	if !rivery.MaybeApplied(err) || len(rec.all()) != 1 {
		t.Errorf("cut off: %v after %d requests", err, len(rec.all()))
	}
}

// A server that echoes the request in its error (a 422 lists the input,
// and may add the whole body) does not get the settings into the error.
func TestDataframeErrorsHoldNoSettings(t *testing.T) {
	t.Parallel()
	const bucket, conn = "acme-secret-bucket-77", "66c0ffee00000000000c0099"
	c, mock := setup(t, v1()...)
	echo := `{"detail": [{"type": "value_error", "loc": ["body", "connection_settings"], "msg": "bucket acme-secret-bucket-77 is not reachable through 66c0ffee00000000000c0099", "input": {"connection": "66c0ffee00000000000c0099", "default_bucket": "acme-secret-bucket-77"}}], "body": {"name": "x", "connection_settings": {"connection": "66c0ffee00000000000c0099", "default_bucket": "acme-secret-bucket-77"}}}`
	mock.RegisterResponder(http.MethodPost, dfURL, (&recorder{}).reply(422, echo))
	mock.RegisterResponder(http.MethodPut, dfURL+"/x", (&recorder{}).reply(422, echo))
	settings := &rivery.DataframeSettings{ConnectionID: conn, DefaultBucket: bucket}
	_, _, err1 := c.Dataframes.Create(context.Background(), &rivery.CreateDataframeRequest{Name: "x", Settings: settings})
	_, _, err2 := c.Dataframes.Update(context.Background(), "x", settings)
	for _, err := range []error{err1, err2} {
		apiErr := asAPIError(t, err)
		all := err.Error() + apiErr.Message + string(apiErr.Body)
		for _, d := range apiErr.Details {
			all += d.Message + string(d.Input)
		}
		if strings.Contains(all, bucket) || strings.Contains(all, conn) {
			t.Errorf("the error holds the settings: %s", all)
		}
		if !errors.Is(err, rivery.ErrValidation) || len(apiErr.Details) != 1 {
			t.Errorf("err = %v", err)
		}
	}
}

// Delete is a DELETE retried like any; a retry that finds the dataframe
// gone after an earlier attempt may have deleted it is success (before,
// it was an ErrNotFound for a delete that happened), while a dataframe
// never there is ErrNotFound. Clear (a POST) is retried too: clearing
// twice is clearing once.
func TestDataframeDeleteAndClearAreIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodDelete, dfURL+"/daily_orders", sequence(rec.reply(502, `{"detail": "Bad Gateway"}`), rec.reply(404, `{"detail": "Dataframe daily_orders not found"}`)))
	if _, err := c.Dataframes.Delete(ctx, "daily_orders"); err != nil || len(rec.all()) != 2 {
		t.Errorf("502 then 404: %v after %d requests, want success after 2", err, len(rec.all()))
	}
	if rec.all()[0].Method != http.MethodDelete || len(rec.all()[0].Body) != 0 {
		t.Errorf("sent %s with %q", rec.all()[0].Method, rec.all()[0].Body)
	}

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodDelete, dfURL+"/daily_orders", (&recorder{}).reply(404, `{"detail": "Dataframe daily_orders not found"}`))
	if _, err := c.Dataframes.Delete(ctx, "daily_orders"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("404 at once: %v", err)
	}

	c, mock = setup(t, v1()...)
	rec = recorder{}
	mock.RegisterResponder(http.MethodPost, dfURL+"/daily_orders/clear", sequence(rec.reply(503, `{"detail": "busy"}`),
		rec.reply(202, `{"operation_id": "67aa00000000000000000d01", "operation_type": "dataframe", "status": "W", "result": null, "error_message": null}`)))
	op, _, err := c.Dataframes.Clear(ctx, "daily_orders")
	if err != nil || op.ID != "67aa00000000000000000d01" || len(rec.all()) != 2 {
		t.Fatalf("503 then 202: %+v %v after %d requests", op, err, len(rec.all()))
	}
	checkJSON(t, rec.all()[1].Body, `{}`)
}

// Download: GET .../download answers an operation; its settled result
// lists presigned URLs, each fetched without the token and streamed into
// the writer in order.
func TestDataframeDownloadExactRequests(t *testing.T) {
	t.Parallel()
	const store = "https://rivery-dataframes.s3.amazonaws.com/acme/daily_orders"
	sig := "X-Amz-Expires=900&X-Amz-Signature=9f8e7d6c5b4a39281706f5e4d3c2b1a098f7e6d5"
	c, mock := setup(t, v1()...)
	var api, files recorder
	mock.RegisterResponder(http.MethodGet, dfURL+"/daily_orders/download", api.reply(202, `{"operation_id": "67aa00000000000000000d02", "status": "W"}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/67aa00000000000000000d02", sequence(
		api.reply(200, `{"operation_id": "67aa00000000000000000d02", "operation_type": "dataframe", "status": "R", "result": null}`),
		api.reply(200, `{"operation_id": "67aa00000000000000000d02", "operation_type": "dataframe", "status": "D", "result": ["`+store+`/part-0.parquet?`+sig+`", "`+store+`/part-1.parquet?`+sig+`"], "error_message": null}`),
	))
	for i, content := range []string{"PAR1-first", "PAR1-second"} {
		mock.RegisterResponder(http.MethodGet, store+"/part-"+string(rune('0'+i))+".parquet", func(req *http.Request) (*http.Response, error) {
			files.record(req)
			return httpmock.NewStringResponse(200, content), nil
		})
	}
	var buf bytes.Buffer
	n, err := c.Dataframes.Download(context.Background(), "daily_orders", &buf, &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: time.Millisecond})
	if err != nil || n != int64(buf.Len()) || buf.String() != "PAR1-firstPAR1-second" {
		t.Fatalf("%d bytes %q, %v", n, buf.String(), err)
	}
	first := api.all()[0]
	if first.Method != http.MethodGet || first.URL != dfURL+"/daily_orders/download" || len(first.Body) != 0 {
		t.Errorf("sent %s %s %q", first.Method, first.URL, first.Body)
	}
	checkHeaders(t, first, false)
	for _, req := range files.all() {
		if req.Header.Get("Authorization") != "" || !strings.Contains(req.URL, "X-Amz-Signature=") {
			t.Errorf("file request %s carried %q", req.URL, redact(req.Header.Get("Authorization")))
		}
	}
}

// Through riverytest: every call, the settings' form kept on a round
// trip, a download of seeded files, and what a broken download does: a
// 503 before any byte is retried; a body cut after some bytes reached the
// writer is not (the writer cannot take them back), and says how many.
func TestDataframesOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithDataframe(riverytest.Dataframe{Name: "daily_orders", SettingsForm: "fragment",
			Settings: map[string]any{"connection": "66c0ffee00000000000c0042", "default_bucket": "acme-landing-zone"},
			Files:    []riverytest.File{{Content: []byte("first,")}, {Size: 1000}}}),
		riverytest.WithDataframe(riverytest.Dataframe{Name: "scratch"}),
	)
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()

	var names []string
	for df, err := range c.Dataframes.All(ctx, &rivery.ListOptions{PerPage: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, df.Name)
	}
	if strings.Join(names, ",") != "daily_orders,scratch" {
		t.Errorf("names %v", names)
	}
	df, _, err := c.Dataframes.Get(ctx, "daily_orders")
	if err != nil || df.Settings.DefaultBucket != "acme-landing-zone" {
		t.Fatalf("%+v %v", df, err)
	}
	df.Settings.DefaultBucket = "acme-other-zone"
	if _, _, err := c.Dataframes.Update(ctx, "daily_orders", df.Settings); err != nil {
		t.Fatal(err)
	}
	if st, _ := srv.DataframeState("daily_orders"); st.SettingsForm != "fragment" || st.Settings["default_bucket"] != "acme-other-zone" {
		t.Errorf("after the update: %+v", st)
	}

	var buf bytes.Buffer
	n, err := c.Dataframes.Download(ctx, "daily_orders", &buf, nil)
	if err != nil || n != 1006 || !strings.HasPrefix(buf.String(), "first,abcdef") {
		t.Fatalf("download: %d %v", n, err)
	}

	srv.Fail(riverytest.RoutePresignedFiles, 1, riverytest.Fault{Status: http.StatusServiceUnavailable})
	buf.Reset()
	if n, err = c.Dataframes.Download(ctx, "daily_orders", &buf, nil); err != nil || n != 1006 {
		t.Errorf("after a 503: %d %v", n, err)
	}

	files, err := c.Dataframes.Export(ctx, "daily_orders", nil)
	if err != nil || len(files) != 2 {
		t.Fatalf("export: %d %v", len(files), err)
	}
	before := len(srv.RequestsTo(riverytest.RoutePresignedFiles))
	srv.Fail(riverytest.RoutePresignedFiles, 1, riverytest.Fault{Truncate: true})
	buf.Reset()
	n, _, err = c.Dataframes.CopyFile(ctx, files[1], &buf)
	var reqErr *rivery.RequestError
	if !errors.As(err, &reqErr) || n != 500 || int64(buf.Len()) != n || !strings.Contains(err.Error(), "500 bytes were written") {
		t.Errorf("cut after half: %d bytes, %v", n, err)
	}
	if got := len(srv.RequestsTo(riverytest.RoutePresignedFiles)) - before; got != 1 {
		t.Errorf("%d requests for a body cut after bytes were written, want 1", got)
	}
	for _, r := range srv.RequestsTo(riverytest.RoutePresignedFiles) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("a presigned request carried a token")
		}
	}

	op, _, err := c.Dataframes.Clear(ctx, "daily_orders")
	if err == nil {
		_, err = c.Rivers.WaitForOperation(ctx, op, nil)
	}
	if st, _ := srv.DataframeState("daily_orders"); err != nil || len(st.Files) != 0 {
		t.Fatalf("clear: %v, %d files left", err, len(st.Files))
	}
	if n, err := c.Dataframes.Download(ctx, "daily_orders", io.Discard, nil); err != nil || n != 0 {
		t.Errorf("download of a cleared dataframe: %d %v", n, err)
	}

	if _, _, err := c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "Scratch"}); !errors.Is(err, rivery.ErrBadRequest) || !strings.HasSuffix(err.Error(), ": Dataframe Scratch already exist") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := c.Dataframes.Delete(ctx, "scratch"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Dataframes.Delete(ctx, "scratch"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}
	srv.AddDataframe(riverytest.Dataframe{Name: "scratch"})
	srv.Fail(riverytest.RouteDeleteDataframe, 1, riverytest.Fault{Status: http.StatusBadGateway, Apply: true})
	if _, err := c.Dataframes.Delete(ctx, "scratch"); err != nil {
		t.Errorf("a delete applied, then 502, then 404: %v", err)
	}
}

// Bad names and arguments send nothing.
func TestDataframesBadArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for name, do := range map[string]func() error{
		"Get":        func() error { _, _, err := c.Dataframes.Get(ctx, "a/b"); return err },
		"Create nil": func() error { _, _, err := c.Dataframes.Create(ctx, nil); return err },
		"Create name": func() error {
			_, _, err := c.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "a?b"})
			return err
		},
		"Update nil":  func() error { _, _, err := c.Dataframes.Update(ctx, "x", nil); return err },
		"Update name": func() error { _, _, err := c.Dataframes.Update(ctx, "", &rivery.DataframeSettings{}); return err },
		"Delete":      func() error { _, err := c.Dataframes.Delete(ctx, ".."); return err },
		"Clear":       func() error { _, _, err := c.Dataframes.Clear(ctx, "a b"); return err },
		"Export":      func() error { _, err := c.Dataframes.Export(ctx, "%2F", nil); return err },
		"Export wait": func() error {
			_, err := c.Dataframes.Export(ctx, "x", &rivery.WaitOptions{MinInterval: time.Second, MaxInterval: time.Millisecond})
			return err
		},
		"Download": func() error { _, err := c.Dataframes.Download(ctx, "x", nil, nil); return err },
		"CopyFile": func() error {
			_, _, err := c.Dataframes.CopyFile(ctx, "http://files.example.com/x?X-Amz-Signature=abc", io.Discard)
			return err
		},
		"List": func() error { _, _, err := c.Dataframes.List(ctx, &rivery.ListOptions{PerPage: 501}); return err },
	} {
		if err := do(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}
