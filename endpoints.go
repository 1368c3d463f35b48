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
	pathTokens      = "/tokens"
	pathRivers      = "/rivers/"
)

// consoleURL is an absolute console API URL.
func (c *Client) consoleURL(path string) string { return c.console + path }

// tokensURL is A/tokens[/{id}].
func (c *Client) tokensURL(account string, tokenID ...string) string {
	return joinPath(c.v1+pathAccounts+url.PathEscape(account)+pathTokens, tokenID)
}

// envURL is E = A/environments/{environment}, followed by segments.
func (c *Client) envURL(s scope, segments ...string) string {
	return joinPath(c.envPrefix(s), segments)
}

// riverURL is E/rivers/{id}, followed by segments.
func (c *Client) riverURL(s scope, riverID string, segments ...string) string {
	return joinPath(c.envPrefix(s)+pathRivers+url.PathEscape(riverID), segments)
}

func (c *Client) envPrefix(s scope) string {
	return c.v1 + pathAccounts + url.PathEscape(s.account) + pathEnvs + url.PathEscape(s.environment)
}

// joinPath appends each segment, path-escaped, to prefix.
func joinPath(prefix string, segments []string) string {
	if len(segments) == 0 {
		return prefix
	}
	n := len(prefix)
	for _, s := range segments {
		n += 1 + len(s)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(prefix)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
