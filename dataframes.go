package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"

	"github.com/rivery-go/rivery/internal/wire"
)

// DataframesService manages the environment's dataframes: named tables
// that logic rivers read and write (Python and SQL steps share them),
// addressed by name. Get it from Client.Dataframes. Its calls use the v1
// API and need the dataframe:list, dataframe:write or dataframe:delete
// scope.
type DataframesService service

// Dataframe is a dataframe as GET E/dataframes (list) and
// GET E/dataframes/{name} return it. Dataframes are addressed by name;
// the answer may carry no ID at all.
//
// Printing a Dataframe with fmt (any verb), slog or encoding/json shows
// its settings as "[redacted]" and never Raw; read the fields to use them.
type Dataframe struct {
	Name          string
	ID            string // _id, when sent
	AccountID     string // account_id (or account)
	EnvironmentID string // environment_id (or env_id)
	// Path is where Rivery keeps the data, e.g.
	// "rivery-default-fz-<account>/dataframe/<name>".
	Path string
	// Settings are the file zone the data lives in; nil for a dataframe
	// kept in Rivery's own storage.
	Settings *DataframeSettings
	// ClearOnRiverEnd is its retention: "always", "never", or "" when not
	// sent (retention.clear_river_end).
	ClearOnRiverEnd string
	// Raw is the dataframe as the server sent it, settings included.
	Raw json.RawMessage
}

func dataframeFromWire(w *wire.Dataframe, raw json.RawMessage) *Dataframe {
	d := &Dataframe{
		Name:          string(w.Name),
		ID:            string(w.MongoID),
		AccountID:     firstNonEmpty(string(w.AccountID), string(w.Account)),
		EnvironmentID: firstNonEmpty(string(w.EnvironmentID), string(w.EnvID)),
		Path:          string(w.Path),
		Settings:      parseDataframeSettings(w.Settings),
		Raw:           raw,
	}
	if w.Retention.V != nil {
		d.ClearOnRiverEnd = string(w.Retention.V.ClearRiverEnd)
	}
	return d
}

// UnmarshalJSON reads a dataframe in any of the shapes the API sends.
func (d *Dataframe) UnmarshalJSON(b []byte) error {
	var w wire.Dataframe
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = *dataframeFromWire(&w, append(json.RawMessage(nil), b...))
	return nil
}

// MarshalJSON writes the typed fields, with the settings redacted.
func (d Dataframe) MarshalJSON() ([]byte, error) {
	type shown struct {
		Name            string             `json:"name"`
		ID              string             `json:"_id,omitempty"`
		AccountID       string             `json:"account_id,omitempty"`
		EnvironmentID   string             `json:"environment_id,omitempty"`
		Path            string             `json:"path,omitempty"`
		Settings        *DataframeSettings `json:"connection_settings,omitempty"`
		ClearOnRiverEnd string             `json:"clear_river_end,omitempty"`
	}
	return json.Marshal(shown{d.Name, d.ID, d.AccountID, d.EnvironmentID, d.Path, d.Settings, d.ClearOnRiverEnd})
}

// String describes the dataframe without its settings' values or Raw.
func (d Dataframe) String() string {
	settings := "none"
	if d.Settings != nil {
		settings = redacted
	}
	return fmt.Sprintf("Dataframe{Name:%q ID:%s Path:%q Settings:%s}", d.Name, d.ID, d.Path, settings)
}

// GoString is String prefixed with the package name, for %#v.
func (d Dataframe) GoString() string { return "rivery." + d.String() }

// Format prints String for every verb (GoString for %#v), never Raw.
func (d Dataframe) Format(f fmt.State, verb rune) { formatRedacted(f, verb, d) }

// LogValue logs the name, ID and path, never the settings or Raw.
func (d Dataframe) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", d.Name), slog.String("id", d.ID), slog.String("path", d.Path))
}

// dataframeBody is the body of POST E/dataframes and
// PUT E/dataframes/{name}.
type dataframeBody struct {
	Name     string          `json:"name"`
	Settings json.RawMessage `json:"connection_settings,omitempty"`
}

// CreateDataframeRequest is what Create needs: a name, and settings for a
// dataframe kept in a file zone of one's own (nil: in Rivery's storage).
type CreateDataframeRequest struct {
	Name     string
	Settings *DataframeSettings
}

// String describes the request with its settings redacted.
func (r CreateDataframeRequest) String() string {
	settings := "none"
	if r.Settings != nil {
		settings = redacted
	}
	return fmt.Sprintf("CreateDataframeRequest{Name:%q Settings:%s}", r.Name, settings)
}

