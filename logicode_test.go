package rivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const (
	logicodeURL = v1Env + "/logicode_file"
	uploadURL   = "https://rivery-logicode.s3.amazonaws.com/acme/step.py"
	uploadQuery = "X-Amz-Expires=86400&X-Amz-Signature=0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"
)

// Upload is POST E/logicode_file {"file_name"} with the token, then a PUT
// of the bytes to the presigned URL without it, with a Content-Length:
// what bdi-logicode.sh sends.
func TestLogicodeUploadExactRequests(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var api, store recorder
	mock.RegisterResponder(http.MethodPost, logicodeURL, api.reply(200, `{"file_id": "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5", "url": "`+uploadURL+`?`+uploadQuery+`"}`))
	var lengths []int64
	mock.RegisterResponder(http.MethodPut, uploadURL, func(req *http.Request) (*http.Response, error) {
		lengths = append(lengths, req.ContentLength)
		store.record(req)
		return httpmock.NewStringResponse(200, ""), nil
	})
	const code = "import pandas\nprint('hi')\n"
	f, err := c.Logicode.Upload(context.Background(), "step.py", strings.NewReader(code), int64(len(code)))
	if err != nil || f.ID != "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5" || f.Name != "step.py" || f.URL != "" {
		t.Fatalf("%+v %v", f, err)
	}
	post := api.only(t)
	if post.Method != http.MethodPost || post.URL != logicodeURL {
		t.Errorf("sent %s %s", post.Method, post.URL)
	}
	checkHeaders(t, post, true)
	checkJSON(t, post.Body, `{"file_name": "step.py"}`)
	put := store.only(t)
	if put.URL != uploadURL+"?"+uploadQuery || string(put.Body) != code || lengths[0] != int64(len(code)) {
		t.Errorf("PUT %s, %d bytes (Content-Length %d)", put.URL, len(put.Body), lengths[0])
	}
	if put.Header.Get("Authorization") != "" || strings.Contains(strings.Join(flatten(put.Header), " "), testToken) {
		t.Errorf("the PUT carried the token: %s", redact(strings.Join(flatten(put.Header), " ")))
	}
}

// The PUT is retried when its content can be read again (an
// io.ReaderAt); a plain reader is sent once, and a failure after it may
// have left is an *UploadError naming the file, MaybeApplied. The POST
// is never sent twice once it may have reached the server.
func TestLogicodeUploadRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const code = "print(1)\n"
	for _, tt := range []struct {
		name    string
		content io.Reader
		puts    int
		ok      bool
	}{
		{"ReaderAt", strings.NewReader(code), 2, true},
		{"plain reader", io.MultiReader(strings.NewReader(code)), 1, false},
	} {
		c, mock := setup(t, v1()...)
		mock.RegisterResponder(http.MethodPost, logicodeURL, (&recorder{}).reply(200, `{"file_id": "f1e2d3c4b5a697887766554433221100", "url": "`+uploadURL+`?`+uploadQuery+`"}`))
		var store recorder
		mock.RegisterResponder(http.MethodPut, uploadURL, sequence(store.fail(io.ErrUnexpectedEOF), store.reply(200, "")))
		f, err := c.Logicode.Upload(ctx, "step.py", tt.content, int64(len(code)))
		if got := len(store.all()); got != tt.puts || (err == nil) != tt.ok {
			t.Errorf("%s: %d PUTs, %+v %v", tt.name, got, f, err)
		}
		if tt.ok {
			if string(store.all()[1].Body) != code {
				t.Errorf("%s: the retry sent %q", tt.name, store.all()[1].Body)
			}
			continue
		}
		var upErr *rivery.UploadError
		if !errors.As(err, &upErr) || upErr.FileID != "f1e2d3c4b5a697887766554433221100" || !rivery.MaybeApplied(err) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		if strings.Contains(err.Error(), "X-Amz-Signature") || strings.Contains(err.Error(), "0a9b8c7d6e5f") {
			t.Errorf("the error holds the presigned query: %v", err)
		}
	}

	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, logicodeURL, rec.fail(io.ErrUnexpectedEOF))
	if _, err := c.Logicode.Upload(ctx, "step.py", strings.NewReader(code), int64(len(code))); !rivery.MaybeApplied(err) || len(rec.all()) != 1 {
		t.Errorf("POST cut off: %v after %d requests", err, len(rec.all()))
	}
}

