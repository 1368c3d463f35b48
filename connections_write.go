package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"

	"github.com/rivery-go/rivery/internal/wire"
)

// ConnectionRequest is a connection as Connections.Create and Update send
// it: POST E/connections and PUT E/connections/{id} take one flat JSON
// object, the name and type beside the type's own fields (host, port,
// user, password, ...; GET /v1/connections_types/{type} lists them).
//
// Settings holds credentials. Printing a ConnectionRequest with fmt (any
// verb), slog or encoding/json shows the value of every credential-named
// key (password, secret, token, key, ...) as "[redacted]"; the request body
// is built from the fields themselves.
type ConnectionRequest struct {
	Name string // connection_name
	Type string // connection_type: the type's slug, e.g. "postgres"
	// Settings are the type's fields, sent at the top level of the body; a
	// json.RawMessage value is sent as it is. They may not name
	// connection_name or connection_type.
	Settings map[string]any
}

// ParseConnectionRequest reads a connection body as Boomi's tooling posts
// it (one JSON object): connection_name and connection_type become Name
// and Type, every other field goes to Settings as it is.
func ParseConnectionRequest(data []byte) (*ConnectionRequest, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("%w: a connection body is one JSON object", ErrInvalidArgument)
	}
	r := &ConnectionRequest{Name: text(fields["connection_name"]), Type: text(fields["connection_type"]), Settings: map[string]any{}}
	for k, v := range fields {
		if k != "connection_name" && k != "connection_type" {
			r.Settings[k] = v
		}
	}
	return r, nil
}

func (r *ConnectionRequest) validate() error {
	if r == nil {
		return fmt.Errorf("%w: nil ConnectionRequest", ErrInvalidArgument)
	}
	if err := checkName("connection", r.Name); err != nil {
		return err
	}
	if err := validateID("connection type", r.Type); err != nil {
		return err
	}
	for _, k := range []string{"connection_name", "connection_type"} {
		if _, ok := r.Settings[k]; ok {
			return fmt.Errorf("%w: ConnectionRequest.Settings names %s: set Name or Type", ErrInvalidArgument, k)
		}
	}
	return nil
}

// body is the request body: the fields, encoded as they are (a JSON object,
// keys sorted), never through MarshalJSON, which redacts.
func (r *ConnectionRequest) body() (jsonBytes, error) {
	fields := make(map[string]any, len(r.Settings)+2)
	for k, v := range r.Settings {
		fields[k] = v
	}
	fields["connection_name"], fields["connection_type"] = r.Name, r.Type
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fields); err != nil {
		return nil, fmt.Errorf("%w: connection settings: %w", ErrInvalidArgument, err)
	}
	return jsonBytes(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// String describes the request without its settings' values.
func (r ConnectionRequest) String() string {
	keys := make([]string, 0, len(r.Settings))
	for k := range r.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("ConnectionRequest{Name:%q Type:%s Settings:[%s]}", r.Name, r.Type, strings.Join(keys, " "))
}

// GoString is String prefixed with the package name, for %#v.
func (r ConnectionRequest) GoString() string { return "rivery." + r.String() }

// Format prints String for every verb (GoString for %#v).
func (r ConnectionRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r) }

// LogValue logs the name and type, never the settings.
func (r ConnectionRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", r.Name), slog.String("type", r.Type))
}

// MarshalJSON writes the body with every credential redacted.
func (r ConnectionRequest) MarshalJSON() ([]byte, error) {
	b, err := r.body()
	if err != nil {
		return nil, err
	}
	return redactJSON(json.RawMessage(b)), nil
}

// Create makes a connection: POST E/connections with req's fields. It
// returns the connection as the server answers it (read as Get's answer
// is, its credentials redacted in print). Browser-consent OAuth sources
// cannot be created through the API (Boomi's tooling says so).
//
// A create is never sent twice (a retried create could make two
// connections): if the outcome is unknown the error satisfies MaybeApplied;
// look for the connection with FindByName before creating it again. An
// error answer that echoes the request has its credentials replaced by
// "[redacted]".
func (s *ConnectionsService) Create(ctx context.Context, req *ConnectionRequest) (*Connection, *Response, error) {
	return s.write(ctx, http.MethodPost, req, "connections")
}

// Update replaces a connection: PUT E/connections/{connectionID} with
// req's fields. The PUT replaces the whole connection: credentials left
// out are cleared (Rivery's Terraform provider resends them), and a
// connection read with Get holds its secrets only as flags, so build req
// with the credentials. It is never sent twice: if the outcome is unknown
// the error satisfies MaybeApplied (Get tells what happened).
func (s *ConnectionsService) Update(ctx context.Context, connectionID string, req *ConnectionRequest) (*Connection, *Response, error) {
	if err := validateID("connection ID", connectionID); err != nil {
		return nil, nil, err
	}
	return s.write(ctx, http.MethodPut, req, "connections", connectionID)
}

