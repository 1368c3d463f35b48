package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// CDCService manages change data capture on database rivers: turning the
// database log reading on and off, and the position (offset) a river
// resumes reading the log from. Get it from Client.CDC. Its calls use the
// v1 API.
type CDCService service

// CDCConfig is a river's CDC position: the "config" object of
// GET and POST E/rivers/{id}/cdc_config. Its fields depend on the
// database: a binlog file and position or a GTID (MySQL), an LSN
// (SQL Server, PostgreSQL), a resume token (MongoDB), an SCN (Oracle).
// Rivery documents no schema for it; the SDK reads the type and time and
// keeps every other field as sent.
type CDCConfig struct {
	// DatasourceType is the source's type, e.g. "mysql" (datasource_type).
	DatasourceType string
	// LastUpdated is when the position last moved (last_updated); zero
	// when not sent. It is not sent back by SetConfig.
	LastUpdated time.Time
	// Offset holds every other field of the config as decoded from JSON
	// (strings, json.Number for numbers, maps and slices), and is sent
	// back as it is: e.g. {"binlog_file": "mysql-bin.000042",
	// "binlog_position": "4"}.
	Offset map[string]any
	// Raw is the answer as the server sent it; empty in a config built
	// by hand.
	Raw json.RawMessage
}

// errNoCDCConfig is the error of an answer with no config in it.
var errNoCDCConfig = errors.New("the answer holds no CDC config object")

func parseCDCConfig(raw json.RawMessage) (*CDCConfig, error) {
	var w wire.CDCConfig
	inner := raw
	if json.Unmarshal(raw, &w) == nil && len(w.Config) > 0 && string(w.Config) != "null" {
		inner = w.Config
	}
	dec := json.NewDecoder(bytes.NewReader(inner))
	dec.UseNumber()
	var fields map[string]any
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, errNoCDCConfig
	}
	cfg := &CDCConfig{Offset: fields, Raw: append(json.RawMessage(nil), raw...)}
	if v, ok := fields["datasource_type"].(string); ok {
		cfg.DatasourceType = v
		delete(fields, "datasource_type")
	}
	if v, ok := fields["last_updated"]; ok {
		b, _ := json.Marshal(v)
		var t wire.Time
		_ = t.UnmarshalJSON(b)
		cfg.LastUpdated = t.Time
		delete(fields, "last_updated")
	}
	return cfg, nil
}

// ParseCDCConfig reads a CDC config as Config returns it from the API
// ({"config": {...}}) or as the inner object alone: what a file written
// from a CDCConfig's JSON holds. It makes no request.
func ParseCDCConfig(data []byte) (*CDCConfig, error) {
	cfg, err := parseCDCConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%w: CDC config: %w", ErrInvalidArgument, err)
	}
	return cfg, nil
}

// MarshalJSON writes {"config": {...}}: the datasource type, the time it
// was last updated (when known) and the offset, as ParseCDCConfig reads
// it back.
func (c CDCConfig) MarshalJSON() ([]byte, error) {
	b := c.body()
	if !c.LastUpdated.IsZero() {
		b.Config["last_updated"] = c.LastUpdated.UTC().Format(time.RFC3339Nano)
	}
	return json.Marshal(b)
}

// body is what SetConfig sends: {"config": {datasource_type, offset...}}.
func (c *CDCConfig) body() wire.SetCDCConfig {
	fields := maps.Clone(c.Offset)
	if fields == nil {
		fields = map[string]any{}
	}
	delete(fields, "last_updated")
	if c.DatasourceType != "" {
		fields["datasource_type"] = c.DatasourceType
	}
	return wire.SetCDCConfig{Config: fields}
}

// Config returns a river's CDC position:
// GET E/rivers/{riverID}/cdc_config (v1 API only). The server answers 400
// while the river's log reading is off ("Enable log is off ...") and
// until the connector has read any change; both come back as an
// *APIError matching ErrBadRequest.
func (s *CDCService) Config(ctx context.Context, riverID string) (*CDCConfig, *Response, error) {
	u, err := s.url(ctx, riverID, "cdc_config")
	if err != nil {
		return nil, nil, err
	}
	var raw json.RawMessage
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: u, out: &raw})
	if err != nil {
		return nil, resp, err
	}
	cfg, err := parseCDCConfig(raw)
	if err != nil {
		return nil, resp, &RequestError{Method: http.MethodGet, URL: u, Attempts: 1, Err: err}
	}
	return cfg, resp, nil
}

// SetConfig sets a river's CDC position, creating or overwriting it:
// POST E/rivers/{riverID}/cdc_config with {"config": {...}} (v1 API
// only). The server does not check the fields (nor whether the log is on);
// a wrong position shows only when the river runs. Setting the same
// position twice is the same as once, so the call is retried like a GET.
func (s *CDCService) SetConfig(ctx context.Context, riverID string, cfg *CDCConfig) (*Response, error) {
	if cfg == nil || strings.TrimSpace(cfg.DatasourceType) == "" && len(cfg.Offset) == 0 {
		return nil, fmt.Errorf("%w: an empty CDC config", ErrInvalidArgument)
	}
	u, err := s.url(ctx, riverID, "cdc_config")
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodPost, url: u, body: cfg.body(), idempotent: true, empty: true})
}

// DeleteConfig removes a river's CDC position, so that its next run
// starts from the log's current end: DELETE E/rivers/{riverID}/cdc_config
// (v1 API only).
func (s *CDCService) DeleteConfig(ctx context.Context, riverID string) (*Response, error) {
	u, err := s.url(ctx, riverID, "cdc_config")
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodDelete, url: u, empty: true})
}

// Enable turns a river's database log reading on:
// POST E/rivers/{riverID}/enable_cdc with {} (v1 API only). A 202 is an
// acceptance, not the change: it returns the operation to pass to
// Rivers.WaitForOperation, which ends D when CDC is on (its Result holds
// the checks the server ran). A 204 (or another empty 2xx) means there is
// nothing to wait for: the river's log reading is already on, and the
// operation returned has already ended D. A 202 that names no operation
// is an error (nothing tells when CDC is on). Enabling works on a
// disabled river and does not activate it. The request is not sent twice
// once it may have reached the server.
func (s *CDCService) Enable(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.toggle(ctx, riverID, "enable_cdc")
}

// Disable turns a river's database log reading off:
// POST E/rivers/{riverID}/disable_cdc with {} (v1 API only). As Enable:
// a 202 returns the operation to wait for, a 204 an operation already
// ended D. Disabling the river itself also turns its log reading off.
func (s *CDCService) Disable(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.toggle(ctx, riverID, "disable_cdc")
}

func (s *CDCService) toggle(ctx context.Context, riverID, action string) (*Operation, *Response, error) {
	u, err := s.url(ctx, riverID, action)
	if err != nil {
		return nil, nil, err
	}
	return s.client.followable(ctx, call{method: http.MethodPost, url: u, body: emptyObject})
}

// url validates riverID and returns E/rivers/{riverID}/{segment}.
func (s *CDCService) url(ctx context.Context, riverID, segment string) (string, error) {
	if err := validateID("river ID", riverID); err != nil {
		return "", err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return "", err
	}
	return s.client.riverURL(sc, riverID, segment), nil
}
