package riverytest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The fake's storage: presigned URLs on the server itself (under
// /presigned/files/), as S3 serves Logicode files, dataframe exports and
// logic steps' logs.
// A presigned request carries no Rivery token: one that does is refused,
// as S3 refuses two authentication mechanisms; so is a wrong signature,
// with S3's error, which echoes the signature it got.

// RoutePresignedFiles is a GET or PUT to a presigned URL of the fake's
// storage (a Logicode file, a dataframe export, the Logicode template); a
// step's log is RoutePresignedLogs.
const RoutePresignedFiles Route = "presigned_files"

const storagePrefix = "/presigned/files/"

// presign returns a presigned URL of the server's storage for path
// (below storagePrefix), valid for expires.
func (s *Server) presign(path string, expires time.Duration) string {
	q := url.Values{
		"X-Amz-Algorithm":  {"AWS4-HMAC-SHA256"},
		"X-Amz-Expires":    {strconv.Itoa(int(expires.Seconds()))},
		"X-Amz-Signature":  {storageSignature(path)},
		"X-Amz-Credential": {"ASIAFAKE0000000000/" + time.Now().UTC().Format("20060102") + "/us-east-1/s3/aws4_request"},
	}
	return s.URL + storagePrefix + path + "?" + q.Encode()
}

// storageSignature is the signature of a storage path: fixed, so a test
// can compare, and long enough to be recognized in output.
func storageSignature(path string) string {
	sum := sha256.Sum256([]byte("riverytest storage " + path))
	return hex.EncodeToString(sum[:20])
}

// storageHandler serves a storage request whose signature checked out.
type storageHandler func(w http.ResponseWriter, r *http.Request, path string)

// storage registers h for method on the storage, behind recording (the
// body is not kept: it may be large), fault injection and S3's checks. A
// Fault does what it does on the API routes, with S3's XML error body; a
// Truncate cuts the answer as it streams.
func (s *Server) storage(mux *http.ServeMux, method string, h storageHandler) {
	mux.HandleFunc(method+" "+storagePrefix+"{path...}", func(w http.ResponseWriter, r *http.Request) {
		path := r.PathValue("path")
		route := RoutePresignedFiles
		if strings.HasPrefix(path, stepLogPrefix) {
			route = RoutePresignedLogs
		}
		s.record(route, r, nil)
		f := s.takeFault(route)
		if f != nil && !s.hold(r, f) {
			return
		}
		switch {
		case f == nil:
		case f.Truncate:
			w = &halfWriter{ResponseWriter: w}
		case f.Status != 0 || f.CloseConnection:
			if f.Apply {
				checkedStorage(&discardWriter{}, r, path, h)
			}
			if f.CloseConnection {
				panic(http.ErrAbortHandler) // closes the connection
			}
			for k, vs := range f.Header {
				w.Header()[k] = vs
			}
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			w.WriteHeader(f.Status)
			body := f.Body
			if body == "" {
				body = "<Error><Code>" + http.StatusText(f.Status) + "</Code></Error>"
			}
			_, _ = fmt.Fprint(w, body)
			return
		}
		checkedStorage(w, r, path, h)
	})
}

// checkedStorage calls h once S3's checks pass: no Rivery token, and the
// path's signature.
func checkedStorage(w http.ResponseWriter, r *http.Request, path string, h storageHandler) {
	switch sig := r.URL.Query().Get("X-Amz-Signature"); {
	case r.Header.Get("Authorization") != "":
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprint(w, "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>")
	case sig != storageSignature(path):
		w.WriteHeader(http.StatusForbidden)
		// S3 echoes the signature it rejected (XML-escaped here).
		var esc strings.Builder
		_ = xml.EscapeText(&esc, []byte(sig))
		_, _ = io.WriteString(w, "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><SignatureProvided>"+esc.String()+"</SignatureProvided></Error>")
	default:
		h(w, r, path)
	}
}

// discardWriter is where an applied request's answer goes when a fault
// replaces it: nowhere, without holding it (a download may be large).
type discardWriter struct{ h http.Header }

// Header is the answer's header, kept only for the handler to set.
func (d *discardWriter) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}

// Write drops p.
func (*discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// WriteHeader drops the status.
func (*discardWriter) WriteHeader(int) {}

// halfWriter sends a response's status and headers, then half of the
// body its Content-Length announces, then cuts the connection.
type halfWriter struct {
	http.ResponseWriter
	left int64
	set  bool
}

// WriteHeader notes half the Content-Length, and sends the header.
func (h *halfWriter) WriteHeader(code int) {
	if n, err := strconv.ParseInt(h.Header().Get("Content-Length"), 10, 64); err == nil {
		h.left, h.set = n/2, true
	}
	h.ResponseWriter.WriteHeader(code)
}

// Write sends p, or what is left of the half, and then cuts the
// connection.
func (h *halfWriter) Write(p []byte) (int, error) {
	if !h.set {
		h.WriteHeader(http.StatusOK)
	}
	if int64(len(p)) <= h.left {
		h.left -= int64(len(p))
		return h.ResponseWriter.Write(p)
	}
	_, _ = h.ResponseWriter.Write(p[:h.left])
	if f, ok := h.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}

// patterned is size bytes of generated content (a repeated block), read
// without holding them: what a large seeded file serves.
type patterned struct{ size int64 }

// block is the content patterned repeats.
var block = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}()

// ReadAt reads b from off.
func (p patterned) ReadAt(b []byte, off int64) (int, error) {
	if off >= p.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && off+int64(n) < p.size {
		pos := (off + int64(n)) % int64(len(block))
		c := copy(b[n:], block[pos:])
		if rest := p.size - off - int64(n); int64(c) > rest {
			c = int(rest)
		}
		n += c
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// serveContent answers a storage GET with content (or size generated
// bytes when content is nil), streamed with its Content-Length.
func serveContent(w http.ResponseWriter, content []byte, size int64, contentType string) {
	if content != nil {
		size = int64(len(content))
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if content != nil {
		_, _ = w.Write(content)
		return
	}
	buf := make([]byte, 64<<10)
	gen := patterned{size}
	for off := int64(0); off < size; {
		n, _ := gen.ReadAt(buf, off)
		if _, err := w.Write(buf[:n]); err != nil {
			return
		}
		off += int64(n)
	}
}
