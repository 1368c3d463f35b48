package rivery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/rivery-go/rivery/internal/retry"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.3.0"

// Client talks to the Rivery API. Build it with NewClient or
// NewClientFromEnv; it is immutable afterwards and safe for concurrent use.
//
// Which API family a call uses is fixed when the client is built: with an
// account and environment ID every call uses the v1 API; with only a token,
// every call the console API has (run, run status, cancel, rivers) uses the
// console API, and v1-only calls (tokens, run history, logs, activation)
// learn the IDs once through GET /api/me.
type Client struct {
	// Tokens manages the account's API tokens (admins only).
	Tokens *TokensService
	// Rivers triggers and watches rivers (pipelines).
	Rivers *RiversService
	// Activities is the environment-wide view of runs (v1 API).
	Activities *ActivitiesService
	// Connections reads connections and the catalogs of types (v1 API).
	Connections *ConnectionsService
	// Variables manages the environment's variables (v1 API).
	Variables *VariablesService
	// RiverVariables manages rivers' variables (v1 API).
	RiverVariables *RiverVariablesService
	// Environments lists the account's environments.
	Environments *EnvironmentsService
	// AuditEvents reads the environment's audit log (v1 API).
	AuditEvents *AuditEventsService
	// CDC manages rivers' change data capture (v1 API).
	CDC *CDCService
	// Dataframes manages the environment's dataframes (v1 API).
	Dataframes *DataframesService
	// Logicode manages Logicode files (v1 API).
	Logicode *LogicodeService
	// Teams lists the account's teams (v1 API).
	Teams *TeamsService
	// Users lists and invites the account's users (v1 API).
	Users *UsersService

	common service

	hc        *http.Client
	rc        *retryablehttp.Client // shared by the calls (see retrier)
	auth      secret                // "Bearer <token>"; with src, the last header it gave (errors scrub it)
	src       *tokenSource          // WithTokenSource, or nil
	limiter   *rate.Limiter
	userAgent string
	headers   headerValues
	console   string      // console API base URL, without /api
	urls      consoleURLs // the console API URLs, built once
	v1        string      // v1 API base URL, without /v1
	fixed     *scope      // the account and environment given by options, or nil
	envOf     builtEnv    // envURL of the scope given by options, built once
	logger    *slog.Logger
	obs       Observer    // WithObserver, or nil
	routes    *routeCache // with obs: the routes seen, each held once
	clock     clock
	pollMin   time.Duration // WaitForRun's default interval bounds
	pollMax   time.Duration

	// The retry policy and settings retryClient builds a client with.
	policy           retry.Policy
	minWait, maxWait time.Duration
	maxAttempts      int
	retryNotify      func(RetryInfo) // WithRetryNotify, or nil

	// Shared by the clients InEnvironment makes from this one (the root):
	budget   *budget       // every attempt, counted; the shared poller's budget
	waits    *waitHub      // the shared pollers, one per environment; nil: each wait polls alone
	runTimes *runDurations // how long rivers' runs took, for expected durations

	// guardReads: hc's transport is not net/http's, so reads of its
	// bodies are bounded by closing them (see callState.guard).
	guardReads bool

	// scopeSem guards resolved: one /api/me call at a time, interruptible
	// by each waiter's context.
	scopeSem chan struct{}
	resolved *scope
}

// headerValues are the header values every request carries, built once
// and shared read-only by all requests (a RoundTripper must not modify a
// request). The Authorization value stays inside the secret.
type headerValues struct {
	json, userAgent []string
}

// service is what every service type is made of.
type service struct{ client *Client }

// scope is the account and environment a v1 path addresses.
type scope struct{ account, environment string }

// clock lets tests and benchmarks replace real waiting. A clock that also
// has a Now() time.Time method tells the time too (see clockNow).
type clock interface {
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

// After is time.After.
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// NewClient returns a client that authenticates with token. An empty token, a
// bad option or a conflicting pair of options is an error; NewClient does no
// network I/O. To take tokens from a TokenSource instead (such as a
// BoomiTokenSource), pass "" and WithTokenSource.
func NewClient(token string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.finish(); err != nil {
		return nil, err
	}
	if err := cfg.checkToken(token); err != nil {
		return nil, err
	}

	h := cfg.hosts()
	c := &Client{
		hc:        newHTTPClient(&cfg),
		auth:      newSecret("Bearer " + token),
		src:       newTokenSource(&cfg),
		limiter:   cfg.limiter,
		userAgent: "rivery-go/" + Version,
		console:   h.console,
		urls:      newConsoleURLs(h.console),
		v1:        h.v1,
		logger:    cfg.logger,
		obs:       cfg.observer,
		clock:     realClock{},
		pollMin:   cfg.pollMin,
		pollMax:   cfg.pollMax,
		scopeSem:  make(chan struct{}, 1),
		budget:    newBudget(cfg.budgetN, cfg.budgetPer, cfg.budgetN > 0),
		runTimes:  newRunDurations(),
	}
	if !cfg.noSharedPolling {
		c.waits = newWaitHub()
	}
	if c.src != nil {
		c.auth = c.src.lastHeader
	}
	if c.obs != nil {
		c.routes = &routeCache{}
	}
	c.guardReads = cfg.httpClient != nil && !stdTransport(cfg.httpClient.Transport)
	if cfg.userAgent != "" {
		c.userAgent = cfg.userAgent + " " + c.userAgent
	}
	c.headers = headerValues{json: []string{"application/json"}, userAgent: []string{c.userAgent}}
	if cfg.accountID != "" {
		c.fixed = &scope{cfg.accountID, cfg.environmentID}
		c.envOf = builtEnv{*c.fixed, c.envURL(*c.fixed)}
	}
	c.policy = retry.Policy{MaxWait: cfg.maxWait}
	c.retryNotify, c.maxAttempts = cfg.retryNotify, cfg.maxRetries+1
	c.minWait, c.maxWait = cfg.minWait, cfg.maxWait
	c.rc = c.retryClient(nil)
	c.bindServices()
	if c.src != nil {
		c.src.bind(c)
	}
	return c, nil
}

// retryClient returns a go-retryablehttp client over c's HTTP client with
// c's retry policy; its waits are reported to the WithRetryNotify func, if
// any, with the error of the attempt st records (st nil: none).
func (c *Client) retryClient(st *callState) *retryablehttp.Client {
	policy := c.policy
	backoff := retryablehttp.Backoff(policy.Backoff)
	if c.retryNotify != nil {
		backoff = notifyBackoff(backoff, c.retryNotify, c.maxAttempts, st, c.auth)
	}
	return &retryablehttp.Client{
		HTTPClient:     c.hc,
		Logger:         nil, // its own logger prints URLs to stderr
		RetryWaitMin:   c.minWait,
		RetryWaitMax:   c.maxWait,
		RetryMax:       c.maxAttempts - 1,
		RequestLogHook: c.beforeAttempt,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			again, cerr := policy.CheckRetry(ctx, resp, err)
			if st := stateFrom(ctx); st != nil && st.poll {
				again = false // the shared poller tries again at its next round
			}
			c.afterAttempt(ctx, resp, err, again)
			return again, cerr
		},
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: c.beforeRetry,
	}
}

