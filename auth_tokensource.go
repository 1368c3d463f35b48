package rivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// TokenSource supplies the bearer token a client sends. Give one to
// NewClient with WithTokenSource (and an empty token); NewClient's own token
// is a fixed source that never refreshes. Implementations must be safe for
// concurrent use, and must never print the tokens they hold.
type TokenSource interface {
	// Token returns the token to send now, fetching one on first use.
	Token(ctx context.Context) (string, error)
	// Refresh is called when a call sent with stale was answered 401. It
	// returns a token to send the call once more with. If the source already
	// holds a token other than stale (another goroutine refreshed it), it
	// returns that one without fetching, so that many concurrent 401s cause
	// one fetch. Returning stale itself, or an error, ends the call with
	// its 401.
	Refresh(ctx context.Context, stale string) (string, error)
}

// WithTokenSource makes the client take its bearer token from ts instead of
// NewClient's token argument, which must then be empty. A call answered 401
// asks ts.Refresh for a new token and is sent once more with it; a second
// 401 is returned as an *APIError matching ErrUnauthorized. A run trigger is
// safe to send again then: a 401 started nothing.
func WithTokenSource(ts TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return errors.New("rivery: WithTokenSource: nil TokenSource")
		}
		c.tokenSource = ts
		return nil
	}
}

// checkToken checks NewClient's token against WithTokenSource.
func (c *config) checkToken(token string) error {
	switch {
	case c.tokenSource != nil && token != "":
		return errors.New("rivery: a token and WithTokenSource conflict: give one (pass \"\" as the token)")
	case c.tokenSource != nil:
		return nil
	case token == "":
		return fmt.Errorf("%w: empty API token", ErrInvalidArgument)
	case strings.TrimSpace(token) == "":
		return fmt.Errorf("%w: empty API token (only whitespace)", ErrInvalidArgument)
	case hasControl(token):
		return fmt.Errorf("%w: API token contains control characters", ErrInvalidArgument)
	}
	return nil
}

// tokenSource is a client's TokenSource with the Authorization header built
// for the last token it gave, so an unchanged token costs no allocation.
type tokenSource struct {
	ts   TokenSource
	last atomic.Pointer[bearer]
}

// bearer is a token and its header value. It is only ever reached through
// pointers, which fmt prints as addresses.
type bearer struct {
	token  string
	header []string
}

// newTokenSource returns nil for a fixed token (cfg has no TokenSource).
func newTokenSource(cfg *config) *tokenSource {
	if cfg.tokenSource == nil {
		return nil
	}
	return &tokenSource{ts: cfg.tokenSource}
}

// clientBinder is implemented by sources that send requests of their own
// (BoomiTokenSource) with the settings of the client they are given to.
type clientBinder interface{ bindClient(c *Client) }

func (s *tokenSource) bind(c *Client) {
	if b, ok := s.ts.(clientBinder); ok {
		b.bindClient(c)
	}
}

// header returns the Authorization value for tok, reusing the last one built.
func (s *tokenSource) header(tok string) ([]string, error) {
	if b := s.last.Load(); b != nil && b.token == tok {
		return b.header, nil
	}
	if tok == "" || hasControl(tok) {
		return nil, errors.New("rivery: the token source gave an empty token or one with control characters")
	}
	b := &bearer{tok, []string{"Bearer " + tok}}
	s.last.Store(b)
	return b.header, nil
}

// lastHeader is the Authorization value of the last token the source gave,
// or nil before the first: what errors and logs scrub.
func (s *tokenSource) lastHeader() []string {
	if b := s.last.Load(); b != nil {
		return b.header
	}
	return nil
}

// authorize returns the Authorization value to send and the token in it
// ("" for the fixed token, which is never refreshed).
func (c *Client) authorize(ctx context.Context) ([]string, string, error) {
	if c.src == nil {
		return c.auth.header(), "", nil
	}
	tok, err := c.src.ts.Token(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("rivery: getting a token: %w", err)
	}
	h, err := c.src.header(tok)
	return h, tok, err
}

// do sends cl through send with the current token, once the budget and
// the rate limiter admit it. A 401 asks the token source for a new token
// once and sends cl again with it: a 401 means the server did nothing, so
// this is safe for run triggers too. A 403 on an environment's path says
// so. With an observer, the call is reported to it.
func (c *Client) do(ctx context.Context, cl call) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	if c.obs != nil {
		return c.observedDo(ctx, cl)
	}
	return c.doCall(ctx, cl, nil)
}

// doCall is do, its attempts reported to o when o is not nil.
func (c *Client) doCall(ctx context.Context, cl call, o *callObs) (*Response, error) {
	auth, tok, err := c.authorize(ctx)
	if err != nil {
		return nil, err
	}
	adm, err := c.admit(ctx, cl)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, cl, auth, adm, o)
	if err == nil {
		return resp, nil
	}
	if tok != "" && statusOf(err) == http.StatusUnauthorized {
		resp, err = c.resend(ctx, cl, tok, resp, err, o)
	}
	if statusOf(err) == http.StatusForbidden {
		notGrantedHint(err, cl.url)
	}
	return resp, err
}

// resend refreshes the token that got a 401 and sends cl once more. When
// no new token comes, the 401 stands (joined with the refresh error).
func (c *Client) resend(ctx context.Context, cl call, stale string, resp401 *Response, err401 error, o *callObs) (*Response, error) {
	fresh, rerr := c.src.ts.Refresh(ctx, stale)
	if rerr != nil {
		return resp401, fmt.Errorf("%w (refreshing the token: %w)", err401, rerr)
	}
	if fresh == stale {
		return resp401, err401
	}
	auth, err := c.src.header(fresh)
	if err != nil {
		return resp401, err
	}
	adm, err := c.admit(ctx, cl)
	if err != nil {
		return resp401, err
	}
	return c.send(ctx, cl, auth, adm, o)
}

// statusOf is the status of an *APIError in err, or 0.
func statusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// notGrantedHint adds to a 403's message, when the call addressed an
// environment, that the token may not be granted there: a token may see
// every environment of its account but be granted only some.
func notGrantedHint(err error, callURL string) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return
	}
	env := environmentOf(callURL)
	if env == "" {
		return
	}
	apiErr.Hint = "the token may not be granted access to environment " + env
}

// environmentOf returns the environment a v1 URL addresses, or "".
func environmentOf(u string) string {
	_, rest, ok := strings.Cut(u, pathAccounts)
	if !ok {
		return ""
	}
	_, rest, ok = strings.Cut(rest, pathEnvs)
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	seg, _, _ = strings.Cut(seg, "?")
	env, err := url.PathUnescape(seg)
	if err != nil || env == "" {
		return ""
	}
	return env
}
