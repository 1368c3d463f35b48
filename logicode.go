package rivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/rivery-go/rivery/internal/wire"
)

// LogicodeService manages Logicode files, the Python code of logic
// rivers' Logicode steps, and reads the Python template, the
// requirements file and the machine sizes those steps run on. Get it from
// Client.Logicode. Its calls use the v1 API.
//
// A file's content never goes through Rivery's API: it is uploaded to,
// and read from, short-lived presigned URLs of Rivery's storage, with no
// Rivery token, https only, streamed. Files cannot be changed or deleted
// (the API answers 405): a new version is a new upload, with a new ID.
type LogicodeService service

// LogicodeFile is a Logicode file: what Upload made, or what Get reads.
// URL is the presigned URL Get returns (about a minute long) and prints as
// "[redacted]"; it is empty in what Upload returns.
type LogicodeFile struct {
	ID   string       `json:"file_id"`  // what a Logicode step names
	Name string       `json:"filename"` // the file's name
	URL  PresignedURL `json:"url,omitempty"`
}

func logicodeFromWire(w *wire.LogicodeFile) *LogicodeFile {
	return &LogicodeFile{ID: string(w.FileID), Name: firstNonEmpty(string(w.Filename), string(w.FileName)), URL: PresignedURL(w.URL)}
}

// checkFileName checks a Logicode file's name: a base name, not a path.
func checkFileName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: file name is empty", ErrInvalidArgument)
	case hasControl(name) || strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return fmt.Errorf("%w: file name %q is not a plain file name", ErrInvalidArgument, truncate(name))
	case len(name) > 255:
		return fmt.Errorf("%w: file name is %d bytes long (at most 255)", ErrInvalidArgument, len(name))
	}
	return nil
}

// Upload stores a new Logicode file of size bytes read from content and
// returns its ID. It is two requests: POST E/logicode_file
// {"file_name"} answers the file's ID and a presigned URL (valid a day),
// then content is PUT there, streamed with a Content-Length of size,
// without the Rivery token or any other credential, https only. The POST
// is not sent twice once it may have reached the server (a *RequestError
// then has MaybeApplied set). The PUT is retried like any idempotent
// request when content is an io.ReaderAt (an *os.File, a *bytes.Reader, a
// *strings.Reader): each attempt reads it afresh; any other reader is
// read once, and a PUT that fails after sending some of it is not
// repeated. An error of the PUT says so and holds the file's ID; the
// slot is unused until a PUT succeeds, so Upload may simply be called
// again.
func (s *LogicodeService) Upload(ctx context.Context, fileName string, content io.Reader, size int64) (*LogicodeFile, error) {
	if err := checkFileName(fileName); err != nil {
		return nil, err
	}
	switch {
	case content == nil:
		return nil, fmt.Errorf("%w: nil content", ErrInvalidArgument)
	case size < 0:
		return nil, fmt.Errorf("%w: negative size %d", ErrInvalidArgument, size)
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	var w wire.LogicodeFile
	if _, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "logicode_file"), body: wire.NewLogicodeFile{FileName: fileName}, out: &w}); err != nil {
		return nil, err
	}
	if w.FileID == "" || w.URL == "" {
		return nil, &RequestError{Method: http.MethodPost, URL: s.client.envURL(sc, "logicode_file"), Attempts: 1, MaybeApplied: true,
			Err: errors.New("the answer names no file_id and url to upload to")}
	}
	open, once := uploadBody(content, size)
	_, err = s.client.presigned(ctx, presignedCall{method: http.MethodPut, url: string(w.URL), what: "upload URL",
		route: routePresigned, open: open, size: size, once: once})
	if err != nil {
		return nil, &UploadError{FileID: string(w.FileID), Err: err}
	}
	return &LogicodeFile{ID: string(w.FileID), Name: fileName}, nil
}

// UploadError is Upload's error when the file's slot was made but its
// content did not reach the storage: Err is the PUT's error (an
// *APIError or a *RequestError).
type UploadError struct {
	FileID string
	Err    error
}

