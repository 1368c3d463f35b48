package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const createSecret = "pw-create-Zq81x"

func newConnectionRequest() *rivery.ConnectionRequest {
	return &rivery.ConnectionRequest{Name: "Orders Postgres", Type: "postgres", Settings: map[string]any{
		"host": "orders.db.example.com", "port": 5432, "user_name": "loader", "password": createSecret,
		"ssh_options": json.RawMessage(`{"use_ssh": false}`),
	}}
}

func TestConnectionsCreateRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections", rec.reply(200, fixture(t, "v1_connection_created.json")))
	conn, _, err := c.Connections.Create(context.Background(), newConnectionRequest())
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	want := `{"connection_name":"Orders Postgres","connection_type":"postgres","host":"orders.db.example.com","password":"` + createSecret +
		`","port":5432,"ssh_options":{"use_ssh":false},"user_name":"loader"}`
	if req.Method != http.MethodPost || string(req.Body) != want {
		t.Errorf("request %s %s\nwant %s", req.Method, req.Body, want)
	}
	if conn.ID != "66ff00000000000000000077" || conn.Name != "Orders Postgres" || conn.Type != "postgres" || conn.TypeName != "PostgreSQL" {
		t.Errorf("connection %v", conn)
	}
	if b, _ := json.Marshal(conn); strings.Contains(string(b), "ENCRYPTED-created") {
		t.Errorf("JSON of the answer holds its password: %s", b)
	}
}

func TestConnectionsUpdateRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPut, v1Env+"/connections/"+connID, rec.reply(200, fixture(t, "v1_connection.json")))
	req := newConnectionRequest()
	req.Settings = map[string]any{"host": "new.example.com", "password": createSecret}
	if _, _, err := c.Connections.Update(context.Background(), connID, req); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	if got.Method != http.MethodPut || string(got.Body) != `{"connection_name":"Orders Postgres","connection_type":"postgres","host":"new.example.com","password":"`+createSecret+`"}` {
		t.Errorf("request %s %s", got.Method, got.Body)
	}
	// A PUT is never sent twice once it may have reached the server.
	mock.RegisterResponder(http.MethodPut, v1Env+"/connections/"+connID, rec.fail(errAfterSend()))
	if _, _, err := c.Connections.Update(context.Background(), connID, req); !rivery.MaybeApplied(err) || len(rec.all()) != 2 {
		t.Errorf("cut PUT: %v after %d", err, len(rec.all()))
	}
}

func TestConnectionsCreateNotResent(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections", rec.fail(errAfterSend()))
	_, _, err := c.Connections.Create(context.Background(), newConnectionRequest())
	if !rivery.MaybeApplied(err) || len(rec.all()) != 1 || strings.Contains(err.Error(), createSecret) {
		t.Errorf("err %v after %d requests", err, len(rec.all()))
	}
}

// A 422 that echoes the body (as the live API's validation errors do)
// reaches the caller without the credentials.
func TestConnectionsWriteErrorScrubsCredentials(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	echo := fmt.Sprintf(`{"detail": [{"type": "string_type", "loc": ["body", "password"], "msg": "bad password %s", "input": %q}], "body": {"password": %q, "host": "orders.db.example.com"}}`,
		createSecret, createSecret, createSecret)
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections", (&recorder{}).reply(422, echo))
	_, _, err := c.Connections.Create(context.Background(), newConnectionRequest())
	apiErr := asAPIError(t, err)
	out := err.Error() + apiErr.Message + string(apiErr.Body) + fmt.Sprintf("%+v %#v", apiErr.Details, apiErr)
	for _, d := range apiErr.Details {
		out += string(d.Input)
	}
	if strings.Contains(out, createSecret) {
		t.Errorf("error holds the password: %s", out)
	}
	if !strings.Contains(string(apiErr.Body), "orders.db.example.com") || !errors.Is(err, rivery.ErrValidation) || !json.Valid(apiErr.Details[0].Input) {
		t.Errorf("error lost what is not secret: %s", apiErr.Body)
	}
}

func TestConnectionRequestValidation(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	clash := newConnectionRequest()
	clash.Settings["connection_name"] = "other"
	for name, err := range map[string]error{
		"nil":          second(c.Connections.Create(ctx, nil)),
		"no name":      second(c.Connections.Create(ctx, &rivery.ConnectionRequest{Type: "postgres"})),
		"bad type":     second(c.Connections.Create(ctx, &rivery.ConnectionRequest{Name: "x", Type: "a/b"})),
		"clash":        second(c.Connections.Create(ctx, clash)),
		"bad value":    second(c.Connections.Create(ctx, &rivery.ConnectionRequest{Name: "x", Type: "pg", Settings: map[string]any{"f": func() {}}})),
		"update ID":    second(c.Connections.Update(ctx, "", newConnectionRequest())),
		"delete ID":    errOf(c.Connections.Delete(ctx, "..")),
		"upload type":  second(c.Connections.UploadKeyFile(ctx, "", "k.pem", []byte("x"))),
		"upload name":  second(c.Connections.UploadKeyFile(ctx, "postgres", "../k.pem", []byte("x"))),
		"upload empty": second(c.Connections.UploadKeyFile(ctx, "postgres", "k.pem", nil)),
		"upload big":   second(c.Connections.UploadKeyFile(ctx, "postgres", "k.pem", make([]byte, 5<<20))),
		"find":         errOf(c.Connections.FindByName(ctx, "")),
	} {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := rivery.ParseConnectionRequest([]byte(`[1]`)); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("ParseConnectionRequest([1]) = %v", err)
	}
}

