package main

import (
	"context"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rivery-go/rivery"
)

// spec is one command: its usage line and help, the shared flags it
// honors and its body. Its positionals are read from use: "<river>" is
// required, "[<run-id>]" optional, "<river>..." one or more; a positional
// named <river> takes a river ID or console URL (replaced by the river ID
// before run sees it), and positionals with a completer (complete.go) are
// completed from the API.
type spec struct {
	use     string // "get <river> <run-id>"
	short   string // one line, for the parent's list and the help
	long    string // more, when the line is not enough
	example string
	flags   flagKinds
	// timeoutHelp says what --timeout bounds, for commands whose bound is
	// not the default one minute.
	timeoutHelp string
	// waitLong, when set and true after parsing, makes the default
	// --timeout 30 minutes (run --wait).
	waitLong *bool
	// check runs after parsing and before connecting: usage errors that
	// involve more than one flag or argument.
	check func(args []string) error
	// confirm makes a changeCmd destructive: it says what the command is
	// about to do ("delete connection <id>"), asked on a terminal, and
	// adds --yes and --dry-run.
	confirm func(args []string) string
	run     func(ctx context.Context, args []string) error
}

// positional is one named positional of a spec's use line.
type positional struct {
	name     string // "<river>"
	optional bool
	repeated bool
}

// positionals parses the positionals of use (after the command's name).
func positionals(use string) []positional {
	words := strings.Fields(use)
	var out []positional
	for _, w := range words[1:] {
		p := positional{name: w}
		if inner, ok := strings.CutPrefix(w, "["); ok {
			p.name, p.optional = strings.TrimSuffix(inner, "]"), true
		}
		if name, ok := strings.CutSuffix(p.name, "..."); ok {
			p.name, p.repeated = name, true
		}
		out = append(out, p)
	}
	return out
}

// leaf builds the command s describes.
func (c *cli) leaf(s spec) *cobra.Command {
	pos := positionals(s.use)
	cmd := &cobra.Command{
		Use:     s.use,
		Short:   s.short,
		Long:    strings.TrimSpace(s.short + "\n\n" + s.long),
		Example: s.example,
		Args:    checkArgs(pos),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.started, c.cmd = true, cmd
			return c.start(cmd.Context(), s, pos, args)
		},
	}
	cmd.ValidArgsFunction = c.completeArgs(pos)
	fs := cmd.Flags()
	if s.flags&apiFlags != 0 {
		help := s.timeoutHelp
		if help == "" {
			help = "give up after this long and exit 124 (default 1m)"
		}
		c.globalFlags(fs, help, s.flags)
	}
	if s.flags&(outputOne|outputList) != 0 {
		list := s.flags&outputList != 0
		c.outputFlags(fs, list)
		formats := []cobra.Completion{formatText, formatJSON}
		if list {
			formats = append(formats, formatJSONL)
		}
		_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	}
	return cmd
}

// start runs the body of s: settle the output, read the rivers, check,
// bound the time and connect when the command calls the API.
func (c *cli) start(ctx context.Context, s spec, pos []positional, args []string) error {
	if err := c.out.resolve(); err != nil {
		return err
	}
	if err := c.readRivers(pos, args); err != nil {
		return err
	}
	if s.check != nil {
		if err := s.check(args); err != nil {
			return err
		}
	}
	if s.flags&apiFlags != 0 {
		ctx = c.startTrace(ctx)
		long := s.waitLong != nil && *s.waitLong
		var cancel context.CancelFunc
		ctx, cancel = c.deadline(ctx, long)
		defer cancel()
		if err := c.connect(ctx); err != nil {
			return err
		}
	}
	return s.run(ctx, args)
}

// readRivers replaces each <river> argument by its river ID; a console
// URL's region and IDs are kept for connect.
func (c *cli) readRivers(pos []positional, args []string) error {
	for i := range args {
		if p := positionalAt(pos, i); p == nil || p.name != "<river>" {
			continue
		}
		u, err := rivery.ParseConsoleURL(args[i])
		if err != nil {
			return err
		}
		if c.console != nil && c.console.AccountID != "" && u.AccountID != "" &&
			(u.AccountID != c.console.AccountID || u.EnvironmentID != c.console.EnvironmentID || u.Region != c.console.Region) {
			return usagef("the console URLs name different environments or regions: give rivers of one environment")
		}
		if c.console == nil || u.AccountID != "" {
			c.console = u
		}
		args[i] = u.RiverID
	}
	return nil
}

// positionalAt is the positional argument i stands for, or nil.
func positionalAt(pos []positional, i int) *positional {
	switch {
	case i < len(pos):
		return &pos[i]
	case len(pos) > 0 && pos[len(pos)-1].repeated:
		return &pos[len(pos)-1]
	}
	return nil
}

