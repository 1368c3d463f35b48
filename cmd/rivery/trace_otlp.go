package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// The OTLP/JSON form of a trace (an ExportTraceServiceRequest), as an
// OTLP/HTTP receiver takes it: IDs in hex, times in nanoseconds as decimal
// strings, integers as strings, kinds and status codes as numbers.
type (
	otlpRequest struct {
		ResourceSpans []otlpResourceSpans `json:"resourceSpans"`
	}
	otlpResourceSpans struct {
		Resource   otlpResource     `json:"resource"`
		ScopeSpans []otlpScopeSpans `json:"scopeSpans"`
	}
	otlpResource struct {
		Attributes []otlpKV `json:"attributes"`
	}
	otlpScopeSpans struct {
		Scope otlpScope  `json:"scope"`
		Spans []otlpSpan `json:"spans"`
	}
	otlpScope struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	otlpSpan struct {
		TraceID           string      `json:"traceId"`
		SpanID            string      `json:"spanId"`
		ParentSpanID      string      `json:"parentSpanId,omitempty"`
		Name              string      `json:"name"`
		Kind              int         `json:"kind"`
		StartTimeUnixNano string      `json:"startTimeUnixNano"`
		EndTimeUnixNano   string      `json:"endTimeUnixNano"`
		Attributes        []otlpKV    `json:"attributes,omitempty"`
		Events            []otlpEvent `json:"events,omitempty"`
		Status            *otlpStatus `json:"status,omitempty"`
	}
	otlpEvent struct {
		TimeUnixNano string   `json:"timeUnixNano"`
		Name         string   `json:"name"`
		Attributes   []otlpKV `json:"attributes,omitempty"`
	}
	otlpStatus struct {
		Code    int    `json:"code"` // 2: error
		Message string `json:"message,omitempty"`
	}
	otlpKV struct {
		Key   string    `json:"key"`
		Value otlpValue `json:"value"`
	}
	otlpValue struct {
		StringValue *string  `json:"stringValue,omitempty"`
		IntValue    *string  `json:"intValue,omitempty"`
		DoubleValue *float64 `json:"doubleValue,omitempty"`
		BoolValue   *bool    `json:"boolValue,omitempty"`
	}
)

// traceScope is the instrumentation scope of the CLI's spans.
const traceScope = "github.com/rivery-go/rivery/cmd/rivery"

// otlpStatusError is OTLP's status code Error.
const otlpStatusError = 2

