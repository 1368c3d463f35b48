package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"github.com/rivery-go/rivery"
)

// progress shows run --wait's state on stderr. On a terminal it is one
// live line, redrawn every second: the river, the run, its status, the
// time waited and when the next status call is due; the lines other code
// writes to stderr meanwhile (retries) go above it. Elsewhere it is one
// plain line per status change, for CI logs.
//
// The SDK tells of status changes (WaitOptions.OnStatus), not of each
// status call; the calls are seen through the client's logger (each HTTP
// call, attemptHandler), and the next one is due after the wait the SDK
// documents: the poll interval, doubling from its minimum to its maximum
// after each wait.
type progress struct {
	c          *cli
	river      string
	begin      time.Time // the trigger
	minI, maxI time.Duration
	live       bool
	width      int

	// Guarded by c.errMu.
	label   string
	status  rivery.RunStatus
	lastEnd time.Time // the last status call's end, or when the wait began
	waits   int       // the waits between status calls so far
	next    time.Time // when the next status call is due

	stop, done chan struct{}
}

// startProgress begins showing the wait for run of river, polled from
// minI doubling to maxI; nil with --quiet (a nil progress shows nothing).
func (c *cli) startProgress(river string, run *rivery.Run, minI, maxI time.Duration) *progress {
	if c.quiet {
		return nil
	}
	now := time.Now()
	p := &progress{c: c, river: river, begin: now, minI: minI, maxI: maxI, live: isTerminal(c.stderr), width: termWidth(c.stderr)}
	c.errMu.Lock()
	defer c.errMu.Unlock()
	p.lastEnd = now
	p.show(run)
	if p.live {
		c.live = p
		p.stop, p.done = make(chan struct{}), make(chan struct{})
		go p.tick()
	}
	return p
}

// waitStarted marks the start of the SDK's wait: status calls are timed
// from here. A wait that polls at once (WaitForRun) shows the next check
// as due now; one that waits first (WaitForGroup) after the minimum.
func (p *progress) waitStarted(waitsFirst bool) {
	if p == nil {
		return
	}
	p.c.errMu.Lock()
	defer p.c.errMu.Unlock()
	p.lastEnd, p.next = time.Now(), time.Now()
	if waitsFirst {
		p.next = p.next.Add(p.minI)
	}
	p.redraw()
}

// tick redraws the live line every second until finish.
func (p *progress) tick() { everySecond(&p.c.errMu, p.redraw, p.stop, p.done) }

// everySecond calls redraw with mu held every second until stop is
// closed, then closes done.
func everySecond(mu *sync.Mutex, redraw func(), stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			mu.Lock()
			redraw()
			mu.Unlock()
		}
	}
}

// update is WaitOptions.OnStatus: the run (or group) as last seen.
func (p *progress) update(r *rivery.Run) {
	if p == nil {
		return
	}
	p.c.errMu.Lock()
	defer p.c.errMu.Unlock()
	p.show(r)
}

// show records r and prints it: a plain line when its status changed, or
// the live line. Called with c.errMu held.
func (p *progress) show(r *rivery.Run) {
	changed := r.Status != p.status
	p.label, p.status = runLabel(r), r.Status
	switch {
	case p.live:
		p.redraw()
	case changed:
		statusLine(p.c.stderr, p.begin, p.river, p.label, p.status)
	}
}

// statusLine writes the plain line of a status change (for a log): the
// time since begin, the river, the run and its status.
func statusLine(w io.Writer, begin time.Time, river, label string, status rivery.RunStatus) {
	fmt.Fprintf(w, "%6.1fs  river %s  %s  %s\n", time.Since(begin).Seconds(), printable(river), label, printable(string(status)))
}

// liveView holds the live lines on a terminal while run --wait waits: the
// line of one run (progress) or the lines of several rivers (board).
type liveView interface {
	// above writes line above the live lines. Called with c.errMu held.
	above(line string)
	// polled records an HTTP call to path that ended at end after d.
	polled(path string, end time.Time, d time.Duration)
}

// polled records a status call that ended at end after taking d: a call
// that began well after the last one ended followed one of the SDK's
// waits, which double. Calls to other paths are not status calls.
func (p *progress) polled(path string, end time.Time, d time.Duration) {
	if p == nil || !statusCall.MatchString(path) {
		return
	}
	p.c.errMu.Lock()
	defer p.c.errMu.Unlock()
	if end.Add(-d).Sub(p.lastEnd) >= p.minI/2 {
		p.waits++
	}
	p.lastEnd = end
	wait := p.minI
	for range p.waits {
		if wait >= p.maxI {
			break
		}
		wait *= 2
	}
	p.next = end.Add(min(wait, p.maxI))
	p.redraw()
}

