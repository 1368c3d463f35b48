package rivery

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivery-go/rivery/internal/wire"
)

// Seeds live in testdata/fuzz/<Target>; the f.Add calls below are the
// shapes each target must always handle.

func FuzzParseErrorBody(f *testing.F) {
	f.Add([]byte(`{"detail": "Data Flow x is disabled"}`))
	f.Add([]byte(`{"detail": [{"type": "missing", "loc": ["query", "start_time"], "msg": "Field required", "input": null}]}`))
	f.Add([]byte(`{"message": "River not found"}`))
	f.Add([]byte("upstream connect error"))
	f.Add([]byte(`{"detail": {"nested": true}}`))
	f.Add([]byte("{\"detail\": [{\"loc\": [\"body\", 0, {\"k\": \"\\u001b[2J\"}, \"\xff\"], \"msg\": \"\\u009b31m\", \"type\": \"\\u202e\"}]}"))
	f.Add([]byte("plain \x1b]0;title\x07 \xc2\x9b \x7f \xff"))
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, details := parseErrorBody(body)
		if !utf8.ValidString(msg) {
			t.Errorf("message %q is not valid UTF-8", msg)
		}
		checkPrintable(t, msg)
		for _, d := range details {
			checkPrintable(t, d.String())
			checkPrintable(t, d.Type)
		}
		if len(msg) > 4*len(body)+16 {
			t.Errorf("message of %d bytes from a body of %d", len(msg), len(body))
		}
	})
}