// GoString is String prefixed with the package name, for %#v.
func (r CreateDataframeRequest) GoString() string { return "rivery." + r.String() }

// Format prints String for every verb (GoString for %#v).
func (r CreateDataframeRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r) }

// LogValue logs the name only.
func (r CreateDataframeRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", r.Name))
}

func dataframeRequest(name string, settings *DataframeSettings) dataframeBody {
	b := dataframeBody{Name: name}
	if settings != nil {
		b.Settings = settings.wire()
	}
	return b
}

// List returns one page of the environment's dataframes:
// GET E/dataframes.
func (s *DataframesService) List(ctx context.Context, opts *ListOptions) ([]*Dataframe, *Response, error) {
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "dataframes") }, pageFetcher[*Dataframe](s.client))
}

// All iterates over every dataframe of the environment, page after page
// (GET E/dataframes, then each next_page), from the page opts selects.
// It stops at the first error, which it yields.
func (s *DataframesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Dataframe, error] {
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.envURL(sc, "dataframes") }, pageFetcher[*Dataframe](s.client))
}

// Get returns one dataframe: GET E/dataframes/{name}.
func (s *DataframesService) Get(ctx context.Context, name string) (*Dataframe, *Response, error) {
	u, err := s.url(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	return getOne[Dataframe](ctx, s.client, u)
}

// Create adds a dataframe: POST E/dataframes with {"name"[,
// "connection_settings"]}. Names are unique (the console also wants at
// most 40 letters, digits and underscores); a name in use answers 400
// "Dataframe <name> already exist". A cut connection is not retried (it
// could have created it); the *RequestError then has MaybeApplied set: Get
// it by name to see.
func (s *DataframesService) Create(ctx context.Context, req *CreateDataframeRequest) (*Dataframe, *Response, error) {
	if req == nil {
		return nil, nil, fmt.Errorf("%w: nil CreateDataframeRequest", ErrInvalidArgument)
	}
	if err := validateID("dataframe name", req.Name); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var d Dataframe
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.envURL(sc, "dataframes"), body: dataframeRequest(req.Name, req.Settings), out: &d})
	if err != nil {
		scrubValues(err, req.Settings.values())
		return nil, resp, err
	}
	return &d, resp, nil
}

// Update replaces a dataframe's settings, the one thing about it that can
// change: PUT E/dataframes/{name} with {"name", "connection_settings"}.
// Settings read from the API are sent back in the form they came in.
// Sending the same settings twice is the same as once, so the call is
// retried like a GET.
func (s *DataframesService) Update(ctx context.Context, name string, settings *DataframeSettings) (*Dataframe, *Response, error) {
	if settings == nil {
		return nil, nil, fmt.Errorf("%w: nil DataframeSettings", ErrInvalidArgument)
	}
	u, err := s.url(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	var d Dataframe
	resp, err := s.client.do(ctx, call{method: http.MethodPut, url: u, body: dataframeRequest(name, settings), out: &d, empty: true})
	if err != nil {
		scrubValues(err, settings.values())
		return nil, resp, err
	}
	if d.Name == "" { // an empty answer
		return &Dataframe{Name: name, Settings: settings}, resp, nil
	}
	return &d, resp, nil
}

// Delete removes a dataframe and its data: DELETE E/dataframes/{name}.
// It is retried like any DELETE, and a retry that finds the dataframe
// gone after an earlier attempt may have deleted it is success; a
// dataframe that was never there is an *APIError matching ErrNotFound.
func (s *DataframesService) Delete(ctx context.Context, name string) (*Response, error) {
	u, err := s.url(ctx, name)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodDelete, url: u, empty: true, gone: true})
}

// Clear empties a dataframe, keeping it: POST E/dataframes/{name}/clear
// with {}. The server answers 202 with the operation to pass to
// Rivers.WaitForOperation; an empty answer (204) comes back as an
// operation already ended D, and a 202 that names no operation is an
// error. Clearing twice is the same as once, so the call is retried like
// a GET.
func (s *DataframesService) Clear(ctx context.Context, name string) (*Operation, *Response, error) {
	u, err := s.url(ctx, name, "clear")
	if err != nil {
		return nil, nil, err
	}
	return s.client.followable(ctx, call{method: http.MethodPost, url: u, body: emptyObject, idempotent: true})
}

// url validates name and returns E/dataframes/{name}[/{segment}].
func (s *DataframesService) url(ctx context.Context, name string, segment ...string) (string, error) {
	if err := validateID("dataframe name", name); err != nil {
		return "", err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return "", err
	}
	return s.client.envURL(sc, append([]string{"dataframes", name}, segment...)...), nil
}
