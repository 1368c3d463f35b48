package rivery

import (
	"net/url"
	"strings"
)

// Every path the SDK calls, in one place. The token paths are the SDK's own
// contract (Rivery publishes none), so they may need to change in one line.
const (
	pathMe          = "/api/me"
	pathConsoleRun  = "/api/run"
	pathCheckRun    = "/api/check_run"
	pathCancelRun   = "/api/run/cancel"
	pathConsoleRivs = "/api/rivers"
	pathScopes      = "/v1/scopes"
	pathAccounts    = "/v1/accounts/"
	pathEnvs        = "/environments/"
	pathRivers      = "/rivers/"

	collTokens = "tokens" // A/tokens
)

// consoleURLs are the console API's URLs, built once.
type consoleURLs struct {
	me, run, checkRun, cancel, rivers string
}

func newConsoleURLs(base string) consoleURLs {
	return consoleURLs{base + pathMe, base + pathConsoleRun, base + pathCheckRun, base + pathCancelRun, base + pathConsoleRivs}
}

// accountURL is A/{collection}, followed by segments: A/tokens,
// A/environments, A/teams, A/users.
func (c *Client) accountURL(account, collection string, segments ...string) string {
	return joinURL([]string{c.v1, pathAccounts, url.PathEscape(account), "/", collection}, segments)
}

// builtEnv is E of one scope, built once. A client made by InEnvironment
// keeps its parent's: its own scope builds E per call.
type builtEnv struct {
	s   scope
	url string
}

// ownEnv returns E of s when s is the client's own scope (built once).
func (c *Client) ownEnv(s scope) (string, bool) {
	return c.envOf.url, c.envOf.url != "" && s == c.envOf.s
}

// envURL is E = A/environments/{environment}, followed by segments.
func (c *Client) envURL(s scope, segments ...string) string {
	if e, ok := c.ownEnv(s); ok {
		return joinURL([]string{e}, segments)
	}
	return joinURL([]string{c.v1, pathAccounts, url.PathEscape(s.account), pathEnvs, url.PathEscape(s.environment)}, segments)
}

// riverURL is E/rivers/{id}, followed by segments.
func (c *Client) riverURL(s scope, riverID string, segments ...string) string {
	if e, ok := c.ownEnv(s); ok {
		return joinURL([]string{e, pathRivers, url.PathEscape(riverID)}, segments)
	}
	return joinURL([]string{c.v1, pathAccounts, url.PathEscape(s.account), pathEnvs, url.PathEscape(s.environment),
		pathRivers, url.PathEscape(riverID)}, segments)
}

// joinURL writes the fixed parts as they are, then each segment after a
// slash, path-escaped, in one allocation.
func joinURL(fixed, segments []string) string {
	n := 0
	for _, f := range fixed {
		n += len(f)
	}
	for _, s := range segments {
		n += 1 + len(s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fixed {
		b.WriteString(f)
	}
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
