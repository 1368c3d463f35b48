package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/rivery-go/rivery"
)

// tracer records the trace of one command on the SDK's observer hook
// (rivery.WithObserver), without OpenTelemetry: the CLI is in the core
// module, which does not import it. The trace has a root span for the
// command and a span for each API call, HTTP attempt and wait the command
// makes, named and attributed by the SDK's own helpers (SpanName,
// StartAttrs, EndAttrs, StatusAttrs), so its names and keys are those of
// the otel module. When the command ends (flushTrace) it is written as
// OTLP/JSON (trace_otlp.go): on stderr with --trace-stdout, and POSTed to
// the OTLP/HTTP endpoint the OTEL_* variables name.
type tracer struct {
	traceID  [16]byte
	resource []otlpKV

	stdout bool          // write the trace on stderr
	otlp   *otlpExporter // nil: no OTLP export

	mu      sync.Mutex
	root    *span
	spans   []*span // the root first, then in start order
	dropped int     // spans not recorded, past maxSpans
	closed  bool    // the trace is flushed: later events are ignored
}

var _ rivery.Observer = (*tracer)(nil)

// maxSpans bounds a trace's memory (about 1 KB a span): a wait of a day
// makes some 3,000 status calls, two spans each.
const maxSpans = 20000

// Span kinds, as OTLP numbers them.
const (
	kindInternal = 1
	kindClient   = 3
)

// Attributes of the root span: the command's path (rivery.cli.command)
// and, at its end, the exit status (OpenTelemetry's process.exit.code).
const (
	keyCLICommand = "rivery.cli.command"
	keyExitCode   = "process.exit.code"
)

// span is one span of the trace.
type span struct {
	id, parent [8]byte // parent zero: the root
	name       string
	kind       int
	start, end time.Time
	attrs      []rivery.Attr
	events     []spanEvent
	failure    string // status Error with this description, when not ""
	ended      bool
}

// spanEvent is an event of a span: a status a wait saw.
type spanEvent struct {
	name  string
	at    time.Time
	attrs []rivery.Attr
}

// spanKey keys the span a context's work belongs to (a nil *span: one
// not recorded, past maxSpans).
type spanKey struct{}

// startTrace begins the command's trace when --trace-stdout or the OTEL_*
// variables ask for one: the root span "rivery <command>", kind internal,
// whose only attribute is the command's path (never a flag's value or an
// argument). It returns ctx holding the root. A variable it cannot use is
// a warning and no export; tracing off leaves c.trace nil, so the client
// gets no observer and spends nothing on one.
func (c *cli) startTrace(ctx context.Context) context.Context {
	cfg := readTraceConfig(os.Getenv)
	for _, note := range cfg.notes {
		c.errLine("rivery: warning: " + note)
	}
	if !c.traceOut && !cfg.console && cfg.otlp == nil {
		return ctx
	}
	t := &tracer{stdout: c.traceOut || cfg.console, otlp: cfg.otlp, resource: cfg.resource}
	_, _ = rand.Read(t.traceID[:]) // never fails (crypto/rand)
	c.trace = t
	cmd := cmdName(c.cmd)
	return t.begin(ctx, "rivery "+cmd, kindInternal, time.Now(), []rivery.Attr{{Key: keyCLICommand, Kind: rivery.AttrString, Str: cmd}})
}

// flushTrace ends the trace with the command's exit status and exports
// it: to the OTLP endpoint, then on stderr as the last line (so that
// `tail -n 1` takes it). It runs once the command has returned, whatever
// ended it (a timeout, a signal), with a context of its own bounded by the
// export timeout. An export that fails is a warning on stderr; it never
// changes the exit status.
func (c *cli) flushTrace(ctx context.Context, code int) {
	t := c.trace
	if t == nil {
		return
	}
	body, err := t.encode(t.close(code, time.Now()))
	if err != nil { // cannot happen: the spans are plain values
		c.errLine("rivery: warning: the trace could not be written: " + err.Error())
		return
	}
	if t.dropped > 0 {
		c.errLine(fmt.Sprintf("rivery: warning: the trace holds its first %d spans; %d more were not recorded", maxSpans, t.dropped))
	}
	if t.otlp != nil {
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.otlp.timeout)
		err := t.otlp.export(ectx, body)
		cancel()
		if err != nil {
			c.errLine("rivery: warning: " + err.Error())
		}
	}
	if t.stdout {
		c.errMu.Lock()
		defer c.errMu.Unlock()
		_, _ = c.stderr.Write(append(body, '\n'))
	}
}

// close ends the root span at the time at with the exit status (status
// Error, described by the status's meaning, unless 0), ends any span still
// open (a call in flight when the command ended) as unfinished, and stops
// recording. It returns the spans.
func (t *tracer) close(code int, at time.Time) []*span {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	r := t.root
	r.attrs = setAttrs(r.attrs, []rivery.Attr{{Key: keyExitCode, Kind: rivery.AttrInt, Int: int64(code)}})
	r.end, r.ended, r.failure = at, true, exitMeaning(code)
	for _, s := range t.spans {
		if !s.ended {
			s.end, s.ended, s.failure = at, true, "unfinished when the command ended"
		}
	}
	return t.spans
}