// write sends req with method to E/{segments} (a PUT never twice, as a
// POST) and reads the answer as a Connection, scrubbing the body's
// credentials from an error.
func (s *ConnectionsService) write(ctx context.Context, method string, req *ConnectionRequest, segments ...string) (*Connection, *Response, error) {
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	body, err := req.body()
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var conn Connection
	resp, err := s.client.do(ctx, call{method: method, url: s.client.envURL(sc, segments...), body: body, write: true,
		out: &conn, empty: true, limit: limitLarge})
	if err != nil {
		scrubValues(err, requestSecrets(body))
		return nil, resp, err
	}
	return &conn, resp, nil
}

// Delete deletes a connection: DELETE E/connections/{connectionID} (the
// reference answers 200 with null). It is retried like any read; a 404 to
// a retry after an attempt whose answer was lost is the delete done, and
// nil. A 404 to the first attempt is an error matching ErrNotFound.
func (s *ConnectionsService) Delete(ctx context.Context, connectionID string) (*Response, error) {
	if err := validateID("connection ID", connectionID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodDelete, url: s.client.envURL(sc, "connections", connectionID), gone: true})
}

// FindByName returns the first connection named name, walking the list
// (GET E/connections) until it finds one: how to find what a Create whose
// outcome is unknown made. None is an error matching ErrNotFound.
func (s *ConnectionsService) FindByName(ctx context.Context, name string) (*Connection, error) {
	if err := checkName("connection", name); err != nil {
		return nil, err
	}
	for conn, err := range s.All(ctx, &ListOptions{PerPage: maxPerPage}) {
		if err != nil {
			return nil, err
		}
		if conn.Name == name {
			return conn, nil
		}
	}
	return nil, fmt.Errorf("%w: no connection named %q", ErrNotFound, name)
}

// KeyFile is an uploaded connection file (a private key, a service
// account's JSON): where the server keeps it. Set Path as the value of the
// connection's file field (e.g. ssh_pkey_file_path) in a ConnectionRequest.
type KeyFile struct {
	Path string          `json:"file_path"` // file_path (the console's key_file_name)
	Raw  json.RawMessage `json:"-"`         // the answer as sent
}

// maxKeyFile bounds an upload: keys, certificates and wallets are small.
const maxKeyFile = 4 << 20

// UploadKeyFile uploads a file a connection of connectionType needs (a
// .pem key, a service account's JSON): POST E/connections/{type}/files,
// multipart/form-data with the one field "file" (filename name, part type
// application/octet-stream), as Boomi's tooling and Rivery's Terraform
// provider send it. Rivery allows about 3 uploads a minute.
//
// The content is a credential: it is never printed, and an error answer
// that echoes it has it replaced by "[redacted]". An upload is never sent
// twice once it may have reached the server (the error then satisfies
// MaybeApplied); uploading the same file again is harmless but costs one
// of those three.
func (s *ConnectionsService) UploadKeyFile(ctx context.Context, connectionType, name string, content []byte) (*KeyFile, *Response, error) {
	if err := validateID("connection type", connectionType); err != nil {
		return nil, nil, err
	}
	switch {
	case name == "" || strings.ContainsAny(name, `/\"`) || hasControl(name):
		return nil, nil, fmt.Errorf("%w: file name %q: a base name without quotes or control characters", ErrInvalidArgument, name)
	case len(content) == 0:
		return nil, nil, fmt.Errorf("%w: empty key file", ErrInvalidArgument)
	case len(content) > maxKeyFile:
		return nil, nil, fmt.Errorf("%w: key file of %d bytes (at most %d)", ErrInvalidArgument, len(content), maxKeyFile)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", name)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: building the upload: %w", ErrInvalidArgument, err)
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var raw []byte
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "connections", connectionType, "files"),
		body: formBody{[]string{mw.FormDataContentType()}, buf.Bytes()}, out: &raw})
	if err != nil {
		scrubValues(err, append(strings.Fields(string(content)), string(content)))
		return nil, resp, err
	}
	var w wire.Lax[wire.KeyFile]
	_ = w.UnmarshalJSON(raw)
	return &KeyFile{Path: firstNonEmpty(string(w.V.FilePath), string(w.V.KeyFileName)), Raw: raw}, resp, nil
}
