package rivery

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Region is a Rivery data region. A token belongs to one region; sent to
// another it is refused with 401.
type Region string

// The regions Rivery runs in. The US and EU hosts are documented; the IL
// and AU console hosts (il-central-1.console.rivery.io,
// ap-southeast-2.console.rivery.io) are inferred from the documented
// pattern, not documented: if one does not answer, use WithBaseURL.
const (
	RegionUS Region = "us" // console.rivery.io and api.rivery.io (the default)
	RegionEU Region = "eu" // eu-west-1
	RegionIL Region = "il" // il-central-1 (console host inferred)
	RegionAU Region = "au" // ap-southeast-2 (console host inferred)
)

// hosts holds the console and v1 base URLs of one region.
type hosts struct{ console, v1 string }

var regionHosts = map[Region]hosts{
	RegionUS: {"https://console.rivery.io", "https://api.rivery.io"},
	RegionEU: {"https://eu-west-1.console.rivery.io", "https://api.eu-west-1.rivery.io"},
	RegionIL: {"https://il-central-1.console.rivery.io", "https://api.il-central-1.rivery.io"},
	RegionAU: {"https://ap-southeast-2.console.rivery.io", "https://api.ap-southeast-2.rivery.io"},
}

// Defaults used when no option says otherwise.
const (
	DefaultTimeout    = 60 * time.Second // per HTTP attempt
	DefaultMaxRetries = 4
	DefaultMinWait    = 1 * time.Second
	DefaultMaxWait    = 30 * time.Second
)

// Option configures a Client. Options are applied in order by NewClient; an
// option whose argument is bad makes NewClient return its error.
type Option func(*config) error

// config is what the options fill; NewClient validates it once and then
// builds an immutable Client from it.
type config struct {
	region          Region
	regionSet       bool
	baseURL         string
	accountID       string
	environmentID   string
	httpClient      *http.Client
	userAgent       string
	timeout         time.Duration
	timeoutSet      bool
	sharedTransport bool
	maxRetries      int
	minWait         time.Duration
	maxWait         time.Duration
	pollMin         time.Duration
	pollMax         time.Duration
	logger          *slog.Logger
	retryNotify     func(RetryInfo) // see options_hooks.go
	observer        Observer        // see options_observer.go
	tokenSource     TokenSource
	limiter         *rate.Limiter
	budgetN         int           // WithRequestBudget; 0: DefaultRequestBudget for polls only
	budgetPer       time.Duration // WithRequestBudget's span
	noSharedPolling bool          // WithoutSharedPolling
}

func defaultConfig() config {
	return config{
		region:     RegionUS,
		maxRetries: DefaultMaxRetries,
		minWait:    DefaultMinWait,
		maxWait:    DefaultMaxWait,
		pollMin:    DefaultMinInterval,
		pollMax:    DefaultMaxInterval,
	}
}

// WithRegion selects the region whose hosts the client calls (RegionUS by
// default). It conflicts with WithBaseURL.
func WithRegion(r Region) Option {
	return func(c *config) error {
		if _, ok := regionHosts[r]; !ok {
			return fmt.Errorf("rivery: WithRegion: unknown region %q (want us, eu, il or au)", truncate(string(r)))
		}
		c.region, c.regionSet = r, true
		return nil
	}
}

// WithBaseURL sends both API families to one host, such as a proxy or a test
// server: {base}/api/... and {base}/v1/.... The URL must be absolute https,
// or http to a loopback host; it may carry a path prefix but no user
// information, query or fragment. It conflicts with WithRegion.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		base, err := parseBaseURL(rawURL)
		if err != nil {
			return fmt.Errorf("rivery: WithBaseURL: %w", err)
		}
		c.baseURL = base
		return nil
	}
}

