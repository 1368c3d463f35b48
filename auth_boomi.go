package rivery

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/rivery-go/rivery/internal/retry"
)

// DefaultBoomiPlatformURL is the Boomi platform API that NewBoomiTokenSource
// exchanges tokens with unless told otherwise.
const DefaultBoomiPlatformURL = "https://api.boomi.com"

// Environment variables NewClientFromEnv reads when RIVERY_API_TOKEN is not
// set.
const (
	EnvBoomiAccountID   = "BOOMI_ACCOUNT_ID"
	EnvBoomiUsername    = "BOOMI_USERNAME"
	EnvBoomiAPIToken    = "BOOMI_API_TOKEN" //nolint:gosec // G101: the variable's name, not a credential
	EnvBoomiPlatformURL = "BOOMI_PLATFORM_URL"
)

// pathBoomiJWT is the platform's token exchange, followed by the account ID.
const pathBoomiJWT = "/auth/jwt/generate/"

// limitJWT bounds the exchange's answer: a JWT is a few KiB at most.
const limitJWT = 16 << 10

// BoomiCredentials are a Boomi platform user's API token credentials.
type BoomiCredentials struct {
	// PlatformURL is the Boomi platform API; empty means
	// DefaultBoomiPlatformURL. It must be https (http only to loopback).
	PlatformURL string
	// AccountID is the Boomi platform account (not the Rivery account ID
	// of the v1 paths).
	AccountID string
	Username  string
	APIToken  string // the platform API token: a secret
}

// BoomiTokenSource signs in with a Boomi platform API token: it exchanges
// the token for a short-lived JWT (GET {platform}/auth/jwt/generate/{account}
// with Basic authentication "BOOMI_TOKEN.{username}:{api token}", answered
// with the JWT as plain text), caches the JWT and exchanges again shortly
// before it expires (when its claims say when) or when a call gets 401.
// Concurrent 401s cause one exchange. It is safe for
// concurrent use, and prints none of the credentials or the JWT, by any
// verb.
//
// The exchange uses the HTTP client, timeout, retry and logger settings of
// the first Client the source is given to (WithTokenSource), and the
// defaults before that. It is retried on 429, 5xx and transport errors,
// never on other answers (a 401 there means the platform credentials are
// wrong), and honors the caller's context.
type BoomiTokenSource struct {
	url     string // the exchange URL
	account string
	basic   secret // "Basic base64(BOOMI_TOKEN.user:token)"
	sem     chan struct{}
	jwt     atomic.Pointer[cachedJWT]
	via     atomic.Pointer[Client] // the first client given the source
	alone   atomic.Pointer[Client] // a client of defaults, for use before that
	n       atomic.Int64           // exchanges made
	now     func() time.Time       // time.Now; tests move it
}

// NewBoomiTokenSource returns a TokenSource for the Boomi platform
// credentials: pass it to NewClient with WithTokenSource and an empty
// token. Missing credentials or a bad platform URL are an error; it does no
// network I/O (the first call exchanges).
func NewBoomiTokenSource(creds BoomiCredentials) (*BoomiTokenSource, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"account ID", creds.AccountID}, {"username", creds.Username}, {"API token", creds.APIToken},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: Boomi credentials lack the %s", ErrInvalidArgument, strings.Join(missing, ", "))
	}
	if err := validateID("Boomi account ID", creds.AccountID); err != nil {
		return nil, err
	}
	if hasControl(creds.Username) || hasControl(creds.APIToken) {
		return nil, fmt.Errorf("%w: Boomi username or API token contains control characters", ErrInvalidArgument)
	}
	platform := creds.PlatformURL
	if platform == "" {
		platform = DefaultBoomiPlatformURL
	}
	base, err := parseBaseURL(platform)
	if err != nil {
		return nil, fmt.Errorf("%w: Boomi platform URL: %w", ErrInvalidArgument, err)
	}
	pair := "BOOMI_TOKEN." + creds.Username + ":" + creds.APIToken
	return &BoomiTokenSource{
		url:     base + pathBoomiJWT + url.PathEscape(creds.AccountID),
		account: creds.AccountID,
		basic:   newSecret("Basic " + base64.StdEncoding.EncodeToString([]byte(pair))),
		sem:     make(chan struct{}, 1),
		now:     time.Now,
	}, nil
}

// Token returns the cached JWT, exchanging for one on first use. When the
// JWT's claims tell its lifetime (iat and exp), it is exchanged again after
// nine tenths of it, before calls meet a 401; if that exchange fails while
// the JWT still has time left, Token returns the JWT and tries again later.
func (s *BoomiTokenSource) Token(ctx context.Context) (string, error) {
	j := s.jwt.Load()
	if j == nil {
		return s.exchangeUnless(ctx, "", false)
	}
	if !j.due(s.now()) {
		return j.value, nil
	}
	v, err := s.exchangeUnless(ctx, j.value, true)
	if err != nil && ctx.Err() == nil && j.usable(s.now()) {
		s.jwt.CompareAndSwap(j, j.postponed(s.now()))
		return j.value, nil
	}
	return v, err
}

// Refresh exchanges for a new JWT, unless the cached one already differs
// from stale (another caller refreshed it meanwhile).
func (s *BoomiTokenSource) Refresh(ctx context.Context, stale string) (string, error) {
	return s.exchangeUnless(ctx, stale, false)
}

// Exchanges reports how many exchanges the source has made.
func (s *BoomiTokenSource) Exchanges() int { return int(s.n.Load()) }