// encode writes spans as one OTLP/JSON document, on one line.
func (t *tracer) encode(spans []*span) ([]byte, error) {
	traceID := hex.EncodeToString(t.traceID[:])
	out := make([]otlpSpan, len(spans))
	for i, s := range spans {
		o := otlpSpan{TraceID: traceID, SpanID: hex.EncodeToString(s.id[:]), Name: s.name, Kind: s.kind,
			StartTimeUnixNano: unixNano(s.start), EndTimeUnixNano: unixNano(s.end), Attributes: otlpAttrs(s.attrs)}
		if s.parent != ([8]byte{}) {
			o.ParentSpanID = hex.EncodeToString(s.parent[:])
		}
		for _, e := range s.events {
			o.Events = append(o.Events, otlpEvent{TimeUnixNano: unixNano(e.at), Name: e.name, Attributes: otlpAttrs(e.attrs)})
		}
		if s.failure != "" {
			o.Status = &otlpStatus{Code: otlpStatusError, Message: s.failure}
		}
		out[i] = o
	}
	doc := otlpRequest{ResourceSpans: []otlpResourceSpans{{
		Resource:   otlpResource{Attributes: t.resource},
		ScopeSpans: []otlpScopeSpans{{Scope: otlpScope{Name: traceScope, Version: rivery.Version}, Spans: out}},
	}}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func unixNano(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

// otlpAttrs converts the SDK's attributes.
func otlpAttrs(attrs []rivery.Attr) []otlpKV {
	out := make([]otlpKV, 0, len(attrs))
	for _, a := range attrs {
		var v otlpValue
		switch a.Kind {
		case rivery.AttrString:
			v.StringValue = &a.Str
		case rivery.AttrInt:
			s := strconv.FormatInt(a.Int, 10)
			v.IntValue = &s
		case rivery.AttrFloat:
			v.DoubleValue = &a.Float
		case rivery.AttrBool:
			v.BoolValue = &a.Bool
		default:
			continue
		}
		out = append(out, otlpKV{Key: a.Key, Value: v})
	}
	return out
}

func stringKV(key, value string) otlpKV {
	return otlpKV{Key: key, Value: otlpValue{StringValue: &value}}
}

// traceConfig is what the OTEL_* variables ask of the trace.
type traceConfig struct {
	console  bool          // OTEL_TRACES_EXPORTER names console: write it on stderr
	otlp     *otlpExporter // nil: no OTLP export
	resource []otlpKV
	notes    []string // warnings: variables that cannot be used
}

// defaultExportTimeout bounds the export, unless OTEL_EXPORTER_OTLP_TIMEOUT
// says otherwise.
const defaultExportTimeout = 10 * time.Second

// readTraceConfig reads the OpenTelemetry variables the CLI honors:
// OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER (otlp, console, none),
// OTEL_EXPORTER_OTLP[_TRACES]_ENDPOINT, _HEADERS, _TIMEOUT and _PROTOCOL
// (http/json; http/protobuf is sent as JSON, which OTLP/HTTP receivers
// take too; grpc is refused), OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES. There is an OTLP export only when an endpoint
// is set. A note never holds a variable's value: an endpoint may carry a
// key in its query, a header usually does.
func readTraceConfig(getenv func(string) string) traceConfig {
	var cfg traceConfig
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return cfg
	}
	otlp := true
	if exporters := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); exporters != "" {
		otlp = false
		for _, e := range strings.Split(exporters, ",") {
			switch strings.ToLower(strings.TrimSpace(e)) {
			case "otlp":
				otlp = true
			case "console":
				cfg.console = true
			}
		}
	}
	if otlp {
		cfg.otlp = cfg.otlpExporter(getenv)
	}
	cfg.resource = cfg.resourceAttrs(getenv)
	return cfg
}

// otlpExporter is the OTLP/HTTP export the variables set up, or nil.
func (cfg *traceConfig) otlpExporter(getenv func(string) string) *otlpExporter {
	name := "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	raw := strings.TrimSpace(getenv(name))
	if raw == "" {
		name = "OTEL_EXPORTER_OTLP_ENDPOINT"
		if raw = strings.TrimSpace(getenv(name)); raw == "" {
			return nil
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		cfg.note("%s is not an http:// or https:// URL: no trace is exported", name)
		return nil
	}
	if name == "OTEL_EXPORTER_OTLP_ENDPOINT" {
		u = u.JoinPath("v1", "traces")
	}
	protoVar, proto := firstSet(getenv, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")
	switch proto {
	case "", "http/json", "http/protobuf":
	case "grpc":
		cfg.note("%s is grpc: the CLI sends OTLP over http/json only (an OTLP/HTTP receiver, port 4318): no trace is exported", protoVar)
		return nil
	default:
		cfg.note("%s: unknown protocol: no trace is exported (the CLI sends http/json)", protoVar)
		return nil
	}
	x := &otlpExporter{endpoint: u, headers: http.Header{}, timeout: defaultExportTimeout}
	for _, v := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		for _, kv := range cfg.pairs(v, getenv(v)) {
			if !validHeader(kv[0], kv[1]) {
				cfg.note("%s: a header is not valid in HTTP and is left out", v)
				continue
			}
			x.headers.Set(kv[0], kv[1])
		}
	}
	if timeoutVar, ms := firstSet(getenv, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"); ms != "" {
		if n, err := strconv.Atoi(ms); err == nil && n > 0 {
			x.timeout = time.Duration(n) * time.Millisecond
		} else {
			cfg.note("%s: want milliseconds, a whole number above 0; using %v", timeoutVar, defaultExportTimeout)
		}
	}
	if u.Scheme == "http" && len(x.headers) > 0 && !loopback(u.Hostname()) {
		cfg.note("the OTLP headers go in clear text to %s: use https://", x.where())
	}
	return x
}

// resourceAttrs is the resource of the trace: service.name
// (OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES', else rivery-cli),
// service.version, and the other OTEL_RESOURCE_ATTRIBUTES.
func (cfg *traceConfig) resourceAttrs(getenv func(string) string) []otlpKV {
	name, version := "rivery-cli", rivery.Version
	var others []otlpKV
	for _, kv := range cfg.pairs("OTEL_RESOURCE_ATTRIBUTES", getenv("OTEL_RESOURCE_ATTRIBUTES")) {
		switch kv[0] {
		case "service.name":
			name = kv[1]
		case "service.version":
			version = kv[1]
		default:
			others = append(others, stringKV(kv[0], kv[1]))
		}
	}
	if s := strings.TrimSpace(getenv("OTEL_SERVICE_NAME")); s != "" {
		name = s
	}
	return append([]otlpKV{stringKV("service.name", name), stringKV("service.version", version)}, others...)
}

// pairs reads a list of key=value pairs (k1=v1,k2=v2, keys and values
// percent-decoded), as OpenTelemetry's variables write headers and
// resource attributes. An entry that is not one is left out with a note.
func (cfg *traceConfig) pairs(name, list string) [][2]string {
	var out [][2]string
	for _, entry := range strings.Split(list, ",") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		k, v, ok := strings.Cut(entry, "=")
		key, kerr := url.PathUnescape(strings.TrimSpace(k))
		value, verr := url.PathUnescape(strings.TrimSpace(v))
		if !ok || key == "" || kerr != nil || verr != nil {
			cfg.note("%s: an entry is not key=value and is left out", name)
			continue
		}
		out = append(out, [2]string{key, value})
	}
	return out
}

func (cfg *traceConfig) note(format string, args ...any) {
	cfg.notes = append(cfg.notes, fmt.Sprintf(format, args...))
}

// firstSet returns the first of the variables that is set, and its value.
func firstSet(getenv func(string) string, names ...string) (string, string) {
	for _, n := range names {
		if v := strings.TrimSpace(getenv(n)); v != "" {
			return n, v
		}
	}
	return names[len(names)-1], ""
}

// validHeader reports whether key: value may be sent, and is not one the
// export sets itself.
func validHeader(key, value string) bool {
	switch http.CanonicalHeaderKey(key) {
	case "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Host", "Connection":
		return false
	}
	for _, r := range key {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return !strings.ContainsFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f })
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// otlpExporter POSTs a trace to an OTLP/HTTP receiver.
type otlpExporter struct {
	endpoint *url.URL
	headers  http.Header // never printed: they often hold an API key
	timeout  time.Duration
}

// where names the receiver in messages: its scheme and host, never its
// path or query.
func (x *otlpExporter) where() string { return x.endpoint.Scheme + "://" + x.endpoint.Host }

// export sends body in one POST, with a client of its own: not the Rivery
// client, so neither its token nor its observer; no redirect followed (it
// would take the headers elsewhere), no connection kept.
func (x *otlpExporter) export(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, x.endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("trace export to %s: the request could not be made", x.where())
	}
	req.Header = x.headers.Clone()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "rivery-cli/"+rivery.Version)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error // its text holds the URL
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("trace export to %s: %s", x.where(), netCause(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("trace export to %s: HTTP %d", x.where(), resp.StatusCode)
	}
	return nil
}