// parseBaseURL validates rawURL and returns it without a trailing slash. Error
// messages never repeat user information, which may hold a password.
func parseBaseURL(rawURL string) (string, error) {
	if strings.TrimSpace(rawURL) == "" {
		return "", errors.New("empty URL")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", errors.New("malformed URL")
	}
	switch {
	case u.User != nil:
		return "", errors.New("URL must not carry user information")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("scheme %q not supported (want https)", truncate(u.Scheme))
	case u.Host == "" || u.Hostname() == "":
		return "", errors.New("URL has no host")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", errors.New("URL must not carry a query or fragment")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("plain http is only allowed to loopback hosts, not %q (use https)", truncate(u.Hostname()))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithAccountID sets the account the client addresses. Together with
// WithEnvironmentID it makes every call use the v1 API.
func WithAccountID(id string) Option {
	return func(c *config) error {
		if err := validateID("account ID", id); err != nil {
			return fmt.Errorf("rivery: WithAccountID: %w", err)
		}
		c.accountID = id
		return nil
	}
}

// WithEnvironmentID sets the environment the client addresses. Together with
// WithAccountID it makes every call use the v1 API.
func WithEnvironmentID(id string) Option {
	return func(c *config) error {
		if err := validateID("environment ID", id); err != nil {
			return fmt.Errorf("rivery: WithEnvironmentID: %w", err)
		}
		c.environmentID = id
		return nil
	}
}

// WithHTTPClient makes the client send requests through a copy of hc; hc
// itself is never modified. Its Transport is used as is: the default
// transport's TLS 1.2 minimum and its 32 kept connections per host (more
// concurrent calls wait for one) are then the caller's to set. Its Timeout
// is kept unless WithTimeout is also given. Redirects are followed only for GET
// and only on the same host, whatever hc's CheckRedirect allows.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("rivery: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent puts product in front of the User-Agent the SDK sends
// ("product rivery-go/<Version>").
func WithUserAgent(product string) Option {
	return func(c *config) error {
		switch {
		case strings.TrimSpace(product) == "":
			return errors.New("rivery: WithUserAgent: empty user agent")
		case hasControl(product):
			return errors.New("rivery: WithUserAgent: user agent contains control characters")
		}
		c.userAgent = product
		return nil
	}
}

// WithTimeout bounds each HTTP attempt (DefaultTimeout when not given).
// Zero means no per-attempt limit; the context passed to each call still
// applies. On the SDK's own transport the bound is a deadline on the
// connection, set each time a request is written: the attempt ends d after
// its request was sent (connecting is bounded by the smaller of d and 30 s,
// the TLS handshake by the smaller of d and 10 s). With
// WithHTTPClient, it is that client's http.Client.Timeout, from dialing to
// reading the body.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("rivery: WithTimeout: negative timeout %v", d)
		}
		c.timeout, c.timeoutSet = d, true
		return nil
	}
}

// WithSharedTransport makes the client use a transport (and so a pool of
// connections) shared by every client built with it and the same timeout,
// instead of one of its own. A program with a client per tenant saves a
// pool per client (see the README's performance section for the figures);
// the price is isolation: the clients share the pool's limit of 32
// connections per host, and Close leaves the shared connections open. It
// conflicts with WithHTTPClient.
func WithSharedTransport() Option {
	return func(c *config) error {
		c.sharedTransport = true
		return nil
	}
}

// WithRetry sets how many times a failed attempt is retried and the bounds of
// the wait between attempts (defaults: DefaultMaxRetries, DefaultMinWait,
// DefaultMaxWait). maxWait also caps Retry-After: a server asking for a longer
// wait gets its 429 returned at once. Run triggers are never retried after
// they may have reached the server.
func WithRetry(maxRetries int, minWait, maxWait time.Duration) Option {
	return func(c *config) error {
		switch {
		case maxRetries < 0:
			return fmt.Errorf("rivery: WithRetry: negative retry count %d", maxRetries)
		case minWait < 0:
			return fmt.Errorf("rivery: WithRetry: negative min wait %v", minWait)
		case maxWait < 0:
			return fmt.Errorf("rivery: WithRetry: negative max wait %v", maxWait)
		case minWait > maxWait:
			return fmt.Errorf("rivery: WithRetry: min wait %v is above max wait %v", minWait, maxWait)
		}
		c.maxRetries, c.minWait, c.maxWait = maxRetries, minWait, maxWait
		return nil
	}
}

