package main

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// FuzzParseArgs checks the positionals the command line parser (cobra's
// Find, then the command's flag set, as Execute does) gives for any
// arguments against the flag rules: a flag that takes a value takes the
// next argument whatever it is ("--" and "-x" included), a bool takes
// none, "--" not taken as a value ends the flags, and "-" is positional.
// The arguments follow "rivers list", whose flags have every kind: bools
// with shorthands (-v, -q, -h), strings, a duration and a choice (-o).
func FuzzParseArgs(f *testing.F) {
	for _, seed := range []string{
		"--name\x00--\x00x\x00--json",
		"--environment\x00--\x00x\x00--json",
		"-o\x00json\x00--\x00-v",
		"-ojson\x00x\x00-vq",
		"--timeout=5s\x00-\x00--group\x00-v",
		"--json=false\x00a\x00--\x00--name",
		"-qo\x00text",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		root := (&cli{}).root()
		cmd, rest, err := root.Find(append([]string{"rivers", "list"}, args...))
		if err != nil || cmd.CommandPath() != "rivery rivers list" {
			t.Fatalf("Find(%q) = %s, %v", args, cmd.CommandPath(), err)
		}
		if !slices.Equal(rest, args) {
			t.Fatalf("Find(%q) left %q to the command", args, rest)
		}
		cmd.InitDefaultHelpFlag()
		want, ok := flagRules(cmd.Flags(), args)
		err = cmd.ParseFlags(rest)
		var invalid *pflag.InvalidValueError
		switch {
		case err == nil && !ok:
			t.Fatalf("%q parsed, but the rules refuse it", args)
		case err != nil && ok && !errors.As(err, &invalid): // a value its flag refuses is an error the rules cannot see
			t.Fatalf("%q: %v, but the rules accept it", args, err)
		case err == nil && !slices.Equal(cmd.Flags().Args(), want):
			t.Fatalf("%q: positionals %q, the rules give %q", args, cmd.Flags().Args(), want)
		}
	})
}

// flagRules returns the positionals of args by the flag rules, and false
// where the rules refuse args (an unknown flag, a value missing).
func flagRules(fs *pflag.FlagSet, args []string) ([]string, bool) {
	pos := []string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(pos, args[i+1:]...), true
		case strings.HasPrefix(a, "--"):
			name, _, hasValue := strings.Cut(a[2:], "=")
			f := fs.Lookup(name)
			if f == nil || name == "" || strings.HasPrefix(name, "-") {
				return nil, false
			}
			if !hasValue && f.NoOptDefVal == "" {
				if i+1 == len(args) {
					return nil, false
				}
				i++ // the value, whatever it is
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			short := a[1:]
			for j := 0; j < len(short); j++ {
				f := fs.ShorthandLookup(short[j : j+1])
				if f == nil {
					return nil, false
				}
				if j+1 < len(short) && short[j+1] == '=' || f.NoOptDefVal == "" && j+1 < len(short) {
					break // the rest of the argument is the value
				}
				if f.NoOptDefVal == "" {
					if i+1 == len(args) {
						return nil, false
					}
					i++
				}
			}
		default:
			pos = append(pos, a)
		}
	}
	return pos, true
}
