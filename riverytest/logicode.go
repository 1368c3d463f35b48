package riverytest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// The Logicode routes.
const (
	RouteCreateLogicodeFile   Route = "create_logicode_file"  // POST E/logicode_file
	RouteLogicodeFile         Route = "logicode_file"         // GET E/logicode_file/{id}
	RouteLogicodeTemplate     Route = "logicode_template"     // GET /v1/logicode_file/template
	RouteLogicodeRequirements Route = "logicode_requirements" // GET /v1/logicode_file/requirements
	RouteLogicodeResources    Route = "logicode_resources"    // GET /v1/logicode_resources
)

// LogicodeFile is a Logicode file of the fake: seeded, or uploaded.
type LogicodeFile struct {
	ID   string // generated when empty
	Name string
	// Content is what was uploaded, when it is at most MaxKeptUpload
	// bytes; Size and SHA256 are set for any upload.
	Content []byte
	Size    int64
	SHA256  string // hex
	// Uploaded says the content reached the storage (a PUT to the
	// presigned URL succeeded); a seeded file with Content has been.
	Uploaded bool
}

// MaxKeptUpload is the most of an uploaded file the fake keeps: beyond
// it, an upload is read (and counted and hashed) but not held, so a
// large upload costs no memory.
const MaxKeptUpload = 16 << 20

type logicodeFile struct{ LogicodeFile }

// The Python template and requirements file the fake serves.
const (
	logicodeTemplate     = "# Logicode step\nfrom rivery_logicode import context\n\n\ndef main():\n    print(context.variables)\n"
	logicodeRequirements = "pandas==2.2.2\nrequests==2.32.3\n"
)

// WithLogicodeFile seeds a Logicode file.
func WithLogicodeFile(f LogicodeFile) Option {
	return func(s *Server) { s.addLogicodeFile(f) }
}

func (s *Server) addLogicodeFile(f LogicodeFile) *logicodeFile {
	if s.pf.files == nil {
		s.pf.files = map[string]*logicodeFile{}
	}
	s.seq++
	if f.ID == "" {
		f.ID = fmt.Sprintf("%032x", 0xf11e0000+s.seq)
	}
	if f.Content != nil {
		sum := sha256.Sum256(f.Content)
		f.Size, f.SHA256, f.Uploaded = int64(len(f.Content)), hex.EncodeToString(sum[:]), true
	}
	if _, ok := s.pf.files[f.ID]; !ok {
		s.pf.fileOrder = append(s.pf.fileOrder, f.ID)
	}
	lf := &logicodeFile{f}
	s.pf.files[f.ID] = lf
	return lf
}

// LogicodeFileState returns a Logicode file as the server holds it.
func (s *Server) LogicodeFileState(id string) (LogicodeFile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.pf.files[id]
	if !ok {
		return LogicodeFile{}, false
	}
	out := f.LogicodeFile
	out.Content = append([]byte(nil), f.Content...)
	return out, true
}

func (s *Server) logicodeRoutes(mux *http.ServeMux) {
	list := []rivery.Scope{rivery.ScopeLogicodeList}
	upload := []rivery.Scope{rivery.ScopeFileEdit}
	s.handle(mux, "POST "+envPrefix+"/logicode_file", RouteCreateLogicodeFile, v1, upload, s.createLogicodeFile)
	s.handle(mux, "GET "+envPrefix+"/logicode_file/{file}", RouteLogicodeFile, v1, list, s.getLogicodeFile)
	notAllowed := func(w http.ResponseWriter, _ *http.Request, _ *token) {
		writeError(w, v1, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	s.handle(mux, "PUT "+envPrefix+"/logicode_file/{file}", RouteLogicodeFile, v1, upload, notAllowed)
	s.handle(mux, "DELETE "+envPrefix+"/logicode_file/{file}", RouteLogicodeFile, v1, upload, notAllowed)
	s.handle(mux, "GET /v1/logicode_file/template", RouteLogicodeTemplate, v1, nil, s.fileURL("logicode/template.py"))
	s.handle(mux, "GET /v1/logicode_file/requirements", RouteLogicodeRequirements, v1, nil, s.fileURL("logicode/requirements.txt"))
	s.handle(mux, "GET /v1/logicode_resources", RouteLogicodeResources, v1, nil, s.logicodeResources)
}

// createLogicodeFile makes a file's slot and answers {file_id, url}: a
// presigned PUT, valid a day.
func (s *Server) createLogicodeFile(w http.ResponseWriter, r *http.Request, _ *token) {
	var body struct {
		FileName string `json:"file_name"`
	}
	if !decodeBody(w, r, v1, &body) {
		return
	}
	if strings.TrimSpace(body.FileName) == "" {
		writeValidation(w, fieldError{"missing", []string{"body", "file_name"}, "Field required", nil})
		return
	}
	s.mu.Lock()
	f := s.addLogicodeFile(LogicodeFile{Name: body.FileName})
	u := s.presign("logicode/"+f.ID, 24*time.Hour)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"file_id": f.ID, "url": u})
}