// above writes line above the live line. Called with c.errMu held.
func (p *progress) above(line string) {
	fmt.Fprintf(p.c.stderr, "\r\033[K%s\n", line)
	p.redraw()
}

// redraw rewrites the live line. Called with c.errMu held.
func (p *progress) redraw() {
	if !p.live {
		return
	}
	fmt.Fprint(p.c.stderr, "\r\033[K"+p.line(time.Now()))
}

// line is the live line at now, cut to the terminal's width: IDs are
// shortened first.
func (p *progress) line(now time.Time) string {
	next := "now"
	if wait := p.next.Sub(now); wait > 0 {
		next = "in " + elapsed((wait + time.Second - 1).Truncate(time.Second))
	}
	build := func(short func(string) string) string {
		return fmt.Sprintf("river %s  %s  %s  %s  next check %s", short(printable(p.river)), shortLabel(p.label, short),
			printable(string(p.status)), elapsed(now.Sub(p.begin).Truncate(time.Second)), next)
	}
	return fitLine(p.width, build)
}

// fitLine is the line build writes, within width columns: with whole IDs
// when it fits, else with IDs shortened, else cut.
func fitLine(width int, build func(short func(string) string) string) string {
	s := build(func(id string) string { return id })
	if utf8.RuneCountInString(s) >= width {
		s = build(shortID)
	}
	if r := []rune(s); len(r) >= width {
		s = string(r[:max(width-1, 0)])
	}
	return s
}

// finish ends the live line (leaving it, final, on the screen).
func (p *progress) finish() {
	if p == nil || !p.live {
		return
	}
	close(p.stop)
	<-p.done
	p.c.errMu.Lock()
	defer p.c.errMu.Unlock()
	p.next = time.Time{}
	p.redraw()
	fmt.Fprintln(p.c.stderr)
	p.c.live = nil
}

// shortLabel shortens the ID in "run <id>" or "run group <id>".
func shortLabel(label string, short func(string) string) string {
	i := strings.LastIndexByte(label, ' ')
	return label[:i+1] + short(label[i+1:])
}

// shortID keeps an ID's first 8 characters, for a narrow terminal.
func shortID(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:8] + "…"
}

// elapsed writes d as 12s, 1m05s or 1h02m.
func elapsed(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// termWidth is w's width in columns when it is a terminal, else 80.
func termWidth(w any) int {
	if f, ok := w.(*os.File); ok {
		if ws, err := pty.GetsizeFull(f); err == nil && ws.Cols > 0 {
			return int(ws.Cols)
		}
	}
	return 80
}

// statusCall matches the path of a status call: the console API's
// check_run and the v1 API's run; activitiesCall the environment-wide
// activities call of the shared poller.
var (
	statusCall     = regexp.MustCompile(`(/api/check_run|/rivers/[^/]+/runs/[^/]+)$`)
	activitiesCall = regexp.MustCompile(`/environments/[^/]+/activities$`)
)

// attemptHandler receives the SDK's record of each HTTP attempt (method,
// host, path, status, attempt, duration: never headers, queries or
// bodies). With --verbose it prints each; during run --wait it tells the
// progress of each status call.
type attemptHandler struct{ c *cli }

func (h attemptHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h attemptHandler) Handle(_ context.Context, r slog.Record) error {
	var method, host, path string
	var status int64
	var d time.Duration
	retried := false
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "host":
			host = a.Value.String()
		case "path":
			path = a.Value.String()
		case "status":
			status = a.Value.Int64()
		case "duration":
			d = a.Value.Duration()
		case "retry":
			retried = a.Value.Bool()
		}
		return true
	})
	if h.c.verbose {
		outcome := "no answer"
		if status != 0 {
			outcome = fmt.Sprint(status)
		}
		h.c.errLine(fmt.Sprintf("rivery: %s %s%s: %s in %v", method, host, path, outcome, d.Round(time.Millisecond)))
	}
	if retried {
		return nil
	}
	h.c.errMu.Lock()
	live := h.c.live // the shared poller's calls come from a goroutine of its own
	h.c.errMu.Unlock()
	if live != nil {
		live.polled(path, r.Time, d)
	}
	return nil
}

func (h attemptHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

func (h attemptHandler) WithGroup(string) slog.Handler { return h }