// Error says which step failed.
func (e *UploadError) Error() string {
	return "rivery: uploading the content of Logicode file " + e.FileID + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *UploadError) Unwrap() error { return e.Err }

// Get returns a Logicode file's name and a presigned URL to read it (about
// a minute long): GET E/logicode_file/{fileID}. Read is Get followed by
// the read itself.
func (s *LogicodeService) Get(ctx context.Context, fileID string) (*LogicodeFile, *Response, error) {
	if err := validateID("file ID", fileID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.LogicodeFile
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.envURL(sc, "logicode_file", fileID), out: &w})
	if err != nil {
		return nil, resp, err
	}
	return logicodeFromWire(&w), resp, nil
}

// Read streams a Logicode file's content to w: Get, then a GET of the
// presigned URL without the Rivery token (see CopyFile of Dataframes for
// how it streams and retries). It returns the bytes written to w.
func (s *LogicodeService) Read(ctx context.Context, fileID string, w io.Writer) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("%w: nil writer", ErrInvalidArgument)
	}
	f, _, err := s.Get(ctx, fileID)
	if err != nil {
		return 0, err
	}
	n, _, err := s.client.copyPresigned(ctx, f.URL, "Logicode file URL", w)
	return n, err
}

// Template streams the Python template of a new Logicode step to w:
// GET /v1/logicode_file/template answers {"url"}, which is then read
// without the Rivery token.
func (s *LogicodeService) Template(ctx context.Context, w io.Writer) (int64, error) {
	return s.fetch(ctx, "template", w)
}

// Requirements streams the requirements file of Logicode steps (the
// Python packages they may import) to w: GET
// /v1/logicode_file/requirements answers {"url"}, which is then read
// without the Rivery token.
func (s *LogicodeService) Requirements(ctx context.Context, w io.Writer) (int64, error) {
	return s.fetch(ctx, "requirements", w)
}

func (s *LogicodeService) fetch(ctx context.Context, what string, w io.Writer) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("%w: nil writer", ErrInvalidArgument)
	}
	var f wire.FileURL
	u := s.client.v1 + pathLogicode + "/" + what
	if _, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &f}); err != nil {
		return 0, err
	}
	if f.URL == "" {
		return 0, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: errors.New("the answer names no url")}
	}
	n, _, err := s.client.copyPresigned(ctx, PresignedURL(f.URL), "Logicode "+what+" URL", w)
	return n, err
}

// pathLogicode is the root of the account-independent Logicode paths.
const pathLogicode = "/v1/logicode_file"

// LogicodeResource is a machine size a Logicode step can run on.
type LogicodeResource struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Alias       string  `json:"alias"` // e.g. "XS"
	Description string  `json:"description,omitempty"`
	RAM         float64 `json:"ram"` // GB
	CPU         float64 `json:"cpu"`
	// NetworkUnitsSec and ComputeUnitsSec are what a second of the step
	// costs in processing units.
	NetworkUnitsSec float64 `json:"network_units_sec"`
	ComputeUnitsSec float64 `json:"compute_units_sec"`
}

// Resources lists the machine sizes Logicode steps can run on:
// GET /v1/logicode_resources ({"logicode": [...]}).
func (s *LogicodeService) Resources(ctx context.Context) ([]LogicodeResource, *Response, error) {
	var w wire.LogicodeResources
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.v1 + "/v1/logicode_resources", out: &w})
	if err != nil {
		return nil, resp, err
	}
	out := make([]LogicodeResource, 0, len(w.Logicode))
	for _, r := range dropNil(w.Logicode) {
		out = append(out, LogicodeResource{
			ID: string(r.ID), Name: string(r.Name), Alias: string(r.Alias), Description: string(r.Description),
			RAM: float64(r.RAM), CPU: float64(r.CPU), NetworkUnitsSec: float64(r.NetworkUnitsSec), ComputeUnitsSec: float64(r.ComputeUnitsSec),
		})
	}
	return out, resp, nil
}
