package rivery

import "net/url"

// Every path the SDK calls, in one place. The token paths are the SDK's own
// contract (Rivery publishes none), so they may need to change in one line.
const (
	pathMe          = "/api/me"
	pathConsoleRun  = "/api/run"
	pathCheckRun    = "/api/check_run"
	pathCancelRun   = "/api/run/cancel"
	pathConsoleRivs = "/api/rivers"
	pathScopes      = "/v1/scopes"
)

// consoleURL is an absolute console API URL.
func (c *Client) consoleURL(path string) string { return c.console + path }

// accountURL is A = {v1}/v1/accounts/{account}, followed by segments.
func (c *Client) accountURL(account string, segments ...string) string {
	u := c.v1 + "/v1/accounts/" + url.PathEscape(account)
	for _, s := range segments {
		u += "/" + url.PathEscape(s)
	}
	return u
}

// envURL is E = A/environments/{environment}, followed by segments.
func (c *Client) envURL(s scope, segments ...string) string {
	return c.accountURL(s.account, append([]string{"environments", s.environment}, segments...)...)
}

// tokensURL is A/tokens[/{id}].
func (c *Client) tokensURL(account string, tokenID ...string) string {
	return c.accountURL(account, append([]string{"tokens"}, tokenID...)...)
}

// riverURL is E/rivers/{id}, followed by segments.
func (c *Client) riverURL(s scope, riverID string, segments ...string) string {
	return c.envURL(s, append([]string{"rivers", riverID}, segments...)...)
}
