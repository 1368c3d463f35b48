package riverytest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Routes of connection writes and uploads.
const (
	RouteCreateConnection Route = "create_connection" // POST E/connections
	RouteUpdateConnection Route = "update_connection" // PUT E/connections/{id}
	RouteDeleteConnection Route = "delete_connection" // DELETE E/connections/{id}
	RouteConnectionFile   Route = "connection_file"   // POST E/connections/{type}/files
)

// UploadedFile is a file uploaded for connections of a type (POST
// E/connections/{type}/files). Content is a credential: a test may check
// it arrived, never print it.
type UploadedFile struct {
	ConnectionType string
	FileName       string
	Path           string // the file_path answered
	Content        []byte
}

// readConnection decodes a connection body (one flat object) into its name,
// type and settings, answering 422 when the name or type is missing.
func readConnection(w http.ResponseWriter, r *http.Request) (name, typ string, settings map[string]any, ok bool) {
	var body map[string]any
	if !decodeBody(w, r, v1, &body) {
		return "", "", nil, false
	}
	name, _ = body["connection_name"].(string)
	typ, _ = body["connection_type"].(string)
	for _, f := range []struct{ key, value string }{{"connection_name", name}, {"connection_type", typ}} {
		if strings.TrimSpace(f.value) == "" {
			writeValidation(w, fieldError{"missing", []string{"body", f.key}, "Field required", nil})
			return "", "", nil, false
		}
	}
	delete(body, "connection_name")
	delete(body, "connection_type")
	return name, typ, body, true
}

// createConnection stores a connection and answers it in the detail's
// shape. No source shows the live answer's shape or status.
func (s *Server) createConnection(w http.ResponseWriter, r *http.Request, t *token) {
	name, typ, settings, ok := readConnection(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.addConnection(Connection{Name: name, Type: typ, Settings: settings})
	s.recordAudit(t, "create", "connections", "", c.ID, c.Name)
	writeJSON(w, http.StatusOK, connectionJSON(s.mg.conns[c.ID], true))
}

// updateConnection replaces a connection's fields: what the body leaves out
// is gone, credentials included, as Rivery's Terraform provider found.
func (s *Server) updateConnection(w http.ResponseWriter, r *http.Request, t *token) {
	id := r.PathValue("connection")
	name, typ, settings, ok := readConnection(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.mg.conns[id]
	if !found {
		writeError(w, v1, http.StatusNotFound, "Connection "+id+" not found")
		return
	}
	c.Name, c.Type, c.Settings, c.updated = name, typ, settings, time.Now().UTC().Truncate(time.Second)
	s.recordAudit(t, "update", "connections", "", c.ID, c.Name)
	writeJSON(w, http.StatusOK, connectionJSON(c, true))
}

// deleteConnection removes a connection and answers 200 with null, as the
// reference shows.
func (s *Server) deleteConnection(w http.ResponseWriter, r *http.Request, t *token) {
	id := r.PathValue("connection")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, found := s.mg.conns[id]
	if !found {
		writeError(w, v1, http.StatusNotFound, "Connection "+id+" not found")
		return
	}
	delete(s.mg.conns, id)
	s.mg.connOrder = slices.DeleteFunc(s.mg.connOrder, func(o string) bool { return o == id })
	s.recordAudit(t, "delete", "connections", "", id, c.Name)
	writeJSON(w, http.StatusOK, nil)
}

// maxUpload bounds an uploaded file.
const maxUpload = 1 << 20

// uploadConnectionFile takes a multipart upload with the field "file" and
// answers {"file_path"} under the server's key files path.
func (s *Server) uploadConnectionFile(w http.ResponseWriter, r *http.Request, _ *token) {
	typ := r.PathValue("type")
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(maxUpload); err != nil { //nolint:gosec // the body is bounded just above

		writeValidation(w, fieldError{"missing", []string{"body", "file"}, "Field required", nil})
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		writeValidation(w, fieldError{"missing", []string{"body", "file"}, "Field required", nil})
		return
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, maxUpload))
	if err != nil || len(content) == 0 {
		writeError(w, v1, http.StatusBadRequest, "The file is empty")
		return
	}
	sum := sha256.Sum256(content)
	s.mu.Lock()
	path := "{key_files_path}/" + s.AccountID + "/" + typ + "/" + hex.EncodeToString(sum[:8]) + "_" + hdr.Filename
	s.mg.files = append(s.mg.files, UploadedFile{ConnectionType: typ, FileName: hdr.Filename, Path: path, Content: content})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"file_path": path})
}

// UploadedFiles returns the files uploaded so far, oldest first.
func (s *Server) UploadedFiles() []UploadedFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.mg.files)
}
