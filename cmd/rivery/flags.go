package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

// errHelpShown ends a command after its --help was printed.
var errHelpShown = errors.New("help shown")

// Default --timeout of commands that make a few calls, and of run --wait.
const (
	defaultTimeout     = time.Minute
	defaultWaitTimeout = 30 * time.Minute
)

// flags returns a flag set for the running command with the flags every
// command takes already defined. It prints nothing itself: parse does.
func (c *cli) flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.spec.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.DurationVar(&c.timeout, "timeout", 0, "give up after this long and exit 124 (default 1m; 30m for run --wait)")
	fs.StringVar(&c.environment, "environment", "", "address this environment of the account (RIVERY_ACCOUNT_ID's, the console URL's, or the token's from GET /api/me; overrides RIVERY_ENVIRONMENT_ID)")
	fs.BoolVar(&c.verbose, "verbose", false, "report retried calls on stderr (always shown on a terminal)")
	return fs
}

// printHelp writes the command's help: its usage line, what it does and
// its flags.
func (c *cli) printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n\nFlags:\n", c.spec.usageLine(), c.spec.summary)
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  " + flagName(f.Name)
		if kind != "" {
			line += " " + kind
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, usage)
	})
}

// flagName is how help writes a flag: -f for a one-letter name, --name
// otherwise (Go's flag package takes either form for both).
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// parse reads flags that may stand before, between or after the positional
// arguments, and checks that there are exactly want of those. Everything
// after "--" is positional. --help prints the help once, on stdout.
func (c *cli) parse(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.printHelp(c.stdout, fs)
				return nil, errHelpShown
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...) // the flags ended at "--"
			break
		}
		if len(rest) > 0 {
			pos = append(pos, rest[0])
			rest = rest[1:]
		}
		args = rest
	}
	switch {
	case c.timeout < 0:
		return nil, usagef("--timeout must not be negative")
	case len(pos) != want:
		return nil, usagef("%s takes %d argument(s), got %d", fs.Name(), want, len(pos))
	}
	return pos, nil
}

// deadline bounds ctx by --timeout, or by the default for a command that
// waits (long) or not.
func (c *cli) deadline(ctx context.Context, long bool) (context.Context, context.CancelFunc) {
	c.bound = c.timeout
	if c.bound == 0 {
		c.bound = defaultTimeout
		if long {
			c.bound = defaultWaitTimeout
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.bound)
	c.bounded = ctx
	return ctx, cancel
}

// printJSON writes v as indented JSON.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table writes rows aligned under header.
func (c *cli) table(header string, rows [][]string) error {
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
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

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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
