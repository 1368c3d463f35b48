package rivery_test

// Error text is safe to print (issue 11): server text reaches Error() with
// control characters and invalid UTF-8 replaced, the raw bytes stay on the
// error, and a token the server echoes is scrubbed from every error string
// and log record.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// hostileText holds what a terminal acts on: ESC sequences (CSI, OSC with
// BEL), a C1 CSI, DEL, a bidi override, a line separator and invalid UTF-8.
const hostileText = "\x1b[2J\x1b]0;pwned\x07 \u009b31m \x7f \u202eevil\u202c \u2028 \xff\xfe end"

// unsafeForTerminal reports the first rune of s a terminal or log reader
// would act on, or -1.
func unsafeForTerminal(s string) rune {
	if !utf8.ValidString(s) {
		return utf8.RuneError
	}
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\t', r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return r
		}
	}
	return -1
}

// checkSafe fails the test if any printing of err holds an unsafe rune.
func checkSafe(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%s", err)} {
		if r := unsafeForTerminal(s); r != -1 {
			t.Errorf("error text holds %U: %q", r, s)
		}
	}
}

func TestServerTextInErrorsIsSafe(t *testing.T) {
	t.Parallel()
	jsonText := strings.ReplaceAll(strings.ReplaceAll(strings.ToValidUTF8(hostileText, ""), "\x1b", `\u001b`), "\x07", `\u0007`)
	bodies := []struct{ name, body string }{
		{"v1 detail", `{"detail": "` + jsonText + `"}`},
		{"console message", `{"message": "` + jsonText + `"}`},
		{"validation list", "{\"detail\": [{\"type\": \"t\u202e\", \"loc\": [\"body\", 0, {\"k\": \"\\u001b[2J\"}, \"\\u009b\", [\"\xff\"]], \"msg\": \"" + jsonText + "\", \"input\": null}]}"},
		{"plain text", hostileText},
		{"JSON of another shape", `{"error": "` + hostileText + `"}`},
	}
	for _, b := range bodies {
		for _, family := range []string{"console", "v1"} {
			t.Run(family+"/"+b.name, func(t *testing.T) {
				t.Parallel()
				srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
				defer srv.Close()
				c := familyClient(srv, family)
				srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 400, Body: b.body})
				_, _, err := c.Rivers.Run(context.Background(), riverID)
				apiErr := asAPIError(t, err)
				checkSafe(t, err)
				if r := unsafeForTerminal(apiErr.Message); r != -1 {
					t.Errorf("Message holds %U: %q", r, apiErr.Message)
				}
				for _, d := range apiErr.Details {
					if r := unsafeForTerminal(d.String() + d.Type); r != -1 {
						t.Errorf("detail holds %U: %q", r, d.String())
					}
				}
				if !bytes.Equal(apiErr.Body, []byte(b.body)) {
					t.Errorf("Body = %q, want the raw %q", apiErr.Body, b.body)
				}
				if !strings.Contains(err.Error(), "end") && b.name != "validation list" {
					t.Errorf("the message was lost: %q", err.Error())
				}
			})
		}
	}
}

// A run's error description reaches RunError.Error made safe; Run.Message
// keeps it raw.
func TestRunErrorTextIsSafe(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Outcome: "failed", Message: hostileText}))
	defer srv.Close()
	run, err := srv.ClientV1().Rivers.RunAndWait(context.Background(), riverID, nil)
	if !errors.Is(err, rivery.ErrRunFailed) {
		t.Fatalf("RunAndWait error = %v", err)
	}
	checkSafe(t, err)
	if !strings.Contains(run.Message, "\x1b[2J") {
		t.Errorf("Run.Message = %q, want the raw text", run.Message)
	}
}

// A server that echoes the token (whole or in part) in an error: no
// printing of any error, and no log record, holds an 8-byte piece of it.
func TestEchoedTokenIsScrubbed(t *testing.T) {
	t.Parallel()
	piece := testToken[3:11] + " " + testToken[len(testToken)-9:]
	t.Run("API error", func(t *testing.T) {
		t.Parallel()
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}),
			riverytest.WithToken(riverytest.Token{Value: testToken, Admin: true}))
		defer srv.Close()
		lc := newLeakCheck(t, testToken)
		c := srv.ClientFor(testToken, lc.logger())
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 401, Body: `{"detail": [{"type": "` + testToken + `", "loc": ["header", "` + testToken + `"], "msg": "token ` + testToken + ` is not valid (` + piece + `)", "input": "Bearer ` + testToken + `"}]}`})
		_, _, err := c.Rivers.Run(context.Background(), riverID)
		apiErr := asAPIError(t, err)
		lc.err(err)
		lc.values(apiErr, *apiErr, apiErr.Details, string(apiErr.Body), string(apiErr.Details[0].Input))
		if !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("error %q does not show where the token was", err.Error())
		}
	})
	t.Run("run error", func(t *testing.T) {
		t.Parallel()
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Outcome: "failed", Message: "bad token " + testToken}),
			riverytest.WithToken(riverytest.Token{Value: testToken, Admin: true}))
		defer srv.Close()
		lc := newLeakCheck(t, testToken)
		_, err := srv.ClientFor(testToken, lc.logger()).Rivers.RunAndWait(context.Background(), riverID, nil)
		if !errors.Is(err, rivery.ErrRunFailed) {
			t.Fatalf("error = %v", err)
		}
		lc.err(err)
	})
	t.Run("token from a TokenSource", func(t *testing.T) {
		t.Parallel()
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}),
			riverytest.WithToken(riverytest.Token{Value: testToken, Admin: true}))
		defer srv.Close()
		lc := newLeakCheck(t, testToken)
		c, err := rivery.NewClient("", rivery.WithTokenSource(staticSource(testToken)), rivery.WithBaseURL(srv.URL),
			rivery.WithRetry(1, time.Millisecond, time.Millisecond), lc.logger())
		if err != nil {
			t.Fatal(err)
		}
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 400, Body: `{"detail": "token ` + testToken + ` (` + piece + `) is not valid here"}`})
		_, _, err = c.Rivers.Run(context.Background(), riverID)
		apiErr := asAPIError(t, err)
		lc.err(err)
		lc.values(apiErr, *apiErr, string(apiErr.Body))
		if !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("error %q does not show where the token was", err.Error())
		}
	})
	t.Run("transport error and its log record", func(t *testing.T) {
		t.Parallel()
		srv := newRawServer(t, func(conn net.Conn, req *http.Request, _ int) bool {
			_, _ = io.WriteString(conn, "HTTP/1.1 "+strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")+"\r\n\r\n")
			return false
		})
		lc := newLeakCheck(t, testToken)
		_, _, err := srv.client(t, lc.logger()).Rivers.GetRun(context.Background(), riverID, runID)
		_ = asRequestError(t, err)
		lc.err(err)
		if len(lc.logs.all()) == 0 {
			t.Error("no log record to check")
		}
	})
}

// staticSource is a TokenSource that always gives the same token.
type staticSource string

func (s staticSource) Token(context.Context) (string, error) { return string(s), nil }

func (s staticSource) Refresh(context.Context, string) (string, error) { return string(s), nil }