// exitMeaning describes a failing exit status, for the root span's
// status: fixed words, never an error's text (a server's message may echo
// a secret). "" for 0.
func exitMeaning(code int) string {
	switch code {
	case exitOK:
		return ""
	case exitFailed:
		return "exit 1: a run did not succeed"
	case exitError:
		return "exit 2: a usage or API error"
	case exitTimeout:
		return "exit 124: --timeout ran out"
	case 130:
		return "exit 130: stopped by SIGINT"
	case 143:
		return "exit 143: stopped by SIGTERM"
	}
	return fmt.Sprintf("exit %d", code)
}

// begin starts a span named name as a child of ctx's span (the root when
// ctx has none: the shared poller's calls, made for every wait, run in a
// context of their own) and returns ctx holding it. The first span is the
// root.
func (t *tracer) begin(ctx context.Context, name string, kind int, start time.Time, attrs []rivery.Attr) context.Context {
	s := &span{name: name, kind: kind, start: start, attrs: slices.Clone(attrs)}
	_, _ = rand.Read(s.id[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.closed:
		return ctx
	case t.root == nil:
		t.root = s
	case len(t.spans) >= maxSpans:
		t.dropped++
		return context.WithValue(ctx, spanKey{}, (*span)(nil))
	default:
		s.parent = t.root.id
		if p, _ := ctx.Value(spanKey{}).(*span); p != nil {
			s.parent = p.id
		}
	}
	t.spans = append(t.spans, s)
	return context.WithValue(ctx, spanKey{}, s)
}

// spanIn returns the span ctx's work belongs to, or nil when it is not
// recorded or the trace is closed. Called with t.mu held.
func (t *tracer) spanIn(ctx context.Context) *span {
	s, _ := ctx.Value(spanKey{}).(*span)
	if t.closed || s == nil || s.ended || s == t.root {
		return nil
	}
	return s
}

// finish ends ctx's span at the time at, adding attrs (a key set before is
// replaced); a failure makes its status Error.
func (t *tracer) finish(ctx context.Context, attrs []rivery.Attr, failure string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.spanIn(ctx); s != nil {
		s.attrs = setAttrs(s.attrs, attrs)
		s.end, s.ended, s.failure = at, true, failure
	}
}

// setAttrs sets each of add in attrs: replaced where its key is, else
// appended (OTLP wants each key once).
func setAttrs(attrs, add []rivery.Attr) []rivery.Attr {
	for _, a := range add {
		i := slices.IndexFunc(attrs, func(b rivery.Attr) bool { return b.Key == a.Key })
		if i < 0 {
			attrs = append(attrs, a)
		} else {
			attrs[i] = a
		}
	}
	return attrs
}

// CallStart starts the call's span (kind client).
func (t *tracer) CallStart(ctx context.Context, e rivery.CallEvent) context.Context {
	var buf [12]rivery.Attr
	return t.begin(ctx, e.SpanName(), kindClient, e.Start, e.StartAttrs(buf[:0]))
}

// CallEnd ends the call's span with its status, error type and resends.
func (t *tracer) CallEnd(ctx context.Context, e rivery.CallEvent) {
	var buf [8]rivery.Attr
	t.finish(ctx, e.EndAttrs(buf[:0]), e.ErrorType, e.Start.Add(e.Duration))
}

// AttemptStart starts the attempt's span (kind client), a child of the
// call's. No trace header is sent to Rivery.
func (t *tracer) AttemptStart(ctx context.Context, e rivery.AttemptEvent) context.Context {
	var buf [12]rivery.Attr
	return t.begin(ctx, e.SpanName(), kindClient, e.Start, e.StartAttrs(buf[:0]))
}

// AttemptEnd ends the attempt's span with its status and error type.
func (t *tracer) AttemptEnd(ctx context.Context, e rivery.AttemptEvent) {
	var buf [4]rivery.Attr
	t.finish(ctx, e.EndAttrs(buf[:0]), e.ErrorType, e.Start.Add(e.Duration))
}

// WaitStart starts the wait's span (kind internal).
func (t *tracer) WaitStart(ctx context.Context, e rivery.WaitEvent) context.Context {
	var buf [8]rivery.Attr
	return t.begin(ctx, e.SpanName(), kindInternal, e.Start, e.StartAttrs(buf[:0]))
}

// WaitStatus adds a rivery.run.status event to the wait's span when the
// status changed.
func (t *tracer) WaitStatus(ctx context.Context, e rivery.WaitEvent) {
	if !e.Changed {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.spanIn(ctx); s != nil {
		s.events = append(s.events, spanEvent{name: rivery.EventRunStatus, at: e.SeenAt, attrs: e.StatusAttrs(nil)})
	}
}

// WaitEnd ends the wait's span with the run's outcome: status Error unless
// the run succeeded, described by the outcome.
func (t *tracer) WaitEnd(ctx context.Context, e rivery.WaitEvent) {
	var buf [12]rivery.Attr
	failure := ""
	if e.Outcome() != string(rivery.StatusSucceeded) {
		failure = e.Outcome()
	}
	t.finish(ctx, e.EndAttrs(buf[:0]), failure, e.Start.Add(e.Duration))
}
