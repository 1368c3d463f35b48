package riverytest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/rivery-go/rivery/internal/drift"
)

// WithDrift makes the server answer with drifted types from the start
// (see Server.SetDrift).
func WithDrift() Option {
	return func(s *Server) { s.drift.on = true }
}

// SetDrift turns drifted answers on or off. With drift on, every JSON
// answer of 2xx has its optional fields written in the other forms the
// live API has been seen to send them in, value by value in turn:
// booleans as "True"/"False", "1"/"0" or 1/0, numbers as numeric strings,
// times without a zone, with a space for the T, as epoch seconds or
// milliseconds or as {"$date": ms}, and IDs as {"$oid": "..."}. What a
// client acts on (IDs' values, statuses, paging, messages, variable
// values) keeps its value. A client that reads only the forms it expects
// fails against a drifted server as it would against the live API.
func (s *Server) SetDrift(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drift.on = on
}

// driftState is the drift switch and the count of drifted answers, which
// starts each answer on the next form.
type driftState struct {
	on bool
	n  int
}

// drifting reports whether answers drift now, and the answer's number.
func (s *Server) drifting() (bool, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.drift.on {
		return false, 0
	}
	s.drift.n++
	return true, s.drift.n
}

// serveDrifted runs serve into a recorder and writes its answer to w, a
// JSON 2xx body drifted: value i of answer n in form n+i of the type
// forms.
func serveDrifted(w http.ResponseWriter, n int, serve func(http.ResponseWriter)) {
	rec := httptest.NewRecorder()
	serve(rec)
	body := rec.Body.Bytes()
	if rec.Code >= 200 && rec.Code <= 299 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && len(bytes.TrimSpace(body)) > 0 {
		forms := drift.TypeForms()
		if drifted, err := drift.RewriteEach(body, func(i int) drift.Form { return forms[(n+i)%len(forms)] }); err == nil {
			body = drifted
		}
	}
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}
