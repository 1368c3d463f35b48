package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/creack/pty"

	"github.com/rivery-go/rivery"
)

// board shows on stderr the waits of run --wait given several rivers. On
// a terminal it is a block of live lines, redrawn every second: one per
// river still waiting (the river, its run, the run's status and the time
// waited), then a line that counts the rivers and says when the last
// status call ended (the shared poller's activities calls included). A
// river whose run ends, or whose trigger or wait fails, leaves the block
// as a line written above it, which stays. A block taller than the
// terminal shows the first rivers still waiting and counts the others.
// Elsewhere (a CI log) it is one plain line per status change, as for one
// river.
type board struct {
	c      *cli
	begin  time.Time
	live   bool
	width  int
	height int

	// Guarded by c.errMu.
	rows    []boardRow
	lines   int       // lines of the live block on the screen
	checked time.Time // when the last status call ended

	stop, done chan struct{}
}

// boardRow is one river's line.
type boardRow struct {
	river  string
	label  string // "run <id>" or "run group <id>"; "" before the trigger's answer
	status string
	ended  bool
	took   time.Duration // from the start to the end
}

// startBoard begins showing the waits for rivers; nil with --quiet (a nil
// board shows nothing).
func (c *cli) startBoard(rivers []string) *board {
	if c.quiet {
		return nil
	}
	b := &board{c: c, begin: time.Now(), live: isTerminal(c.stderr), width: termWidth(c.stderr), height: termHeight(c.stderr)}
	b.rows = make([]boardRow, len(rivers))
	for i, id := range rivers {
		b.rows[i] = boardRow{river: id, status: "triggering"}
	}
	if b.live {
		c.errMu.Lock()
		c.live = b
		b.redraw()
		c.errMu.Unlock()
		b.stop, b.done = make(chan struct{}), make(chan struct{})
		go b.tick()
	}
	return b
}

// update is row i's WaitOptions.OnStatus: its run (or group) as last seen.
func (b *board) update(i int, r *rivery.Run) {
	if b == nil {
		return
	}
	b.c.errMu.Lock()
	defer b.c.errMu.Unlock()
	row := &b.rows[i]
	changed := string(r.Status) != row.status
	row.label, row.status = runLabel(r), string(r.Status)
	inFlight := r.Status == rivery.StatusSkipped && r.InFlightRunID != "" // the wait goes on, for that run
	switch {
	case !b.live:
		if changed {
			statusLine(b.c.stderr, b.begin, row.river, row.label, r.Status)
		}
	case r.Status.Terminal() && !inFlight:
		b.end(row)
	default:
		b.redraw()
	}
}

// failed marks row i's river as failed with an error (reported apart).
func (b *board) failed(i int) {
	if b == nil || !b.live {
		return
	}
	b.c.errMu.Lock()
	defer b.c.errMu.Unlock()
	row := &b.rows[i]
	row.status = "error"
	b.end(row)
}

// end takes row out of the block, as a line above it. Called with
// c.errMu held.
func (b *board) end(row *boardRow) {
	row.ended, row.took = true, time.Since(b.begin)
	b.above(b.fit(row.line("after " + elapsed(row.took.Truncate(time.Second)))))
}

// polled records the end of a status call, or of the shared poller's
// activities call: the time of the last check.
func (b *board) polled(path string, end time.Time, _ time.Duration) {
	if !statusCall.MatchString(path) && !activitiesCall.MatchString(path) {
		return
	}
	b.c.errMu.Lock()
	defer b.c.errMu.Unlock()
	b.checked = end
	b.redraw()
}

// tick redraws the block every second until finish.
func (b *board) tick() { everySecond(&b.c.errMu, b.redraw, b.stop, b.done) }

// finish leaves the block, final, on the screen.
func (b *board) finish() {
	if b == nil || !b.live {
		return
	}
	close(b.stop)
	<-b.done
	b.c.errMu.Lock()
	defer b.c.errMu.Unlock()
	b.redraw()
	fmt.Fprintln(b.c.stderr)
	b.lines = 0
	b.c.live = nil
}

