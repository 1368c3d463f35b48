package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/creack/pty"
)

// printJSON writes v as one indented JSON document.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// lineEncoder writes one JSON value a line (--jsonl).
func (c *cli) lineEncoder() *json.Encoder {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	return enc
}

// table writes rows aligned under header on stdout.
func (c *cli) table(header string, rows [][]string) error {
	return writeTable(c.stdout, header, rows)
}

// writeTable writes rows aligned under header (both tab-separated).
func writeTable(w io.Writer, header string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, cell := range r {
			cells[i] = printable(cell)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// println writes one line of server text to stdout, made printable.
func (c *cli) println(line string) error {
	_, err := fmt.Fprintln(c.stdout, printable(line))
	return err
}

// errLine writes one line to stderr. While run --wait shows a live status
// line, the line is written above it.
func (c *cli) errLine(line string) {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.live != nil {
		c.live.above(line)
		return
	}
	fmt.Fprintln(c.stderr, line)
}

// note writes an informational line to stderr, unless --quiet.
func (c *cli) note(format string, args ...any) {
	if !c.quiet {
		c.errLine(fmt.Sprintf(format, args...))
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	// /dev/null is a character device too: only a terminal has a size.
	_, err = pty.GetsizeFull(f)
	return err == nil
}

// printable escapes the control characters of text that came from the
// server (names, messages, logs), so that it can neither break lines nor
// drive the terminal.
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plural writes n and noun, with an s unless n is 1: "1 variable".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
