package main

import (
	"bytes"
	"io"
	"runtime"
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
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 200}); err != nil {
		t.Fatal(err)
	}
	cmd, out, _ := binCmd(t, bin, nil, "run", slowRiver, "--wait", "--timeout", "4s", "--poll-interval", "300ms")
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
	got := screen.String()
	runID := srv.RequestsTo(riverytest.RouteRunStatus)[0].Path
	runID = runID[strings.LastIndexByte(runID, '/')+1:]
	if code != exitTimeout || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q; want 124 and nothing (no --json)", code, out)
	}
	for _, want := range []string{
		"\r\x1b[Kriver " + slowRiver + "  run " + runID + "  pending  0s  next check ",
		"\r\x1b[Kriver " + slowRiver + "  run " + runID + "  running  ",
		"next check in ",
		"\r\x1b[Krivery: HTTP 503; retrying (attempt 2 of 5) in ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the terminal shows no %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "s  river ") { // the plain lines of a log
		t.Errorf("plain progress lines on a terminal:\n%q", got)
	}
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