// above writes line above the block. Called with c.errMu held.
func (b *board) above(line string) {
	var s strings.Builder
	b.clear(&s)
	s.WriteString(line + "\n")
	b.draw(&s, time.Now())
	fmt.Fprint(b.c.stderr, s.String())
}

// redraw rewrites the block. Called with c.errMu held.
func (b *board) redraw() {
	if !b.live {
		return
	}
	var s strings.Builder
	b.clear(&s)
	b.draw(&s, time.Now())
	fmt.Fprint(b.c.stderr, s.String())
}

// clear moves to the block's first line and erases to the screen's end.
// The cursor stays at the end of the block's last line.
func (b *board) clear(s *strings.Builder) {
	s.WriteString("\r")
	if b.lines > 1 {
		fmt.Fprintf(s, "\033[%dA", b.lines-1)
	}
	s.WriteString("\033[J")
	b.lines = 0
}

// draw writes the block at now.
func (b *board) draw(s *strings.Builder, now time.Time) {
	lines := b.block(now)
	s.WriteString(strings.Join(lines, "\n"))
	b.lines = len(lines)
}

// block is the live lines at now: a line per river still waiting, as many
// as the terminal's height leaves room for, and the summary.
func (b *board) block(now time.Time) []string {
	var waiting []*boardRow
	for i := range b.rows {
		if !b.rows[i].ended {
			waiting = append(waiting, &b.rows[i])
		}
	}
	shown := waiting[:min(len(waiting), max(b.height-2, 1))]
	lines := make([]string, 0, len(shown)+1)
	for _, row := range shown {
		lines = append(lines, b.fit(row.line(elapsed(now.Sub(b.begin).Truncate(time.Second)))))
	}
	summary := b.summary(now, len(waiting), len(waiting)-len(shown))
	return append(lines, b.fit(func(func(string) string) string { return summary }))
}

// summary is the block's last line: the rivers waiting and the outcomes
// so far, the time waited and the last check.
func (b *board) summary(now time.Time, waiting, hidden int) string {
	var ended []string
	counts := map[string]int{}
	for _, row := range b.rows {
		if !row.ended {
			continue
		}
		if counts[row.status] == 0 {
			ended = append(ended, row.status)
		}
		counts[row.status]++
	}
	parts := make([]string, len(ended))
	for i, status := range ended {
		parts[i] = fmt.Sprintf("%d %s", counts[status], printable(status))
	}
	s := fmt.Sprintf("%d of %s waiting", waiting, plural(len(b.rows), "river"))
	if hidden > 0 {
		s += fmt.Sprintf(" (%d not shown)", hidden)
	}
	if len(parts) > 0 {
		s += ", " + strings.Join(parts, ", ")
	}
	s += "  " + elapsed(now.Sub(b.begin).Truncate(time.Second))
	if !b.checked.IsZero() && waiting > 0 {
		s += "  last check " + elapsed(max(now.Sub(b.checked), 0).Truncate(time.Second)) + " ago"
	}
	return s
}

// line is row's line, ending with tail (the time waited).
func (row *boardRow) line(tail string) func(short func(string) string) string {
	return func(short func(string) string) string {
		parts := []string{"river " + short(printable(row.river))}
		if row.label != "" {
			parts = append(parts, shortLabel(row.label, short))
		}
		return strings.Join(append(parts, printable(row.status), tail), "  ")
	}
}

// fit is build's line within the terminal's width.
func (b *board) fit(build func(short func(string) string) string) string {
	return fitLine(b.width, build)
}

// termHeight is w's height in lines when it is a terminal, else 24.
func termHeight(w any) int {
	if f, ok := w.(*os.File); ok {
		if ws, err := pty.GetsizeFull(f); err == nil && ws.Rows > 0 {
			return int(ws.Rows)
		}
	}
	return 24
}
