package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/rivery-go/rivery/riverytest"
)

// On a terminal, run --wait shows one live line (river, run, status, time
// waited, next check), rewritten in place; a retry line goes above it.
// The terminal is a pseudo-terminal on stderr; stdout stays a pipe.
func TestProgressLineOnATerminal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no pseudo-terminal")
	}
	bin := buildBinary(t)
	srv := fake(t, true)
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
	code, got, out := onTerminal(t, bin, "run", slowRiver, "--wait", "--timeout", "4s", "--poll-interval", "300ms")
	runID := srv.RequestsTo(riverytest.RouteRunStatus)[0].Path
	runID = runID[strings.LastIndexByte(runID, '/')+1:]
	if code != exitTimeout || out != "" {
		t.Errorf("exit %d, stdout %q; want 124 and nothing (no --json)", code, out)
	}
	screenShows(t, got,
		"\r\x1b[Kriver "+slowRiver+"  run "+runID+"  pending  0s  next check ",
		"\r\x1b[Kriver "+slowRiver+"  run "+runID+"  running  ",
		"next check in ",
		"\r\x1b[Krivery: HTTP 503; retrying (attempt 2 of 5) in ",
	)
}

// screenShows checks that the terminal got each of wants, and none of the
// plain lines of a log.
func screenShows(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("the terminal shows no %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "s  river ") {
		t.Errorf("plain progress lines on a terminal:\n%q", got)
	}
}

// onTerminal runs the binary with a pseudo-terminal of 24 lines of 200
// columns on stderr, stdout a pipe; it returns the exit status, what the
// terminal got (the terminal writes \n as \r\n) and stdout.
func onTerminal(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 200}); err != nil {
		t.Fatal(err)
	}
	cmd, out, _ := binCmd(t, bin, nil, args...)
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_ = tty.Close() // the child holds it now
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		_, _ = io.Copy(&screen, ptmx) // ends with EIO once the child is gone
		close(read)
	}()
	code := exitCode(t, cmd.Wait())
	select {
	case <-read:
	case <-time.After(30 * time.Second):
		t.Fatal("the terminal was not closed")
	}
	return code, screen.String(), out.String()
}

// A narrow terminal gets the live line with its IDs shortened, within its
// width.
func TestProgressLineFitsTheWidth(t *testing.T) {
	p := &progress{river: slowRiver, begin: time.Unix(0, 0), width: 70, label: "run 0000000000000000000000000000a006", status: "running", next: time.Unix(75, 0)}
	line := p.line(time.Unix(72, 0))
	if line != "river 63b724fc…  run 00000000…  running  1m12s  next check in 3s" {
		t.Errorf("line = %q (%d)", line, len([]rune(line)))
	}
	p.width = 40
	if line := p.line(time.Unix(72, 0)); line != "river 63b724fc…  run 00000000…  running" {
		t.Errorf("line = %q", line)
	}
	p.width = 200
	if line := p.line(time.Unix(76, 0)); line != "river "+slowRiver+"  run 0000000000000000000000000000a006  running  1m16s  next check now" {
		t.Errorf("line = %q", line)
	}
}

// On a terminal, run --wait with several rivers shows a block of live
// lines: one per river still waiting and a summary; a river whose run
// ends leaves the block as a line above it.
func TestBoardOnATerminal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no pseudo-terminal")
	}
	bin := buildBinary(t)
	fake(t, true)
	code, got, out := onTerminal(t, bin, "run", okRiver, failRiver, slowRiver, "--wait", "--timeout", "5s", "--poll-interval", "100ms")
	if code != exitTimeout || !strings.Contains(out, " of river "+slowRiver+": ") {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	screenShows(t, got,
		"\r\x1b[Jriver "+okRiver+"  triggering  0s\r\n", // the first block: every river, then the summary
		"\x1b[3A\x1b[Jriver "+okRiver+"  run ",          // redrawn in place: up to its first line, erased
		"  succeeded  after ", "river "+failRiver+"  run ", "  failed  after ",
		"\r\nriver "+slowRiver+"  run ",
		"1 of 3 rivers waiting, 1 ",
		"  last check ",
		"rivery: timed out after 5s: 1 of 3 rivers had not ended",
	)
}

// A block taller than the terminal shows the first rivers waiting and
// counts the others; lines fit the width.
func TestBoardFitsTheTerminal(t *testing.T) {
	b := &board{begin: time.Unix(0, 0), width: 60, height: 5, checked: time.Unix(70, 0)}
	for i := range 6 {
		b.rows = append(b.rows, boardRow{river: fmt.Sprintf("63d0ffee00000000000003%02d", i), label: "run 0000000000000000000000000000a00" + strconv.Itoa(i), status: "running"})
	}
	b.rows[1].ended, b.rows[1].status = true, "failed"
	lines := b.block(time.Unix(72, 0))
	want := []string{
		"river 63d0ffee…  run 00000000…  running  1m12s",
		"river 63d0ffee…  run 00000000…  running  1m12s",
		"river 63d0ffee…  run 00000000…  running  1m12s",
		"5 of 6 rivers waiting (2 not shown), 1 failed  1m12s  last ", // cut at 59 columns
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("block:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
