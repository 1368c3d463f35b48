package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readDoc reads a file of the repository, from cmd/rivery.
func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// shBlock returns the first ```sh block of doc after the text after.
func shBlock(t *testing.T, doc, after string) string {
	t.Helper()
	i := strings.Index(doc, after)
	if i < 0 {
		t.Fatalf("no %q", after)
	}
	start := strings.Index(doc[i:], "```sh\n")
	if start < 0 {
		t.Fatalf("no sh block after %q", after)
	}
	block, _, ok := strings.Cut(doc[i+start+len("```sh\n"):], "```")
	if !ok {
		t.Fatalf("the sh block after %q does not end", after)
	}
	return block
}

// 6. The exit codes need a built binary: the docs say that go run loses
// them (for the CLI and the quickstart alike) and show go build; and it
// is so.
func TestDocsSayGoRunLosesExitCodes(t *testing.T) {
	doc := readDoc(t, "docs/cli.md")
	for _, want := range []string{"`go run` reports every\nfailure of the program it runs as exit status 1", "go build -o rivery ./cmd/rivery",
		"`go run ./examples/quickstart` exits 1 on any failure", "go build -o quickstart ./examples/quickstart && ./quickstart"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/cli.md does not say %q", want)
		}
	}
	if testing.Short() {
		t.Skip("runs go run")
	}
	bin := buildBinary(t)
	if r := exe(t, bin, "version", "--bogus"); r.code != exitError {
		t.Fatalf("built: exit %d, want 2", r.code)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	err := exec.CommandContext(ctx, "go", "run", ".", "version", "--bogus").Run()
	if code := exitCode(t, err); code != 1 {
		t.Errorf("go run: exit %d; the docs say 1", code)
	}
}

// 12. The install works from a clone; @latest is marked as waiting for
// the module to be published.
func TestDocsInstallFromAClone(t *testing.T) {
	doc := readDoc(t, "docs/cli.md")
	install := shBlock(t, doc, "## Install")
	if !strings.Contains(install, "go install ./cmd/rivery") || strings.Contains(install, "@latest") {
		t.Errorf("the install block:\n%s", install)
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.Contains(line, "@latest") && !strings.Contains(line, "once") && !strings.Contains(line, "published") {
			t.Errorf("@latest without saying it needs the module published: %q", line)
		}
	}
}

// The walkthrough of docs/cli.md runs as written against rivery fake:
// every command does what its comment says.
func TestDocsWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("the walkthrough needs jq")
	}
	bin := buildBinary(t)
	script := shBlock(t, readDoc(t, "docs/cli.md"), "Every command in a minute")
	dir := t.TempDir()
	out, errOut := runScript(t, dir, filepath.Dir(bin), script)
	for _, want := range []string{
		"run 0000000000000000000000000000a006 of river demo: succeeded",
		"of river demo-fail: failed (demo failure: table orders is locked)",
		`"timed_out": true`, `"cancel_requested": true`, `"status": "running"`,
		"cancel requested for run ", "demo-slow\n", "deleted token ",
		"\nsucceeded\nfailed\n",                                  // two rivers at once
		"\nrivery run\nPOST /api/run\n", "\nrivery.WaitForRun\n", // the span names of a trace
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the walkthrough printed no %q:\n%s\n---\n%s", want, out, errOut)
		}
	}
	if !strings.Contains(errOut, "fake Rivery stopped") || strings.Contains(errOut, "command not found") || strings.Contains(errOut, "Usage:") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// 3. The walkthrough's wait for the fake's two lines ends when the fake
// could not start, instead of waiting forever.
func TestDocsWalkthroughStopsWhenTheFakeFails(t *testing.T) {
	script := shBlock(t, readDoc(t, "docs/cli.md"), "Every command in a minute")
	start := strings.SplitAfterN(script, "\n", 3) // the fake, and the wait for it
	dir := t.TempDir()
	stub := filepath.Join(dir, "bin")
	if err := os.Mkdir(stub, 0o700); err != nil {
		t.Fatal(err)
	}
	// A rivery whose fake cannot start: a message and exit 2, nothing on stdout.
	if err := os.WriteFile(filepath.Join(stub, "rivery"), []byte("#!/bin/sh\necho 'rivery: --addr: address in use' >&2\nexit 2\n"), 0o700); err != nil { //nolint:gosec // a script to run
		t.Fatal(err)
	}
	runScript(t, dir, stub, start[0]+start[1])
}

// runScript runs script with bash in dir, with binDir first in PATH and
// no RIVERY_* or BOOMI_* variables, bounded by two minutes; it returns
// stdout and stderr.
func runScript(t *testing.T, dir, binDir, script string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RIVERY_") && !strings.HasPrefix(kv, "BOOMI_") && !strings.HasPrefix(kv, "PATH=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("the script did not end:\n%s\n---\n%s", &out, &errOut)
	}
	if err != nil {
		t.Logf("script: %v", err)
	}
	return out.String(), errOut.String()
}

// The README's endpoint table names, in its CLI column, only commands that
// exist: "rivery runs cancel --group" (with the flag), and "set", "delete"
// after a first full command, as subcommands of its parent.
func TestReadmeTableNamesRealCommands(t *testing.T) {
	root := (&cli{}).root()
	cell := regexp.MustCompile("`([^`]+)`")
	rows := 0
	for _, line := range strings.Split(readDoc(t, "README.md"), "\n") {
		cols := strings.Split(line, "|")
		if len(cols) != 7 {
			continue
		}
		cliCell := strings.TrimSpace(cols[4])
		if cliCell == "CLI" || strings.HasPrefix(cliCell, "---") || cliCell == "not yet" || strings.Contains(cliCell, "BOOMI_") {
			continue
		}
		var parent []string
		for _, m := range cell.FindAllStringSubmatch(cliCell, -1) {
			words := strings.Fields(m[1])
			switch {
			case words[0] == "rivery":
				words = words[1:]
			case parent == nil:
				t.Errorf("%q: %q comes before a full command", cliCell, m[1])
				continue
			default:
				words = append(append([]string(nil), parent...), words...)
			}
			var path, flags []string
			for _, w := range words {
				if strings.HasPrefix(w, "-") {
					flags = append(flags, strings.TrimLeft(w, "-"))
				} else {
					path = append(path, w)
				}
			}
			cmd, rest, err := root.Find(path)
			if err != nil || len(rest) > 0 || cmd.CommandPath() != "rivery "+strings.Join(path, " ") || cmd.RunE == nil || cmd.HasSubCommands() {
				t.Errorf("README names %q: no such command (found %q)", m[1], cmd.CommandPath())
				continue
			}
			for _, f := range flags {
				if cmd.Flags().Lookup(f) == nil {
					t.Errorf("README names %q: %s has no --%s", m[1], cmd.CommandPath(), f)
				}
			}
			parent = path[:len(path)-1]
			rows++
		}
	}
	if rows < 25 {
		t.Errorf("read %d commands from the README's table; the table was not found", rows)
	}
}
