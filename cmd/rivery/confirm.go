package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// changeCmd is a command that changes one thing and prints what it got
// back: line(v) as text, v itself with --json. With s.confirm set it is
// destructive: on a terminal it asks first (s.confirm(args) says what it
// is about to do), elsewhere it needs --yes; --dry-run prints the request
// it would send and sends nothing.
func changeCmd[T any](c *cli, s spec, do func(ctx context.Context, args []string) (T, error), line func(T) string) *cobra.Command {
	s.flags |= apiFlags | outputOne
	var yes bool
	destructive := s.confirm != nil
	s.run = func(ctx context.Context, args []string) error {
		if destructive && !c.dryRun {
			if err := c.confirmed(s.confirm(args), yes); err != nil {
				return err
			}
		}
		v, err := do(ctx, args)
		if c.dryRun {
			return c.printDryRun(err)
		}
		switch {
		case err != nil:
			return err
		case c.out.format == formatJSON:
			return c.printJSON(v)
		}
		return c.println(line(v))
	}
	cmd := c.leaf(s)
	if destructive {
		fs := cmd.Flags()
		fs.BoolVarP(&yes, "yes", "y", false, "do it without asking (required when stdin is not a terminal)")
		fs.BoolVar(&c.dryRun, "dry-run", false, "print the request it would send, send nothing")
	}
	return cmd
}

// errNotConfirmed ends a destructive command the user did not confirm.
var errNotConfirmed = errors.New("not confirmed: nothing was changed")

// confirmed asks on the terminal whether to go on with what (a phrase such
// as "delete connection 66a..."), unless yes; without a terminal on stdin
// it needs yes.
func (c *cli) confirmed(what string, yes bool) error {
	if yes {
		return nil
	}
	f, ok := c.stdin.(*os.File)
	if !ok || !isTerminal(f) {
		return usagef("refusing to %s without --yes: stdin is not a terminal to ask on", what)
	}
	fmt.Fprintf(c.stderr, "rivery: %s? This cannot be undone. Type yes to go on: ", what)
	answer, err := bufio.NewReader(io.LimitReader(c.stdin, 256)).ReadString('\n')
	if err != nil && answer == "" {
		return errNotConfirmed
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return errNotConfirmed
}

// errDryRun is what the dry-run transport answers the write it stops.
var errDryRun = errors.New("dry run: request not sent")

// dryRunTransport lets reads through (a command may look things up before
// it writes) and stops the first other request, keeping it: what a
// --dry-run prints is exactly what the SDK would have sent.
type dryRunTransport struct {
	next http.RoundTripper

	mu     sync.Mutex
	caught *dryRunRequest
}

// dryRunRequest is the request a --dry-run stopped. Headers are left out
// (one holds the token), and a body is told by its size only (it may hold
// credentials; the destructive commands send none).
type dryRunRequest struct {
	DryRun    bool   `json:"dry_run"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	BodyBytes int    `json:"body_bytes,omitempty"`
}

// newDryRunTransport is a transport for a --dry-run client: TLS 1.2 at
// least, as the SDK's own.
func newDryRunTransport() *dryRunTransport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &dryRunTransport{next: t}
}

func (t *dryRunTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return t.next.RoundTrip(req)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(req.Body, 1<<20))
		_ = req.Body.Close()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.caught == nil {
		t.caught = &dryRunRequest{DryRun: true, Method: req.Method, URL: req.URL.String(), BodyBytes: len(bytes.TrimSpace(body))}
	}
	return nil, errDryRun
}

// printDryRun prints the request a --dry-run stopped; err is what the
// command's call returned for it.
func (c *cli) printDryRun(err error) error {
	var caught *dryRunRequest
	if c.dry != nil {
		c.dry.mu.Lock()
		caught = c.dry.caught
		c.dry.mu.Unlock()
	}
	switch {
	case caught == nil && err != nil:
		return err
	case caught == nil:
		return errors.New("dry run: the command sent no request that changes anything")
	case err != nil && !errors.Is(err, errDryRun):
		return err
	}
	c.errLine("dry run: nothing was sent")
	if c.out.format == formatJSON {
		return c.printJSON(caught)
	}
	text := "would send: " + caught.Method + " " + caught.URL
	if caught.BodyBytes > 0 {
		text += fmt.Sprintf(" (a body of %d bytes, not shown)", caught.BodyBytes)
	}
	return c.println(text)
}

// dryRunOptions are the client options of a --dry-run: the transport that
// stops writes, and no retries (a stopped write is not to be tried again).
func (c *cli) dryRunOptions() []rivery.Option {
	c.dry = newDryRunTransport()
	return []rivery.Option{rivery.WithHTTPClient(&http.Client{Transport: c.dry}), rivery.WithoutRetries()}
}