// exchangeUnless exchanges, one caller at a time, unless the cache holds a
// JWT other than stale by the time this caller's turn comes (or, for an
// early renewal, one no longer due). Waiting for the turn honors ctx.
func (s *BoomiTokenSource) exchangeUnless(ctx context.Context, stale string, early bool) (string, error) {
	if ctx == nil {
		return "", fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return "", &RequestError{Method: http.MethodGet, URL: s.url, Err: ctx.Err()}
	}
	defer func() { <-s.sem }()
	if j := s.jwt.Load(); j != nil && (j.value != stale || early && !j.due(s.now())) {
		return j.value, nil
	}
	sent := s.now()
	jwt, err := s.exchange(ctx)
	if err != nil {
		return "", err
	}
	s.jwt.Store(newCachedJWT(jwt, sent))
	return jwt, nil
}

// bindClient makes the exchange use c's transport and retry settings, if
// no client did before.
func (s *BoomiTokenSource) bindClient(c *Client) { s.via.CompareAndSwap(nil, c) }

// client returns the bound client, or one of default settings (made once,
// under s.sem) while none is bound. Only its transport and retry settings
// are used: its own token is a placeholder never sent.
func (s *BoomiTokenSource) client() (*Client, error) {
	if c := s.via.Load(); c != nil {
		return c, nil
	}
	if c := s.alone.Load(); c != nil {
		return c, nil
	}
	c, err := NewClient(redacted)
	if err != nil {
		return nil, err
	}
	s.alone.Store(c)
	return c, nil
}

// exchange makes one exchange, with retries, reported to the client's
// observer when it has one (a call of its own, inside the call that
// needed the token).
func (s *BoomiTokenSource) exchange(ctx context.Context) (string, error) {
	c, err := s.client()
	if err != nil {
		return "", err
	}
	if c.obs == nil {
		return s.exchangeOnce(ctx, c, nil)
	}
	o := c.startCall(ctx, c.endpointOf(http.MethodGet, s.url, routeBoomiExchange), false)
	jwt, err := s.exchangeOnce(o.ctx, c, o)
	o.end(err)
	return jwt, err
}

// exchangeOnce is exchange through c, its attempts reported to o when not
// nil.
func (s *BoomiTokenSource) exchangeOnce(ctx context.Context, c *Client, o *callObs) (string, error) {
	s.n.Add(1)
	// A callState makes the client's hooks count and log the attempts
	// (method, host and path only).
	st := &callState{method: http.MethodGet, obs: o}
	ctx = retry.WithCall(ctx, st)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return "", fmt.Errorf("%w: building the Boomi token exchange: %w", ErrInvalidArgument, err)
	}
	st.host, st.path = req.URL.Host, req.URL.Path
	req.Header["Authorization"] = s.basic.header()
	req.Header["Accept"] = []string{"*/*"}
	req.Header["User-Agent"] = c.headers.userAgent
	var body []byte
	resp, errBody, err := c.sendOutside(ctx, st, req, func(r io.Reader, _ int64) (err error) { //nolint:bodyclose // sendOutside closes it
		body, err = readBounded(r, limitJWT)
		return err
	})
	if err != nil {
		return "", &RequestError{Method: http.MethodGet, URL: s.url, Attempts: max(st.attempts, 1), Err: err, scrub: s.basic}
	}
	if !success(resp.StatusCode) {
		retryAfter, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		apiErr := newAPIError(http.MethodGet, s.url, resp, errBody, retryAfter)
		s.basic.sealAPIError(apiErr) // an answer may echo the credentials
		return "", apiErr
	}
	jwt := strings.TrimSpace(string(body))
	if jwt == "" || hasControl(jwt) || strings.ContainsAny(jwt, " \"") {
		return "", &RequestError{Method: http.MethodGet, URL: s.url, Attempts: st.attempts,
			Err: errors.New("the Boomi token exchange answered no usable token"), scrub: s.basic}
	}
	return jwt, nil
}

// String describes the source without its credentials or JWT.
func (s *BoomiTokenSource) String() string {
	return fmt.Sprintf("rivery.BoomiTokenSource{url: %s, credentials: %s, jwt: %s}", s.url, redacted, redacted)
}

// GoString is String, for %#v.
func (s *BoomiTokenSource) GoString() string { return s.String() }

// Format prints String for every verb.
func (s *BoomiTokenSource) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue keeps slog from walking the source's fields.
func (s *BoomiTokenSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

// credentialsFromEnv returns RIVERY_API_TOKEN, or, when it is not set, an
// empty token and the option that signs in with the BOOMI_* variables.
func credentialsFromEnv() (string, []Option, error) {
	if token := os.Getenv(EnvAPIToken); token != "" {
		return token, nil, nil
	}
	creds := BoomiCredentials{
		PlatformURL: os.Getenv(EnvBoomiPlatformURL),
		AccountID:   os.Getenv(EnvBoomiAccountID),
		Username:    os.Getenv(EnvBoomiUsername),
		APIToken:    os.Getenv(EnvBoomiAPIToken),
	}
	var missing []string
	for _, v := range []struct{ name, value string }{
		{EnvBoomiAccountID, creds.AccountID}, {EnvBoomiUsername, creds.Username}, {EnvBoomiAPIToken, creds.APIToken},
	} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	switch len(missing) {
	case 3:
		return "", nil, fmt.Errorf("rivery: %s is not set (nor %s, %s and %s)", EnvAPIToken, EnvBoomiAccountID, EnvBoomiUsername, EnvBoomiAPIToken)
	case 0:
	default:
		return "", nil, fmt.Errorf("rivery: %s is not set, and the Boomi sign-in lacks %s", EnvAPIToken, strings.Join(missing, ", "))
	}
	ts, err := NewBoomiTokenSource(creds)
	if err != nil {
		return "", nil, fmt.Errorf("rivery: %w", err)
	}
	return "", []Option{WithTokenSource(ts)}, nil
}