// retrier returns the retry client for the call st: the shared one, or,
// when WithRetryNotify is set, one of its own whose reports carry the
// call's errors (one allocation more per call, only then).
func (c *Client) retrier(st *callState) *retryablehttp.Client {
	if c.retryNotify == nil {
		return c.rc
	}
	return c.retryClient(st)
}

// bindServices points every service at c.
func (c *Client) bindServices() {
	c.common.client = c
	c.Tokens = (*TokensService)(&c.common)
	c.Rivers = (*RiversService)(&c.common)
	c.Activities = (*ActivitiesService)(&c.common)
	c.Connections = (*ConnectionsService)(&c.common)
	c.Variables = (*VariablesService)(&c.common)
	c.RiverVariables = (*RiverVariablesService)(&c.common)
	c.Environments = (*EnvironmentsService)(&c.common)
	c.AuditEvents = (*AuditEventsService)(&c.common)
	c.CDC = (*CDCService)(&c.common)
	c.Dataframes = (*DataframesService)(&c.common)
	c.Logicode = (*LogicodeService)(&c.common)
	c.Teams = (*TeamsService)(&c.common)
	c.Users = (*UsersService)(&c.common)
}

// newHTTPClient copies the caller's client (or builds one with TLS 1.2 at
// least) and fences its redirects: only GET follows them, and only on the
// same scheme and host, so neither the token nor a run trigger goes
// anywhere unintended.
func newHTTPClient(cfg *config) *http.Client {
	var hc http.Client
	switch {
	case cfg.httpClient != nil:
		hc = *cfg.httpClient
		if cfg.timeoutSet {
			hc.Timeout = cfg.timeout
		}
	default:
		// The per-attempt timeout lives on the transport's connections
		// (see defaultTransport), not in hc.Timeout.
		timeout := DefaultTimeout
		if cfg.timeoutSet {
			timeout = cfg.timeout
		}
		if cfg.sharedTransport {
			hc.Transport = sharedTransport(timeout)
		} else {
			hc.Transport = defaultTransport(timeout)
		}
	}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if first.Method != http.MethodGet || req.Method != http.MethodGet ||
			req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host {
			return http.ErrUseLastResponse
		}
		if err := redirectLoop(req, via); err != nil {
			return err
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc
}

// Close releases the client's idle connections. The client stays usable.
// A client built WithSharedTransport keeps them, for the other clients.
func (c *Client) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// String describes the client without its token.
func (c *Client) String() string {
	family := "console API"
	if c.fixed != nil {
		family = "v1 API"
	}
	return fmt.Sprintf("rivery.Client{console: %s, v1: %s, family: %s, token: %s}", c.console, c.v1, family, redacted)
}

// GoString is String, so %#v does not print the client's fields.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue keeps slog from walking the client's fields.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// v1Scope returns the account and environment for a v1 path: the ones the
// options gave, or those GET /api/me reports for the token, asked once and
// then cached. A failed lookup is not cached.
func (c *Client) v1Scope(ctx context.Context) (scope, error) {
	if c.fixed != nil {
		return *c.fixed, nil
	}
	if ctx == nil {
		return scope{}, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	select {
	case c.scopeSem <- struct{}{}:
	case <-ctx.Done():
		return scope{}, &RequestError{Method: http.MethodGet, URL: c.urls.me, Err: ctx.Err()}
	}
	defer func() { <-c.scopeSem }()
	if c.resolved != nil {
		return *c.resolved, nil
	}
	me, _, err := getMe(ctx, c)
	if err != nil {
		return scope{}, err
	}
	if err := validateIDs("account ID from /api/me", string(me.AccountID), "environment ID from /api/me", string(me.EnvironmentID)); err != nil {
		return scope{}, err
	}
	c.resolved = &scope{string(me.AccountID), string(me.EnvironmentID)}
	return *c.resolved, nil
}

// usesV1 reports whether calls that both families have go to the v1 API.
func (c *Client) usesV1() bool { return c.fixed != nil }