func FuzzDecodeRun(f *testing.F) {
	f.Add([]byte(`{"run_id":"r","river_id":"v","river_run_status":"W","run_insert_date":1732701600000,"run_end_date":null}`))
	f.Add([]byte(`{"run_group_id":"g","river_cross_id":"v","runs":[{"run_id":"r","status":"pending"}]}`))
	f.Add([]byte(`{"run_id":"r","status":"succeeded","start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":"2026-11-27 10:02:05.5"}`))
	f.Add([]byte(`{"run_insert_date":"1732701600000","run_end_date":1e300}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var cr wire.ConsoleRun
		if json.Unmarshal(body, &cr) == nil {
			checkRun(t, runFromConsole(&cr), true)
		}
		var vr wire.Run
		if json.Unmarshal(body, &vr) == nil {
			checkRun(t, runFromV1(&vr), false)
		}
		var g wire.RunGroup
		if json.Unmarshal(body, &g) == nil {
			if run := runFromGroup(&g, "river"); run != nil {
				checkRun(t, run, false)
			} else {
				for _, w := range g.Runs {
					if w.RunID != "" {
						t.Errorf("a group naming run %q gave no run", w.RunID)
					}
				}
			}
		}
	})
}

func checkRun(t *testing.T, r *Run, console bool) {
	t.Helper()
	if r.Group != nil {
		for _, sub := range r.Group.Runs {
			if sub.Group != nil {
				t.Errorf("run %+v of a group points to a group", sub)
			}
			checkRun(t, sub, console)
		}
		if r.Group.Runs[0].ID != r.ID || r.Group.ID != r.GroupID || (r.Status == StatusSucceeded) != allSucceeded(r.Group.Runs) {
			t.Errorf("group %+v does not stand for its runs", r)
		}
		return
	}
	want := ParseRunStatus(r.RawStatus)
	switch {
	case console && strings.TrimSpace(r.RawStatus) == "":
		want = StatusPending
	case want == StatusFailed && isCancelMessage(r.Message):
		want = StatusCanceled
	}
	if r.Status != want {
		t.Errorf("status %q does not match raw %q", r.Status, r.RawStatus)
	}
	if !r.StartedAt.IsZero() && r.StartedAt.Location().String() != "UTC" {
		t.Errorf("StartedAt %v not in UTC", r.StartedAt)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("run %+v cannot be written as JSON: %v", r, err)
	}
	if msg := (&RunError{Run: r}).Error(); strings.ContainsFunc(msg, unsafeRune) || !utf8.ValidString(msg) {
		t.Errorf("RunError text %q is not safe to print", msg)
	}
}

// checkPrintable fails unless s is valid UTF-8 without a rune safeText
// replaces.
func checkPrintable(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unsafeRune) {
		t.Errorf("%q is not safe to print", s)
	}
}

// Whatever the text, safeText leaves nothing unsafe and keeps what was safe.
func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"plain", "tab\there", "\x1b[31mred\x1b[0m", "\u009b2J", "\xff\xfe", "\u202eevil", "line\u2028sep", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safeText(s)
		checkPrintable(t, out)
		if utf8.ValidString(s) && !strings.ContainsFunc(s, unsafeRune) && out != s {
			t.Errorf("safeText(%q) = %q, want it unchanged", s, out)
		}
	})
}

// Whatever the text, no tokenPiece-byte piece of the token survives scrub.
func FuzzScrubToken(f *testing.F) {
	const token = "XYZtok-9f8e7d6c5b4a3210-secret"
	f.Add("echo " + token + " back")
	f.Add("piece 9f8e7d6c and c5b4a3210-se")
	f.Add(token[:7] + "|" + token[7:])
	f.Fuzz(func(t *testing.T, text string) {
		out := newSecret("Bearer " + token).scrub(text)
		for i := 0; i+tokenPiece <= len(token); i++ {
			if strings.Contains(out, token[i:i+tokenPiece]) {
				t.Fatalf("scrub(%q) = %q keeps %q", text, out, token[i:i+tokenPiece])
			}
		}
	})
}

func FuzzParseRunStatus(f *testing.F) {
	for _, s := range []string{"W", "P", "R", "D", "E", "F", "pending", "Running", "partially succeeded", "cancelled", "", " D "} { //nolint:misspell // a spelling servers send
		f.Add(s)
	}
	known := map[RunStatus]bool{StatusPending: true, StatusRunning: true, StatusSucceeded: true, StatusFailed: true,
		StatusCanceled: true, StatusSkipped: true, StatusPartial: true, StatusUnknown: true}
	f.Fuzz(func(t *testing.T, raw string) {
		s := ParseRunStatus(raw)
		if !known[s] {
			t.Fatalf("ParseRunStatus(%q) = %q, not a known status", raw, s)
		}
		if s.Terminal() == (s == StatusPending || s == StatusRunning) {
			t.Fatalf("%q: Terminal() = %v", s, s.Terminal())
		}
		if ParseRunStatus(string(s)) != s && s != StatusUnknown {
			t.Fatalf("%q does not parse to itself", s)
		}
	})
}

func FuzzParseRiverURL(f *testing.F) {
	f.Add("63b724fc690def001131d242")
	f.Add("https://console.rivery.io/dashboard/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/river/63b724fc690def001131d242/source?x=1#y")
	f.Add("https://eu-west-1.console.rivery.io/#/dashboard/a/b/rivers/c")
	f.Add("https://console.rivery.io/dashboard/a/%2e%2e/river/c")
	f.Add("https://ap-southeast-2.console.rivery.io/rivers/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/63b724fc690def001131d242")
	f.Add("https://il-central-1.console.rivery.io/#/river/a/b/river/c/")
	f.Fuzz(func(t *testing.T, in string) {
		if u, err := ParseConsoleURL(in); err == nil {
			if _, known := regionHosts[u.Region]; u.Region != "" && !known {
				t.Fatalf("ParseConsoleURL(%q) gave region %q", in, u.Region)
			}
		}
		a, e, r, err := ParseRiverURL(in)
		if err != nil {
			if a != "" || e != "" || r != "" {
				t.Fatalf("error %v with IDs %q %q %q", err, a, e, r)
			}
			return
		}
		if validateID("river ID", r) != nil {
			t.Fatalf("ParseRiverURL(%q) gave river ID %q that is not a plain ID", in, r)
		}
		if (a == "") != (e == "") || (a != "" && validateIDs("a", a, "e", e) != nil) {
			t.Fatalf("ParseRiverURL(%q) gave account %q, environment %q", in, a, e)
		}
	})
}

func FuzzParseLogs(f *testing.F) {
	f.Add([]byte("timestamp,level,msg\n2026-11-27T10:05:00Z,ERROR,\"multi\nline, \"\"quoted\"\"\"\n"))
	f.Add([]byte("2026-11-27T10:00:00Z,INFO,a,b,c\n"))
	f.Add([]byte("timestamp,level,msg\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := parseLogs(body)
		if err != nil {
			return
		}
		if len(entries) > strings.Count(string(body), "\n")+1 {
			t.Fatalf("%d entries from %d lines", len(entries), strings.Count(string(body), "\n")+1)
		}
	})
}

func allSucceeded(runs []*Run) bool {
	for _, r := range runs {
		if r.Status != StatusSucceeded {
			return false
		}
	}
	return true
}
