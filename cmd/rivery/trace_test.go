package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// otlpReceiver is an OTLP/HTTP receiver: it records each POST.
type otlpReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	posts  []*http.Request
	bodies [][]byte
	status int // the answer, 200 unless set
}

func newReceiver(t *testing.T) *otlpReceiver {
	t.Helper()
	r := &otlpReceiver{status: http.StatusOK}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts, r.bodies = append(r.posts, req), append(r.bodies, body)
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(r.Close)
	return r
}

// only returns the one POST received and its body.
func (r *otlpReceiver) only(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.posts) != 1 {
		t.Fatalf("%d POSTs, want 1", len(r.posts))
	}
	return r.posts[0], r.bodies[0]
}

// otlpDoc is the OTLP/JSON document, as the tests read it.
type otlpDoc struct {
	ResourceSpans []struct {
		Resource struct {
			Attributes []otlpKV `json:"attributes"`
		} `json:"resource"`
		ScopeSpans []struct {
			Scope otlpScope  `json:"scope"`
			Spans []otlpSpan `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

// readTrace parses an exported trace and checks what every span must
// hold: one trace ID, unique span IDs in hex, times in nanoseconds with
// the end not before the start, a parent that is in the trace (the root
// alone has none), a known kind, each attribute key once.
func readTrace(t *testing.T, body []byte) (otlpDoc, []*otlpSpan) {
	t.Helper()
	var doc otlpDoc
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.ResourceSpans) != 1 || len(doc.ResourceSpans[0].ScopeSpans) != 1 {
		t.Fatalf("not an OTLP/JSON trace: %v\n%s", err, body)
	}
	scope := doc.ResourceSpans[0].ScopeSpans[0]
	if scope.Scope.Name != traceScope || scope.Scope.Version != rivery.Version {
		t.Errorf("scope %+v", scope.Scope)
	}
	spans := make([]*otlpSpan, len(scope.Spans))
	for i := range scope.Spans {
		spans[i] = &scope.Spans[i]
	}
	hexID := regexp.MustCompile(`^[0-9a-f]+$`)
	ids := map[string]bool{}
	for _, s := range spans {
		if ids[s.SpanID] || len(s.SpanID) != 16 || !hexID.MatchString(s.SpanID) || len(s.TraceID) != 32 || s.TraceID != spans[0].TraceID {
			t.Errorf("span %q: IDs %s %s", s.Name, s.TraceID, s.SpanID)
		}
		ids[s.SpanID] = true
	}
	roots := 0
	for _, s := range spans {
		start, err1 := strconv.ParseInt(s.StartTimeUnixNano, 10, 64)
		end, err2 := strconv.ParseInt(s.EndTimeUnixNano, 10, 64)
		if err1 != nil || err2 != nil || end < start || start < time.Now().Add(-time.Hour).UnixNano() {
			t.Errorf("span %q: times %s %s", s.Name, s.StartTimeUnixNano, s.EndTimeUnixNano)
		}
		if s.ParentSpanID == "" {
			roots++
		} else if !ids[s.ParentSpanID] {
			t.Errorf("span %q: parent %s is not in the trace", s.Name, s.ParentSpanID)
		}
		if s.Kind != kindInternal && s.Kind != kindClient {
			t.Errorf("span %q: kind %d", s.Name, s.Kind)
		}
		seen := map[string]bool{}
		for _, a := range s.Attributes {
			if seen[a.Key] {
				t.Errorf("span %q: attribute %s twice", s.Name, a.Key)
			}
			seen[a.Key] = true
		}
	}
	if roots != 1 || spans[0].ParentSpanID != "" {
		t.Errorf("%d roots, want 1, first", roots)
	}
	return doc, spans
}

// attr returns the value of key in attrs, as text ("" when absent).
func attr(attrs []otlpKV, key string) string {
	for _, a := range attrs {
		if a.Key != key {
			continue
		}
		switch v := a.Value; {
		case v.StringValue != nil:
			return *v.StringValue
		case v.IntValue != nil:
			return *v.IntValue
		case v.DoubleValue != nil:
			return strconv.FormatFloat(*v.DoubleValue, 'g', -1, 64)
		case v.BoolValue != nil:
			return strconv.FormatBool(*v.BoolValue)
		}
	}
	return ""
}

func childrenOf(spans []*otlpSpan, parent *otlpSpan) []*otlpSpan {
	var out []*otlpSpan
	for _, s := range spans {
		if s.ParentSpanID == parent.SpanID {
			out = append(out, s)
		}
	}
	return out
}

// sdkKeys are the attribute keys the SDK's helpers write, as the otel
// module's spans have them; the root span adds its own two.
var sdkKeys = []string{
	rivery.KeyHTTPRequestMethod, rivery.KeyURLTemplate, rivery.KeyServerAddress, rivery.KeyServerPort,
	rivery.KeyHTTPResponseStatusCode, rivery.KeyErrorType, rivery.KeyHTTPRequestResendCount, rivery.KeyAccountID,
	rivery.KeyEnvironmentID, rivery.KeyRiverID, rivery.KeyRunID, rivery.KeyRunGroupID, rivery.KeyMaybeApplied,
	rivery.KeyRetryDelay, rivery.KeyRunStatus, rivery.KeyRunRawStatus, rivery.KeyRunOutcome, rivery.KeyWaitRuns,
	rivery.KeyWaitStatusesSeen,
}

// The trace of run --wait whose first status call is answered 503 and
// retried, POSTed to an OTLP/HTTP receiver: root > wait > status calls >
// attempts, the trigger under the root, named and attributed as the otel
// module does; the OTLP headers sent, never the Rivery token; no secret,
// query or server message anywhere in it.
func TestTraceExportedToOTLP(t *testing.T) {
	srv := fake(t, true)
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
	recv := newReceiver(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.URL+"/otlp/")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "api-key=k3y%3Dvalue, x-tenant = ops")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=ci,service.name=ignored")
	t.Setenv("OTEL_SERVICE_NAME", "nightly-load")
	code, out, errOut := invoke("run", failRiver, "--wait", pollFlagArg, "--json")
	var got runJSON
	if code != exitFailed || json.Unmarshal([]byte(out), &got) != nil || got.Status != "failed" {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "resourceSpans") || strings.Contains(errOut, "warning") {
		t.Errorf("stderr without --trace-stdout:\n%s", errOut)
	}
	req, body := recv.only(t)
	if req.Method != http.MethodPost || req.URL.Path != "/otlp/v1/traces" || req.Header.Get("Content-Type") != "application/json" ||
		req.Header.Get("Api-Key") != "k3y=value" || req.Header.Get("X-Tenant") != "ops" || req.Header.Get("Authorization") != "" {
		t.Errorf("POST %s, headers %v", req.URL.Path, req.Header)
	}
	doc, spans := readTrace(t, body)
	res := doc.ResourceSpans[0].Resource.Attributes
	if attr(res, "service.name") != "nightly-load" || attr(res, "service.version") != rivery.Version || attr(res, "deployment.environment") != "ci" {
		t.Errorf("resource %+v", res)
	}

	root := spans[0]
	if root.Name != "rivery run" || root.Kind != kindInternal || attr(root.Attributes, keyCLICommand) != "run" ||
		attr(root.Attributes, keyExitCode) != "1" || root.Status == nil || root.Status.Code != otlpStatusError || len(root.Attributes) != 2 {
		t.Errorf("root %+v", root)
	}
	byName := func(list []*otlpSpan, prefix string) []*otlpSpan {
		var out []*otlpSpan
		for _, s := range list {
			if strings.HasPrefix(s.Name, prefix) {
				out = append(out, s)
			}
		}
		return out
	}
	top := childrenOf(spans, root)
	trigger, waits := byName(top, "POST "), byName(top, "rivery.WaitForRun")
	if len(top) != 2 || len(trigger) != 1 || len(waits) != 1 {
		t.Fatalf("the root's children: %+v", top)
	}
	if trigger[0].Name != "POST /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/run" || trigger[0].Kind != kindClient ||
		attr(trigger[0].Attributes, rivery.KeyRiverID) != failRiver || attr(trigger[0].Attributes, rivery.KeyHTTPResponseStatusCode) != "202" {
		t.Errorf("trigger %+v", trigger[0])
	}
	wait := waits[0]
	if wait.Kind != kindInternal || attr(wait.Attributes, rivery.KeyRunOutcome) != "failed" || attr(wait.Attributes, rivery.KeyRunID) != got.ID ||
		wait.Status == nil || wait.Status.Message != "failed" || len(wait.Events) < 2 ||
		wait.Events[0].Name != rivery.EventRunStatus || attr(wait.Events[len(wait.Events)-1].Attributes, rivery.KeyRunStatus) != "failed" {
		t.Errorf("wait %+v", wait)
	}
	calls := childrenOf(spans, wait)
	const statusRoute = "GET /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/runs/{run_id}"
	if len(calls) < 2 {
		t.Fatalf("%d status calls under the wait", len(calls))
	}
	retried := calls[0]
	attempts := childrenOf(spans, retried)
	if retried.Name != statusRoute || retried.Kind != kindClient || attr(retried.Attributes, rivery.KeyHTTPRequestResendCount) != "1" ||
		attr(retried.Attributes, rivery.KeyHTTPResponseStatusCode) != "200" || retried.Status != nil || len(attempts) != 2 {
		t.Fatalf("the retried call %+v, attempts %+v", retried, attempts)
	}
	if a := attempts[0]; a.Name != statusRoute || attr(a.Attributes, rivery.KeyHTTPResponseStatusCode) != "503" || attr(a.Attributes, rivery.KeyErrorType) != "503" ||
		a.Status == nil || a.Status.Code != otlpStatusError {
		t.Errorf("the 503 attempt %+v", a)
	}
	if a := attempts[1]; attr(a.Attributes, rivery.KeyHTTPRequestResendCount) != "1" || attr(a.Attributes, rivery.KeyRetryDelay) == "" ||
		attr(a.Attributes, rivery.KeyHTTPResponseStatusCode) != "200" || a.Status != nil {
		t.Errorf("the retry %+v", a)
	}
	for _, c := range calls[1:] {
		if c.Name != statusRoute || len(childrenOf(spans, c)) != 1 {
			t.Errorf("a status call %+v", c)
		}
	}
	for _, s := range spans[1:] {
		for _, a := range s.Attributes {
			if !slices.Contains(sdkKeys, a.Key) {
				t.Errorf("span %q: attribute %s is not one of the SDK's", s.Name, a.Key)
			}
		}
	}
	for _, secret := range []string{srv.AdminToken(), "eyJ", "Bearer", "k3y", "?", "&", "disk full", "start_time"} {
		if bytes.Contains(body, []byte(secret)) {
			t.Errorf("the trace holds %q", secret)
		}
	}
}

// --trace-stdout writes the trace on stderr, as its last line: stdout
// stays one JSON document. With several rivers the trace holds a
// RunAndWait per river and the shared poller's calls under the root.
func TestTraceStdoutKeepsJSON(t *testing.T) {
	fake(t, true)
	code, out, errOut := invoke("run", okRiver, "demo", "--wait", pollFlagArg, "--json", "--trace-stdout", "--quiet")
	var docs []outcomeJSON
	if code != exitOK || json.Unmarshal([]byte(out), &docs) != nil || len(docs) != 2 {
		t.Fatalf("exit %d, stdout not one JSON document:\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("stderr with --quiet holds more than the trace:\n%s", errOut)
	}
	_, spans := readTrace(t, []byte(lines[0]))
	var waits, activities int
	for _, s := range childrenOf(spans, spans[0]) {
		switch {
		case s.Name == "rivery.RunAndWait":
			waits++
			if attr(s.Attributes, rivery.KeyRunOutcome) != "succeeded" || s.Status != nil || len(childrenOf(spans, s)) == 0 {
				t.Errorf("wait %+v", s)
			}
		case strings.HasSuffix(s.Name, "/activities"):
			activities++
		}
	}
	if waits != 2 || activities == 0 {
		t.Errorf("%d waits and %d activities calls under the root", waits, activities)
	}
}

// A timeout ends the command, and its trace is still exported: the root
// with exit 124, the wait abandoned; every span ended.
func TestTraceOnTimeout(t *testing.T) {
	fake(t, true)
	recv := newReceiver(t)
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", recv.URL+"/custom")
	code, out, errOut := invoke("run", slowRiver, "--wait", "--timeout", "200ms", pollFlagArg)
	if code != exitTimeout {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	req, body := recv.only(t)
	if req.URL.Path != "/custom" {
		t.Errorf("path %s: the traces endpoint is used as it is", req.URL.Path)
	}
	_, spans := readTrace(t, body)
	root := spans[0]
	if attr(root.Attributes, keyExitCode) != "124" || root.Status == nil || root.Status.Message != "exit 124: --timeout ran out" {
		t.Errorf("root %+v", root)
	}
	for _, s := range spans {
		if s.Name == "rivery.WaitForRun" && (attr(s.Attributes, rivery.KeyRunOutcome) != rivery.OutcomeAbandoned || attr(s.Attributes, rivery.KeyErrorType) != "timeout") {
			t.Errorf("wait %+v", s)
		}
	}
}

// A signal ends the command, and its trace is still exported.
func TestTraceOnSignal(t *testing.T) {
	srv := fake(t, true)
	recv := newReceiver(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.URL)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		waitFor(func() bool { return len(srv.RequestsTo(riverytest.RouteRunStatus)) > 0 })
		cancel(signalError{os.Interrupt})
	}()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"run", slowRiver, "--wait", "--poll-interval", "20ms"}, &out, &errOut); code != 130 {
		t.Fatalf("exit %d: %s%s", code, &out, &errOut)
	}
	_, body := recv.only(t)
	if _, spans := readTrace(t, body); attr(spans[0].Attributes, keyExitCode) != "130" || spans[0].Status.Message != "exit 130: stopped by SIGINT" {
		t.Errorf("root %+v", spans[0])
	}
}

// An export that fails is a warning naming the receiver's scheme and host
// only; the exit status is the command's.
func TestTraceExportFailureIsAWarning(t *testing.T) {
	fake(t, true)
	recv := newReceiver(t)
	recv.status = http.StatusServiceUnavailable
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", recv.URL+"/v1/traces?api_key=s3cret")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20hdr-s3cret")
	code, out, errOut := invoke("run", okRiver, "--wait", pollFlagArg)
	if code != exitOK || !strings.Contains(errOut, "rivery: warning: trace export to "+recv.URL+": HTTP 503\n") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", closed.URL+"/v1/traces?api_key=s3cret")
	code, out, errOut = invoke("run", failRiver, "--wait", pollFlagArg)
	if code != exitFailed || !strings.Contains(errOut, "rivery: warning: trace export to "+closed.URL+": connection refused\n") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "s3cret") || strings.Contains(errOut, "api_key") {
		t.Errorf("a secret of the endpoint or headers is printed:\n%s", errOut)
	}
}

// Without --trace-stdout or an OTEL_* export the command has no trace:
// the client gets no observer, and nothing is written.
func TestNoTraceUnlessAsked(t *testing.T) {
	fake(t, true)
	c := &cli{stdout: io.Discard, stderr: io.Discard}
	c.cmd = c.root()
	c.startTrace(context.Background())
	if c.trace != nil {
		t.Fatal("a trace without asking")
	}
	opts, err := c.options()
	if err != nil {
		t.Fatal(err)
	}
	c.trace = &tracer{}
	traced, _ := c.options()
	if len(traced) != len(opts)+1 {
		t.Errorf("options: %d without a trace, %d with: want one more, the observer", len(opts), len(traced))
	}
	t.Setenv("OTEL_SDK_DISABLED", "true")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	if code, _, errOut := invoke("run", okRiver, "--wait", pollFlagArg); code != exitOK || strings.Contains(errOut, "resourceSpans") || strings.Contains(errOut, "warning") {
		t.Errorf("OTEL_SDK_DISABLED: exit %d: %s", code, errOut)
	}
}

func TestReadTraceConfig(t *testing.T) {
	for _, tt := range []struct {
		name     string
		env      map[string]string
		endpoint string // "" for none
		console  bool
		notes    []string
		headers  http.Header
		timeout  time.Duration
	}{
		{name: "nothing set"},
		{name: "the base endpoint gets /v1/traces", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318"}, endpoint: "http://localhost:4318/v1/traces"},
		{name: "the traces endpoint is used as it is", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://b/x"}, endpoint: "https://b/x"},
		{name: "disabled", env: map[string]string{"OTEL_SDK_DISABLED": "TRUE", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_TRACES_EXPORTER": "console"}},
		{name: "exporter none", env: map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318"}},
		{name: "exporter console", env: map[string]string{"OTEL_TRACES_EXPORTER": "console"}, console: true},
		{name: "exporters otlp and console", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp, console", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318/"}, endpoint: "http://localhost:4318/v1/traces", console: true},
		{name: "grpc is refused", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			notes: []string{"OTEL_EXPORTER_OTLP_PROTOCOL is grpc: the CLI sends OTLP over http/json only (an OTLP/HTTP receiver, port 4318): no trace is exported"}},
		{name: "http/protobuf is sent as JSON", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}, endpoint: "http://localhost:4318/v1/traces"},
		{name: "not a URL", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318?key=s3cret"},
			notes: []string{"OTEL_EXPORTER_OTLP_ENDPOINT is not an http:// or https:// URL: no trace is exported"}},
		{name: "headers, the traces' win", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector", "OTEL_EXPORTER_OTLP_HEADERS": "a=1,b=x%2Cy,bad,host=evil",
			"OTEL_EXPORTER_OTLP_TRACES_HEADERS": "a=2"}, endpoint: "https://collector/v1/traces", headers: http.Header{"A": {"2"}, "B": {"x,y"}},
			notes: []string{"OTEL_EXPORTER_OTLP_HEADERS: an entry is not key=value and is left out", "OTEL_EXPORTER_OTLP_HEADERS: a header is not valid in HTTP and is left out"}},
		{name: "headers in clear text", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector.example:4318", "OTEL_EXPORTER_OTLP_HEADERS": "api-key=s3cret"},
			endpoint: "http://collector.example:4318/v1/traces", headers: http.Header{"Api-Key": {"s3cret"}}, notes: []string{"the OTLP headers go in clear text to http://collector.example:4318: use https://"}},
		{name: "timeout", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_TIMEOUT": "2500"}, endpoint: "http://127.0.0.1:4318/v1/traces", timeout: 2500 * time.Millisecond},
		{name: "a bad timeout", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "10s"}, endpoint: "http://127.0.0.1:4318/v1/traces",
			notes: []string{"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: want milliseconds, a whole number above 0; using 10s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := readTraceConfig(func(name string) string { return tt.env[name] })
			endpoint := ""
			if cfg.otlp != nil {
				endpoint = cfg.otlp.endpoint.String()
			}
			if endpoint != tt.endpoint || cfg.console != tt.console || !slices.Equal(cfg.notes, tt.notes) {
				t.Errorf("endpoint %q, console %v, notes %q", endpoint, cfg.console, cfg.notes)
			}
			if tt.headers != nil && (cfg.otlp == nil || !equalHeaders(cfg.otlp.headers, tt.headers)) {
				t.Errorf("headers %v, want %v", cfg.otlp.headers, tt.headers)
			}
			want := tt.timeout
			if want == 0 {
				want = defaultExportTimeout
			}
			if cfg.otlp != nil && cfg.otlp.timeout != want {
				t.Errorf("timeout %v, want %v", cfg.otlp.timeout, want)
			}
			for _, n := range cfg.notes {
				if strings.Contains(n, "s3cret") || strings.Contains(n, "collector:4318") {
					t.Errorf("a note holds a value: %q", n)
				}
			}
		})
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if !slices.Equal(a[k], v) {
			return false
		}
	}
	return true
}