// Get decodes {file_id, filename, url}; Read then streams the file from
// the URL without the token; template and requirements likewise.
func TestLogicodeReadDecodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	var api, store recorder
	mock.RegisterResponder(http.MethodGet, logicodeURL+"/0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5", api.reply(200, fixture(t, "v1_logicode_file.json")))
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/logicode_file/template", api.reply(200, `{"url": "https://rivery-logicode.s3.amazonaws.com/template.py?X-Amz-Signature=1111222233334444555566667777"}`))
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/logicode_file/requirements", api.reply(200, `{"url": "https://rivery-logicode.s3.amazonaws.com/requirements.txt?X-Amz-Signature=1111222233334444555566667777"}`))
	mock.RegisterResponder(http.MethodGet, "https://rivery-logicode.s3.amazonaws.com/acme/clean_orders.py", store.reply(200, "def main():\n    pass\n"))
	mock.RegisterResponder(http.MethodGet, "https://rivery-logicode.s3.amazonaws.com/template.py", store.reply(200, "# template\n"))
	mock.RegisterResponder(http.MethodGet, "https://rivery-logicode.s3.amazonaws.com/requirements.txt", store.reply(200, "pandas==2.2.2\n"))

	f, _, err := c.Logicode.Get(ctx, "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5")
	if err != nil || f.ID != "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5" || f.Name != "clean_orders.py" || !strings.Contains(string(f.URL), "X-Amz-Signature=5d1f") {
		t.Fatalf("%+v %v", f, err)
	}
	checkHeaders(t, api.all()[0], false)
	var buf bytes.Buffer
	if n, err := c.Logicode.Read(ctx, "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5", &buf); err != nil || n != 21 || buf.String() != "def main():\n    pass\n" {
		t.Errorf("read %d %q %v", n, buf.String(), err)
	}
	buf.Reset()
	if _, err := c.Logicode.Template(ctx, &buf); err != nil || buf.String() != "# template\n" {
		t.Errorf("template %q %v", buf.String(), err)
	}
	buf.Reset()
	if _, err := c.Logicode.Requirements(ctx, &buf); err != nil || buf.String() != "pandas==2.2.2\n" {
		t.Errorf("requirements %q %v", buf.String(), err)
	}
	for _, req := range store.all() {
		if req.Header.Get("Authorization") != "" {
			t.Errorf("%s carried the token", req.URL)
		}
	}
	if got := api.all()[1].URL; got != "https://api.rivery.io/v1/logicode_file/0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5" && got != logicodeURL+"/0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5" {
		t.Errorf("Read asked %s", got)
	}
}

// The resources decode from the console's fixture shape: ids as strings
// or numbers, numbers as numbers or numeric strings, null descriptions.
func TestLogicodeResourcesDecode(t *testing.T) {
	t.Parallel()
	c, mock := setup(t) // no account needed: a root path
	var rec recorder
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/logicode_resources", rec.reply(200, fixture(t, "v1_logicode_resources.json")))
	rs, _, err := c.Logicode.Resources(context.Background())
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v %v", rs, err)
	}
	want := []rivery.LogicodeResource{
		{ID: "1", Name: "Extra Small", Alias: "XS", Description: "For light scripts", RAM: 1, CPU: 0.25, NetworkUnitsSec: 0.00005, ComputeUnitsSec: 0.0001},
		{ID: "2", Name: "Large", Alias: "L", RAM: 8, CPU: 2, NetworkUnitsSec: 0.0004, ComputeUnitsSec: 0.0008},
	}
	for i := range want {
		if rs[i] != want[i] {
			t.Errorf("resource %d = %+v, want %+v", i, rs[i], want[i])
		}
	}
	checkHeaders(t, rec.only(t), false)
}