// getLogicodeFile answers {file_id, filename, url}: a presigned GET of
// about a minute.
func (s *Server) getLogicodeFile(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("file")
	s.mu.Lock()
	f, ok := s.pf.files[id]
	var name string
	if ok {
		name = f.Name
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Logicode file "+id+" not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"file_id": id, "filename": name, "url": s.presign("logicode/"+id, time.Minute)})
}

// fileURL answers {"url"} presigning path.
func (s *Server) fileURL(path string) handler {
	return func(w http.ResponseWriter, _ *http.Request, _ *token) {
		writeJSON(w, http.StatusOK, map[string]string{"url": s.presign(path, 5*time.Minute)})
	}
}

func (s *Server) logicodeResources(w http.ResponseWriter, _ *http.Request, _ *token) {
	writeJSON(w, http.StatusOK, map[string]any{"logicode": []map[string]any{
		{"_id": "1", "name": "Extra small", "alias": "XS", "ram": 1, "cpu": 0.5, "network_units_sec": 0.0001, "compute_units_sec": 0.0002, "description": "1 GB RAM, half a CPU"},
		{"_id": "2", "name": "Small", "alias": "S", "ram": 2.0, "cpu": 1, "network_units_sec": 0.0002, "compute_units_sec": 0.0004, "description": "2 GB RAM, one CPU"},
	}})
}

// storageGet serves a Logicode file, the template and requirements,
// dataframe exports and steps' logs.
func (s *Server) storageGet(w http.ResponseWriter, _ *http.Request, path string) {
	switch path {
	case "logicode/template.py":
		serveContent(w, []byte(logicodeTemplate), 0, "text/x-python")
		return
	case "logicode/requirements.txt":
		serveContent(w, []byte(logicodeRequirements), 0, "text/plain")
		return
	}
	s.mu.Lock()
	var content []byte
	var size int64
	found, contentType := false, "application/octet-stream"
	if id, ok := strings.CutPrefix(path, "logicode/"); ok {
		if f, ok := s.pf.files[id]; ok && f.Uploaded && f.Size <= MaxKeptUpload {
			content, found = f.Content, true
		}
	} else if strings.HasPrefix(path, stepLogPrefix) {
		content, found = s.stepLogContent(path)
		contentType = "text/plain; charset=utf-8"
	} else if f, ok := s.dataframeFile(path); ok {
		content, size, found = f.Content, f.Size, true
	}
	s.mu.Unlock()
	if !found {
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprint(w, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>")
		return
	}
	if content == nil && size == 0 {
		content = []byte{}
	}
	serveContent(w, content, size, contentType)
}

// storagePut takes a Logicode file's content, streamed: it counts and
// hashes every byte and keeps at most MaxKeptUpload of them. As S3, it
// wants a Content-Length (411 without one).
func (s *Server) storagePut(w http.ResponseWriter, r *http.Request, path string) {
	id, ok := strings.CutPrefix(path, "logicode/")
	s.mu.Lock()
	_, known := s.pf.files[id]
	s.mu.Unlock()
	switch {
	case !ok || !known:
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprint(w, "<Error><Code>AccessDenied</Code></Error>")
		return
	case r.ContentLength < 0:
		w.WriteHeader(http.StatusLengthRequired)
		_, _ = fmt.Fprint(w, "<Error><Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header.</Message></Error>")
		return
	}
	h := sha256.New()
	keep := &capped{left: MaxKeptUpload, over: r.ContentLength > MaxKeptUpload}
	if !keep.over {
		keep.b = make([]byte, 0, r.ContentLength)
	}
	n, err := io.Copy(io.MultiWriter(h, keep), r.Body)
	if err != nil || n != r.ContentLength {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprint(w, "<Error><Code>IncompleteBody</Code></Error>")
		return
	}
	s.mu.Lock()
	f := s.pf.files[id]
	f.Size, f.SHA256, f.Uploaded = n, hex.EncodeToString(h.Sum(nil)), true
	f.Content = nil
	if !keep.over {
		f.Content = keep.b
	}
	etag := `"` + f.SHA256[:32] + `"`
	s.mu.Unlock()
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}

// capped keeps what is written to it up to left bytes.
type capped struct {
	b    []byte
	left int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if len(p) > c.left {
		c.over, c.b, c.left = true, nil, 0
	}
	if !c.over {
		c.b = append(c.b, p...)
		c.left -= len(p)
	}
	return len(p), nil
}
