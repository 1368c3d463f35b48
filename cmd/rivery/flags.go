package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Default --timeout of commands that make a few calls, and of run --wait.
const (
	defaultTimeout     = time.Minute
	defaultWaitTimeout = 30 * time.Minute
)

// What a command honors of the flags the commands share; each command
// defines only those, so its help lists only what it honors.
type flagKinds uint8

const (
	apiFlags   flagKinds = 1 << iota // --timeout, --environment, -v, -q
	outputOne                        // -o text|json, --json
	outputList                       // -o text|json|jsonl, --json, --jsonl
	// accountWide hides --environment of apiFlags: the command addresses
	// the account (tokens, users, ...) or the catalog, and ignores it.
	accountWide
)

// globalFlags defines --timeout, --environment (hidden when accountWide),
// --verbose and --quiet on fs, with timeoutHelp saying what --timeout
// bounds and its default. The root and the groups define them too (hidden
// on groups), so that they may stand before the command's name.
func (c *cli) globalFlags(fs *pflag.FlagSet, timeoutHelp string, kinds flagKinds) {
	fs.Var(&durationValue{d: &c.timeout}, "timeout", timeoutHelp)
	fs.StringVar(&c.environment, "environment", "", "address this environment of the account: RIVERY_ACCOUNT_ID's, the console URL's, or the token's (asked of GET /api/me); overrides RIVERY_ENVIRONMENT_ID")
	if kinds&accountWide != 0 {
		// Still taken, as 0.2.x took it, so that a script may put
		// --environment before every command; not listed.
		_ = fs.MarkHidden("environment")
	}
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "say what a console URL gave, and print each HTTP call on stderr")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print no progress or retry lines on stderr")
	fs.BoolVar(&c.traceOut, "trace-stdout", false, "when the command ends, write its trace on stderr as one line of OTLP/JSON (stdout keeps only the command's output)")
}

// output is the output chosen with -o/--output, --json or --jsonl.
type output struct {
	format      string // "", "text", "json" or "jsonl"
	json, jsonl bool
}

// Output formats.
const (
	formatText  = "text"
	formatJSON  = "json"
	formatJSONL = "jsonl"
)

// outputFlags defines the output choice: a list also offers jsonl.
func (c *cli) outputFlags(fs *pflag.FlagSet, list bool) {
	formats := []string{formatText, formatJSON}
	what := "text, or json (one JSON document)"
	if list {
		formats = append(formats, formatJSONL)
		what = "text (a table), json (one JSON array) or jsonl (one JSON object a line, printed as they arrive)"
	}
	fs.VarP(&choiceValue{v: &c.out.format, allowed: formats}, "output", "o", "print `FORMAT`: "+what)
	fs.BoolVar(&c.out.json, "json", false, "print JSON: the same as --output json")
	if list {
		fs.BoolVar(&c.out.jsonl, "jsonl", false, "print one JSON object a line: the same as --output jsonl")
	}
}

// resolve settles the output format; conflicting choices are a usage error.
func (o *output) resolve() error {
	picked := o.format
	for _, f := range []struct {
		set    bool
		format string
	}{{o.json, formatJSON}, {o.jsonl, formatJSONL}} {
		if !f.set {
			continue
		}
		if picked != "" && picked != f.format {
			return usagef("--%s and --output %s conflict: pick one output", f.format, picked)
		}
		picked = f.format
	}
	if picked == "" {
		picked = formatText
	}
	o.format = picked
	return nil
}

// durationValue is a duration flag checked as it is parsed, so a bad one
// is a usage error before anything is sent. Zero is allowed unless
// positive is set.
type durationValue struct {
	d        *time.Duration
	positive bool
}

func (v *durationValue) String() string {
	if v.d == nil || *v.d == 0 {
		return ""
	}
	return shortDuration(*v.d)
}

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return errors.New("want a duration such as 90s, 5m or 1h30m")
	case d < 0:
		return errors.New("must not be negative")
	case d == 0 && v.positive:
		return errors.New("must be positive")
	}
	*v.d = d
	return nil
}

func (*durationValue) Type() string { return "duration" }

// shortDuration writes d without zero tails: 24h, 1m, 1m30s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// choiceValue is a flag that takes one of a few words.
type choiceValue struct {
	v       *string
	allowed []string
}

func (v *choiceValue) String() string { return *v.v }

func (v *choiceValue) Set(s string) error {
	if !slices.Contains(v.allowed, s) {
		return fmt.Errorf("want %s", orList(v.allowed))
	}
	*v.v = s
	return nil
}

func (*choiceValue) Type() string { return "string" }

// budgetValue is --request-budget N/PERIOD: at most N requests in any
// PERIOD.
type budgetValue struct {
	n   *int
	per *time.Duration
}

func (v *budgetValue) String() string {
	if *v.n == 0 {
		return ""
	}
	return strconv.Itoa(*v.n) + "/" + shortDuration(*v.per)
}

func (v *budgetValue) Set(s string) error {
	count, period, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 1 {
		return errors.New("want N/PERIOD such as 15/1m: N a whole number, 1 or more")
	}
	per, err := time.ParseDuration(period)
	if err != nil || per <= 0 {
		return errors.New("want N/PERIOD such as 15/1m: PERIOD a positive duration")
	}
	*v.n, *v.per = n, per
	return nil
}

func (*budgetValue) Type() string { return "N/PERIOD" }

// countValue is a whole number, zero or more.
type countValue struct{ n *int }

func (v *countValue) String() string {
	if *v.n == 0 {
		return ""
	}
	return strconv.Itoa(*v.n)
}

func (v *countValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("want a whole number, 0 or more")
	}
	*v.n = n
	return nil
}

func (*countValue) Type() string { return "int" }

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