// checkArgs checks the count of positionals against pos, naming what is
// missing or extra.
func checkArgs(pos []positional) cobra.PositionalArgs {
	required := 0
	for _, p := range pos {
		if !p.optional {
			required++
		}
	}
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < required {
			var missing []string
			for _, p := range pos[len(args):] {
				if !p.optional {
					missing = append(missing, p.name)
				}
			}
			return usagef("%s needs %s", cmdName(cmd), andList(missing))
		}
		if len(pos) > 0 && pos[len(pos)-1].repeated || len(args) <= len(pos) {
			return nil
		}
		extra := args[len(pos)]
		if len(pos) == 0 {
			return usagef("%s takes no arguments, got %q", cmdName(cmd), extra)
		}
		names := make([]string, len(pos))
		for i, p := range pos {
			names[i] = p.name
		}
		return usagef("%s takes %s; %q is one argument too many", cmdName(cmd), strings.Join(names, " "), extra)
	}
}

// andList writes "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// group builds a command that only holds subcommands. Alone, or with an
// unknown subcommand, it is a usage error that lists them.
func (c *cli) group(name, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c.cmd = cmd
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			if len(args) == 0 {
				return usagef("%s needs a subcommand: %s", cmdName(cmd), orList(names))
			}
			return usagef("unknown subcommand %q of %s (want %s)%s", args[0], cmdName(cmd), orList(names), suggest(cmd, args[0]))
		},
	}
	cmd.AddCommand(subs...)
	// So that the shared flags may stand before the subcommand's name.
	c.globalFlags(cmd.Flags(), "", apiFlags)
	cmd.Flags().VisitAll(func(f *pflag.Flag) { f.Hidden = true })
	return cmd
}

// suggest is "; did you mean ...?" for a mistyped subcommand of cmd.
func suggest(cmd *cobra.Command, typed string) string {
	cmd.SuggestionsMinimumDistance = 2
	names := cmd.SuggestionsFor(typed)
	if len(names) == 0 {
		return ""
	}
	for i, n := range names {
		names[i] = strconv.Quote(n)
	}
	return "; did you mean " + orList(names) + "?"
}

// cmdName is cmd's path without "rivery ", as messages name it.
func cmdName(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// textOf prints a list as text.
type textOf[T any] func(c *cli, items []T) error

// tableOf prints a list as a table under header (tab-separated), one row
// per item.
func tableOf[T any](header string, row func(T) []string) textOf[T] {
	return func(c *cli, items []T) error {
		rows := make([][]string, len(items))
		for i, it := range items {
			rows[i] = row(it)
		}
		return c.table(header, rows)
	}
}

// listCmd is a command that prints a list: text (a table, unless text says
// otherwise), one JSON array with --json ([] when empty), or one JSON
// object a line with --jsonl, each printed as it arrives.
func listCmd[T any](c *cli, s spec, items func(ctx context.Context, args []string) iter.Seq2[T, error], text textOf[T]) *cobra.Command {
	s.flags |= apiFlags | outputList
	s.run = func(ctx context.Context, args []string) error {
		seq := items(ctx, args)
		if c.out.format == formatJSONL {
			enc := c.lineEncoder()
			for it, err := range seq {
				if err != nil {
					return err
				}
				if err := enc.Encode(it); err != nil {
					return err
				}
			}
			return nil
		}
		all, err := collect(seq)
		switch {
		case err != nil:
			return err
		case c.out.format == formatJSON:
			return c.printJSON(all)
		}
		return text(c, all)
	}
	return c.leaf(s)
}

// showCmd is a command that prints one thing: as text, or as one JSON
// document.
func showCmd[T any](c *cli, s spec, get func(ctx context.Context, args []string) (T, error), text func(w io.Writer, v T) error) *cobra.Command {
	s.flags |= apiFlags | outputOne
	s.run = func(ctx context.Context, args []string) error {
		v, err := get(ctx, args)
		switch {
		case err != nil:
			return err
		case c.out.format == formatJSON:
			return c.printJSON(v)
		}
		return text(c.stdout, v)
	}
	return c.leaf(s)
}

// actionCmd is a command that changes something and says what it did in
// one line on stdout. A command that prints what it got back (with --json)
// or destroys something (asked first, --yes, --dry-run) is a changeCmd.
func actionCmd(c *cli, s spec, do func(ctx context.Context, args []string) (string, error)) *cobra.Command {
	s.flags |= apiFlags
	s.run = func(ctx context.Context, args []string) error {
		done, err := do(ctx, args)
		if err != nil {
			return err
		}
		return c.println(done)
	}
	return c.leaf(s)
}

// collect gathers seq into a slice, empty (never nil) when seq yields
// nothing, so that its JSON is [].
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// slice yields the items of a call that returns a slice.
func slice[T any](items []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}

// mapped yields f of each item of seq.
func mapped[T, U any](seq iter.Seq2[T, error], f func(T) U) iter.Seq2[U, error] {
	return func(yield func(U, error) bool) {
		for v, err := range seq {
			var u U
			if err == nil {
				u = f(v)
			}
			if !yield(u, err) || err != nil {
				return
			}
		}
	}
}