// WithoutRetries makes every call a single attempt.
func WithoutRetries() Option {
	return func(c *config) error {
		c.maxRetries = 0
		return nil
	}
}

// WithPollInterval sets the bounds of the wait between status calls that
// WaitForRun and RunAndWait use when WaitOptions leaves them zero (defaults:
// DefaultMinInterval, DefaultMaxInterval). Tests against a fake server use
// milliseconds.
func WithPollInterval(minInterval, maxInterval time.Duration) Option {
	return func(c *config) error {
		switch {
		case minInterval <= 0 || maxInterval <= 0:
			return fmt.Errorf("rivery: WithPollInterval: intervals must be positive (min %v, max %v)", minInterval, maxInterval)
		case minInterval > maxInterval:
			return fmt.Errorf("rivery: WithPollInterval: min interval %v is above max interval %v", minInterval, maxInterval)
		}
		c.pollMin, c.pollMax = minInterval, maxInterval
		return nil
	}
}

// WithLogger logs each HTTP attempt at debug level (method, host, path,
// status, attempt, duration) and each retry decision. Headers, query strings
// and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("rivery: WithLogger: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// Environment variables read by NewClientFromEnv.
const (
	EnvAPIToken      = "RIVERY_API_TOKEN" //nolint:gosec // G101: the variable's name, not a credential
	EnvRegion        = "RIVERY_REGION"
	EnvBaseURL       = "RIVERY_BASE_URL"
	EnvAccountID     = "RIVERY_ACCOUNT_ID"
	EnvEnvironmentID = "RIVERY_ENVIRONMENT_ID"
)

// NewClientFromEnv builds a client from RIVERY_API_TOKEN, RIVERY_REGION
// (us, eu, il or au), RIVERY_BASE_URL, RIVERY_ACCOUNT_ID and
// RIVERY_ENVIRONMENT_ID; empty variables are ignored. When RIVERY_API_TOKEN
// is not set, it signs in with Boomi platform credentials instead:
// BOOMI_ACCOUNT_ID, BOOMI_USERNAME and BOOMI_API_TOKEN (all three required)
// and BOOMI_PLATFORM_URL (see NewBoomiTokenSource). opts are applied after
// those the environment gives.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	token, envOpts, err := credentialsFromEnv()
	if err != nil {
		return nil, err
	}
	if v := os.Getenv(EnvRegion); v != "" {
		envOpts = append(envOpts, WithRegion(Region(strings.ToLower(strings.TrimSpace(v)))))
	}
	if v := os.Getenv(EnvBaseURL); v != "" {
		envOpts = append(envOpts, WithBaseURL(v))
	}
	if v := os.Getenv(EnvAccountID); v != "" {
		envOpts = append(envOpts, WithAccountID(v))
	}
	if v := os.Getenv(EnvEnvironmentID); v != "" {
		envOpts = append(envOpts, WithEnvironmentID(v))
	}
	return NewClient(token, append(envOpts, opts...)...)
}

// finish checks the options against each other once they are all applied.
func (c *config) finish() error {
	if c.regionSet && c.baseURL != "" {
		return errors.New("rivery: WithRegion and WithBaseURL conflict: give one")
	}
	if (c.accountID == "") != (c.environmentID == "") {
		return errors.New("rivery: WithAccountID and WithEnvironmentID must be given together")
	}
	if c.sharedTransport && c.httpClient != nil {
		return errors.New("rivery: WithSharedTransport and WithHTTPClient conflict: give one")
	}
	return nil
}

func (c *config) hosts() hosts {
	if c.baseURL != "" {
		return hosts{c.baseURL, c.baseURL}
	}
	return regionHosts[c.region]
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// truncate shortens s for an error message.
func truncate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
