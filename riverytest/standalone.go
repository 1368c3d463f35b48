package riverytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
	"time"
)

// NewServerAt starts a fake Rivery listening on addr ("host:port"; port 0
// picks a free one), for programs that serve it outside a Go test, such
// as `rivery fake`. Its URL names a loopback host when addr's host is
// unspecified ("", 0.0.0.0, ::), since the SDK sends plain http only to
// loopback hosts. Close it when done.
func NewServerAt(addr string, opts ...Option) (*Server, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("riverytest: %w", err)
	}
	s := newServer(opts)
	hs := httptest.NewUnstartedServer(s.routes())
	_ = hs.Listener.Close()
	hs.Listener = l
	hs.Start()
	s.srv = hs
	s.URL = hs.URL
	if tcp, ok := l.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		s.URL = "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return s, nil
}

// WithAdminToken sets the value of the admin token (see AdminToken), so a
// script can know it before the server starts. Empty means generated.
func WithAdminToken(value string) Option {
	return func(s *Server) {
		delete(s.tokens, s.admin)
		s.admin = s.addToken(Token{Name: "admin", Admin: true, Value: value}).Value
	}
}

// maxRiversFile bounds what ReadRivers reads.
const maxRiversFile = 8 << 20

// riverJSON is a River in the seed file.
type riverJSON struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	GroupID        string `json:"group_id"`
	GroupName      string `json:"group_name"`
	Description    string `json:"description"`
	Disabled       bool   `json:"disabled"`
	Outcome        string `json:"outcome"`
	Message        string `json:"message"`
	Polls          int    `json:"polls"`
	Duration       string `json:"duration"` // a Go duration: "90s", "10m"
	OperationError string `json:"operation_error"`
}

// ReadRivers decodes rivers to seed (with WithRiver) from a JSON array of
// objects whose keys are River's fields in snake case ("id", "name",
// "type", "group_id", "group_name", "description", "disabled", "outcome",
// "message", "polls", "duration" as a Go duration such as "90s",
// "operation_error"); absent keys take River's defaults. Unknown keys,
// repeated IDs and input over 8 MiB are errors.
func ReadRivers(r io.Reader) ([]River, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRiversFile+1))
	if err != nil {
		return nil, fmt.Errorf("riverytest: reading rivers: %w", err)
	}
	if len(data) > maxRiversFile {
		return nil, errors.New("riverytest: rivers file is over 8 MiB")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in []riverJSON
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("riverytest: rivers file: %w", err)
	}
	if dec.More() {
		return nil, errors.New("riverytest: rivers file: data after the array")
	}
	out := make([]River, len(in))
	seen := map[string]bool{}
	for i := range in {
		j := &in[i]
		if j.ID != "" && seen[j.ID] {
			return nil, fmt.Errorf("riverytest: rivers file: river %d repeats ID %q", i, j.ID)
		}
		seen[j.ID] = true
		var d time.Duration
		if j.Duration != "" {
			if d, err = time.ParseDuration(j.Duration); err != nil || d < 0 {
				return nil, fmt.Errorf("riverytest: rivers file: river %d: bad duration %q", i, j.Duration)
			}
		}
		out[i] = River{
			ID: j.ID, Name: j.Name, Type: j.Type, GroupID: j.GroupID, GroupName: j.GroupName,
			Description: j.Description, Disabled: j.Disabled, Outcome: j.Outcome, Message: j.Message,
			Polls: j.Polls, Duration: d, OperationError: j.OperationError,
		}
	}
	return out, nil
}
