package rivery_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// nightlyLoad is the code under test.
func nightlyLoad(ctx context.Context, client *rivery.Client, riverID string) error {
	since := time.Now()
	_, err := client.Rivers.RunAndWait(ctx, riverID, nil)
	if rivery.MaybeApplied(err) {
		// The trigger may have started a run: wait for that one, never start a second.
		run, _, findErr := client.Rivers.FindRunSince(ctx, riverID, since)
		if findErr != nil {
			return errors.Join(err, findErr)
		}
		_, err = client.Rivers.WaitForRun(ctx, riverID, run.ID, nil)
	}
	return err
}

func TestNightlyLoad(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()

	// The server starts the run, then answers 503: nightlyLoad must wait
	// for that run, and the river must not start twice.
	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 503, Apply: true})
	if err := nightlyLoad(context.Background(), srv.Client(), "63b724fc690def001131d242"); err != nil {
		t.Fatal(err)
	}
	if n := srv.RunsStarted("63b724fc690def001131d242"); n != 1 {
		t.Fatalf("started %d runs, want 1", n)
	}
}

// Every Go block of the README and of the docs pages stands, line for line,
// in a test file of this module, where the compiler checks it.
func TestReadmeSnippetsAreCompiled(t *testing.T) {
	t.Parallel()
	var code []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			code = append(code, codeLines(string(b))...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := filepath.Glob("docs/*.md")
	total := 0
	for _, page := range append([]string{"README.md"}, docs...) {
		md, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		blocks := goBlocks(string(md))
		total += len(blocks)
		for i, block := range blocks {
			if !containsRun(code, codeLines(block)) {
				t.Errorf("%s: Go block %d is in no test file:\n%s", page, i+1, block)
			}
		}
	}
	if total < 10 {
		t.Fatalf("found %d Go blocks in README.md and docs/", total)
	}
}

func goBlocks(md string) []string {
	var blocks []string
	for rest := md; ; {
		_, after, ok := strings.Cut(rest, "```go\n")
		if !ok {
			return blocks
		}
		block, tail, _ := strings.Cut(after, "```")
		blocks = append(blocks, block)
		rest = tail
	}
}

// codeLines returns the non-blank lines of s without their indentation.
func codeLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsRun reports whether want appears as a contiguous run in have.
func containsRun(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// The Version constant matches the newest CHANGELOG entry.
func TestVersionMatchesChangelog(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n## [")
	version, _, _ := strings.Cut(rest, "]")
	if !ok || version != rivery.Version {
		t.Errorf("newest CHANGELOG entry is %q, rivery.Version is %q", version, rivery.Version)
	}
}