func TestLogicodeBadArguments(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for name, do := range map[string]func() error{
		"empty name":  func() error { _, err := c.Logicode.Upload(ctx, " ", strings.NewReader(""), 0); return err },
		"a path":      func() error { _, err := c.Logicode.Upload(ctx, "dir/step.py", strings.NewReader(""), 0); return err },
		"control":     func() error { _, err := c.Logicode.Upload(ctx, "step\n.py", strings.NewReader(""), 0); return err },
		"nil content": func() error { _, err := c.Logicode.Upload(ctx, "step.py", nil, 0); return err },
		"size":        func() error { _, err := c.Logicode.Upload(ctx, "step.py", strings.NewReader(""), -1); return err },
		"Get":         func() error { _, _, err := c.Logicode.Get(ctx, "a/b"); return err },
		"Read":        func() error { _, err := c.Logicode.Read(ctx, "", io.Discard); return err },
		"Read nil":    func() error { _, err := c.Logicode.Read(ctx, "f", nil); return err },
		"Template":    func() error { _, err := c.Logicode.Template(ctx, nil); return err },
	} {
		if err := do(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

// Through riverytest: upload (the store sees the bytes, counted and
// hashed, and no token), read back, template and requirements; a store
// that refuses the PUT (S3's 403, echoing the signature) gives an
// *UploadError without the signature; the store wants a Content-Length.
func TestLogicodeOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	code := []byte("from rivery_logicode import context\nprint(context)\n")
	f, err := c.Logicode.Upload(ctx, "orders.py", bytes.NewReader(code), int64(len(code)))
	if err != nil {
		t.Fatal(err)
	}
	st, ok := srv.LogicodeFileState(f.ID)
	sum := sha256.Sum256(code)
	if !ok || !st.Uploaded || st.Name != "orders.py" || st.Size != int64(len(code)) || st.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("stored %+v", st)
	}
	for _, r := range srv.RequestsTo(riverytest.RoutePresignedFiles) {
		if r.Header.Get("Authorization") != "" {
			t.Error("the upload carried the token")
		}
	}
	var buf bytes.Buffer
	if _, err := c.Logicode.Read(ctx, f.ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), code) {
		t.Errorf("read back %q %v", buf.String(), err)
	}
	for name, read := range map[string]func(io.Writer) (int64, error){
		"template":     func(w io.Writer) (int64, error) { return c.Logicode.Template(ctx, w) },
		"requirements": func(w io.Writer) (int64, error) { return c.Logicode.Requirements(ctx, w) },
	} {
		if n, err := read(io.Discard); err != nil || n == 0 {
			t.Errorf("%s: %d %v", name, n, err)
		}
	}
	if rs, _, err := c.Logicode.Resources(ctx); err != nil || len(rs) == 0 {
		t.Errorf("resources %v %v", rs, err)
	}

	srv.Fail(riverytest.RoutePresignedFiles, 1, riverytest.Fault{Status: http.StatusForbidden,
		Body: "<Error><Code>SignatureDoesNotMatch</Code></Error>"})
	_, err = c.Logicode.Upload(ctx, "orders.py", bytes.NewReader(code), int64(len(code)))
	var upErr *rivery.UploadError
	if !errors.As(err, &upErr) || !errors.Is(err, rivery.ErrForbidden) {
		t.Errorf("refused PUT: %v", err)
	}
	if _, _, err := c.Logicode.Get(ctx, "00000000000000000000000000000000"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("unknown file: %v", err)
	}
}

// An empty file is a PUT with Content-Length: 0 (before, the empty body
// went chunked, without a length, and the store answered 411).
func TestLogicodeUploadsAnEmptyFile(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	c := srv.ClientV1()
	for _, content := range []io.Reader{strings.NewReader(""), io.MultiReader()} {
		f, err := c.Logicode.Upload(context.Background(), "empty.py", content, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := srv.LogicodeFileState(f.ID); !st.Uploaded || st.Size != 0 {
			t.Errorf("stored %+v", st)
		}
	}
}