func TestParseConnectionRequest(t *testing.T) {
	t.Parallel()
	req, err := rivery.ParseConnectionRequest([]byte(`{"connection_name": "db", "connection_type": "mysql", "host": "h", "port": 3306}`))
	if err != nil || req.Name != "db" || req.Type != "mysql" || len(req.Settings) != 2 || string(req.Settings["port"].(json.RawMessage)) != "3306" {
		t.Errorf("%v %v", req, err)
	}
}

const keyContent = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUtest-key-secret\n-----END OPENSSH PRIVATE KEY-----\n"

func TestUploadKeyFileRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections/postgres/files", rec.reply(200, fixture(t, "v1_key_file.json")))
	kf, _, err := c.Connections.UploadKeyFile(context.Background(), "postgres", "bastion.pem", []byte(keyContent))
	if err != nil {
		t.Fatal(err)
	}
	if kf.Path != "{key_files_path}/5f1a2b3c4d5e6f7081920a1b/postgres/9c1d2e3f_bastion.pem" {
		t.Errorf("path %q", kf.Path)
	}
	req := rec.only(t)
	field, name, partType, content := multipartFile(t, req)
	if req.Method != http.MethodPost || field != "file" || name != "bastion.pem" || partType != "application/octet-stream" || content != keyContent {
		t.Errorf("upload %s: field %q name %q type %q content %q", req.Method, field, name, partType, content)
	}
	if req.Header.Get("Authorization") != "Bearer "+testToken {
		t.Error("upload without the token")
	}
	// The console's answer names the path key_file_name.
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections/gcloud/files", rec.reply(200, `{"key_file_name": "{key_files_path}/h/gcloud/x.json", "is_key_file": true}`))
	if kf, _, err := c.Connections.UploadKeyFile(context.Background(), "gcloud", "sa.json", []byte(`{}`)); err != nil || kf.Path != "{key_files_path}/h/gcloud/x.json" {
		t.Errorf("console answer: %+v %v", kf, err)
	}
	// An upload is never sent twice once it may have reached the server,
	// and an error that echoes the key does not hold it.
	var cut recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections/postgres/files", cut.fail(errAfterSend()))
	if _, _, err := c.Connections.UploadKeyFile(context.Background(), "postgres", "bastion.pem", []byte(keyContent)); !rivery.MaybeApplied(err) || len(cut.all()) != 1 {
		t.Errorf("cut upload: %v after %d", err, len(cut.all()))
	}
	mock.RegisterResponder(http.MethodPost, v1Env+"/connections/postgres/files", rec.reply(400, `{"detail": "bad key: `+strings.ReplaceAll(keyContent, "\n", `\n`)+`"}`))
	_, _, err = c.Connections.UploadKeyFile(context.Background(), "postgres", "bastion.pem", []byte(keyContent))
	if apiErr := asAPIError(t, err); strings.Contains(err.Error()+apiErr.Message+string(apiErr.Body), "test-key-secret") {
		t.Errorf("error holds the key: %v %s", err, apiErr.Body)
	}
}

// multipartFile reads the one file part of a multipart request.
func multipartFile(t *testing.T, req sentRequest) (field, name, partType, content string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q: %v", req.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(bytes.NewReader(req.Body), params["boundary"])
	part, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(part)
	if _, err := mr.NextPart(); err != io.EOF { //nolint:errorlint // the reader returns io.EOF itself
		t.Errorf("more than one part: %v", err)
	}
	return part.FormName(), part.FileName(), part.Header.Get("Content-Type"), string(b)
}

// The connection's life on the fake: create, find by name, update, delete;
// an upload reaches the fake whole.
func TestConnectionsWritesOnFake(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	conn, _, err := c.Connections.Create(ctx, newConnectionRequest())
	if err != nil || conn.Name != "Orders Postgres" || conn.Type != "postgres" {
		t.Fatalf("create: %v %v", conn, err)
	}
	found, err := c.Connections.FindByName(ctx, "Orders Postgres")
	if err != nil || found.ID != conn.ID {
		t.Fatalf("FindByName: %v %v", found, err)
	}
	req := newConnectionRequest()
	req.Name = "Orders PG"
	up, _, err := c.Connections.Update(ctx, conn.ID, req)
	if err != nil || up.Name != "Orders PG" {
		t.Fatalf("update: %v %v", up, err)
	}
	kf, _, err := c.Connections.UploadKeyFile(ctx, "postgres", "bastion.pem", []byte(keyContent))
	files := srv.UploadedFiles()
	if err != nil || len(files) != 1 || files[0].Path != kf.Path || string(files[0].Content) != keyContent || files[0].FileName != "bastion.pem" {
		t.Fatalf("upload: %+v %v", kf, err)
	}
	if _, err := c.Connections.Delete(ctx, conn.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connections.FindByName(ctx, "Orders PG"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if _, _, err := c.Connections.Create(ctx, &rivery.ConnectionRequest{Name: "x", Type: "pg", Settings: map[string]any{"connection_type": 1}}); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("clash: %v", err)
	}
	var kinds []string
	for _, e := range srv.AuditEvents() {
		kinds = append(kinds, e.Type+":"+e.EntityType)
	}
	if strings.Join(kinds, ",") != "create:connections,update:connections,delete:connections" {
		t.Errorf("audit log: %v", kinds)
	}
}
