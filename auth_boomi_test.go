package rivery_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Boomi credentials of the httpmock tests, distinctive for leak checks.
const (
	boomiAccount  = "acme-Q7XK2P"
	boomiUser     = "ops@acme.example"
	boomiAPIToken = "bpt-5c1d9e7a3b2f4068-Qz9wK2vX-r7Tn"
	boomiJWT      = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJlLXNlY3JldA"
	exchangeURL   = "https://api.boomi.com/auth/jwt/generate/" + boomiAccount
)

// boomiBasic is the Authorization header of the exchange.
var boomiBasic = "Basic " + base64.StdEncoding.EncodeToString([]byte("BOOMI_TOKEN."+boomiUser+":"+boomiAPIToken))

func newBoomiSource(t *testing.T) *rivery.BoomiTokenSource {
	t.Helper()
	ts, err := rivery.NewBoomiTokenSource(rivery.BoomiCredentials{AccountID: boomiAccount, Username: boomiUser, APIToken: boomiAPIToken})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// checkNoSecrets fails when out holds any 8 bytes of the platform token
// (and so of the username:token pair), of the encoded pair, or of the JWT.
func checkNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{boomiAPIToken, strings.TrimPrefix(boomiBasic, "Basic "), boomiJWT} {
		if leaks(out, s) {
			t.Errorf("%s leaks a credential: %q", what, out)
		}
	}
	if strings.Contains(out, "BOOMI_TOKEN.") {
		t.Errorf("%s leaks the username:token pair: %q", what, out)
	}
}

// The exchange is GET {platform}/auth/jwt/generate/{account} with Basic
// "BOOMI_TOKEN.user:token"; the plain-text JWT becomes the bearer token,
// fetched once and cached.
func TestBoomiExchangeRequest(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	c, mock := setupSource(t, ts, v1()...)
	var ex, api recorder
	mock.RegisterResponder(http.MethodGet, exchangeURL, func(req *http.Request) (*http.Response, error) {
		ex.record(req)
		return httpmock.NewStringResponse(200, "  "+boomiJWT+"\n"), nil
	})
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, byToken(&api, boomiJWT, fixture(t, "v1_river_detail.json")))
	for range 3 {
		if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil {
			t.Fatal(err)
		}
	}
	req := ex.only(t)
	if req.Header.Get("Authorization") != boomiBasic || req.Header.Get("Accept") != "*/*" || req.Method != http.MethodGet {
		t.Errorf("exchange request %s with headers %v", req.Method, req.Header)
	}
	if n := len(api.all()); n != 3 || ts.Exchanges() != 1 {
		t.Errorf("%d API calls, %d exchanges; want 3 and 1", n, ts.Exchanges())
	}
}

// The exchange is retried on 503, 429 and transport errors, not on 401
// (wrong platform credentials), which is ErrUnauthorized.
func TestBoomiExchangeRetries(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	_, mock := setupSource(t, ts, v1()...)
	mock.RegisterResponder(http.MethodGet, exchangeURL, sequence(
		httpmock.NewStringResponder(503, "busy"),
		httpmock.NewStringResponder(429, "slow down"),
		httpmock.NewErrorResponder(errAfterSend()),
		httpmock.NewStringResponder(200, boomiJWT),
	))
	jwt, err := ts.Token(context.Background())
	if err != nil || jwt != boomiJWT || mock.GetTotalCallCount() != 4 {
		t.Fatalf("Token = %v after %d attempts; want the JWT after 4", err, mock.GetTotalCallCount())
	}

	ts2 := newBoomiSource(t)
	_, mock2 := setupSource(t, ts2, v1()...)
	mock2.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(401, "Unauthorized"))
	_, err = ts2.Token(context.Background())
	if !errors.Is(err, rivery.ErrUnauthorized) || mock2.GetTotalCallCount() != 1 {
		t.Errorf("bad credentials: %v after %d attempts; want ErrUnauthorized after 1", err, mock2.GetTotalCallCount())
	}
	checkNoSecrets(t, "exchange error", fmt.Sprintf("%v %+v %#v", err, err, err))

	ts3 := newBoomiSource(t)
	_, mock3 := setupSource(t, ts3, v1()...)
	mock3.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewErrorResponder(errAfterSend()))
	_, err = ts3.Token(context.Background())
	if reqErr := asRequestError(t, err); reqErr.Attempts != 4 || mock3.GetTotalCallCount() != 4 {
		t.Errorf("transport errors: %v after %d attempts; want a *RequestError after 4", err, mock3.GetTotalCallCount())
	}
}

// An answer that is too long, empty or not a token is an error.
func TestBoomiExchangeBadAnswers(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"too long": strings.Repeat("a", 20<<10),
		"empty":    " \n",
		"not one":  "eyJ.a b.c",
		"header":   "a\r\nX-Evil: 1",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ts := newBoomiSource(t)
			_, mock := setupSource(t, ts, append(v1(), rivery.WithoutRetries())...)
			mock.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(200, body))
			if jwt, err := ts.Token(context.Background()); err == nil {
				t.Errorf("Token = %q, want an error", jwt)
			}
		})
	}
}

// The exchange honors ctx, also while another caller's exchange holds the
// turn.
func TestBoomiExchangeHonorsContext(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	_, mock := setupSource(t, ts, v1()...)
	entered, release := make(chan struct{}), make(chan struct{})
	mock.RegisterResponder(http.MethodGet, exchangeURL, func(req *http.Request) (*http.Response, error) {
		close(entered)
		select {
		case <-release:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		return httpmock.NewStringResponse(200, boomiJWT), nil
	})
	first := make(chan error, 1)
	go func() {
		_, err := ts.Token(context.Background())
		first <- err
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts.Token(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting for the turn: error = %v, want context.Canceled", err)
	}
	if _, err := ts.Refresh(ctx, "old"); !errors.Is(err, context.Canceled) {
		t.Errorf("Refresh waiting for the turn: error = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}

	ts2 := newBoomiSource(t)
	_, mock2 := setupSource(t, ts2, v1()...)
	mock2.RegisterResponder(http.MethodGet, exchangeURL, func(req *http.Request) (*http.Response, error) {
		<-req.Context().Done()
		return nil, req.Context().Err()
	})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, err := ts2.Token(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("exchange past the deadline: error = %v", err)
	}
}

// 200 goroutines meeting 401 with the same stale JWT cause one exchange.
func TestBoomiConcurrent401sShareOneExchange(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	c, mock := setupSource(t, ts, v1()...)
	var mu sync.Mutex
	jwts := []string{"jwt.first.one", "jwt.second.one", "jwt.third.one"}
	mock.RegisterResponder(http.MethodGet, exchangeURL, func(*http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		j := jwts[0]
		jwts = jwts[1:]
		return httpmock.NewStringResponse(200, j), nil
	})
	var api recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, byToken(&api, "jwt.second.one", fixture(t, "v1_run.json")))
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ts.Exchanges() != 2 || mock.GetCallCountInfo()["GET "+exchangeURL] != 2 {
		t.Errorf("exchanges = %d, want 2 (the first token, one refresh)", ts.Exchanges())
	}
}

// Neither the source, a client using it, their logs nor their errors print
// the platform token, the username:token pair or the JWT, by any verb.
func TestBoomiSecretsArePrintedNowhere(t *testing.T) {
	t.Parallel()
	h := &capture{}
	ts := newBoomiSource(t)
	c, mock := setupSource(t, ts, append(v1(), rivery.WithLogger(slog.New(h)))...)
	mock.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(200, boomiJWT))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, sequence(
		httpmock.NewStringResponder(401, `{"detail":"Credentials are not valid"}`),
		httpmock.NewStringResponder(503, "busy"),
		httpmock.NewStringResponder(404, `{"detail":"not found"}`),
	))
	_, _, err := c.Rivers.Get(context.Background(), riverID)
	if err == nil {
		t.Fatal("want an error")
	}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(verb, ts), fmt.Sprintf(verb, c), fmt.Sprintf(verb, err), fmt.Sprintf(verb, []any{ts, c}))
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "ts", ts, "c", c)
	outs = append(outs, logs.String())
	outs = append(outs, h.all()...)
	if !strings.Contains(strings.Join(h.all(), "\n"), "path=/auth/jwt/generate/"+boomiAccount) {
		t.Errorf("the exchange was not logged: %q", h.all())
	}
	for _, out := range outs {
		checkNoSecrets(t, "output", out)
	}
}

func TestNewBoomiTokenSourceChecks(t *testing.T) {
	t.Parallel()
	good := rivery.BoomiCredentials{AccountID: boomiAccount, Username: boomiUser, APIToken: boomiAPIToken}
	for name, cr := range map[string]rivery.BoomiCredentials{
		"no account":  {Username: boomiUser, APIToken: boomiAPIToken},
		"no username": {AccountID: boomiAccount, APIToken: boomiAPIToken},
		"no token":    {AccountID: boomiAccount, Username: boomiUser},
		"bad account": {AccountID: "a/b", Username: boomiUser, APIToken: boomiAPIToken},
		"control":     {AccountID: boomiAccount, Username: "a\nb", APIToken: boomiAPIToken},
		"plain http":  {PlatformURL: "http://api.boomi.com", AccountID: boomiAccount, Username: boomiUser, APIToken: boomiAPIToken},
	} {
		_, err := rivery.NewBoomiTokenSource(cr)
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: error = %v", name, err)
		}
		if err != nil {
			checkNoSecrets(t, name, err.Error())
		}
	}
	if _, err := rivery.NewBoomiTokenSource(good); err != nil {
		t.Error(err)
	}
}

// On riverytest: a run trigger answered 401 (the JWT expired) is sent again
// with a fresh JWT and starts exactly one run; a second 401 is returned.
func TestBoomiTriggerAfter401StartsOneRun(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	c := srv.BoomiClient()
	ctx := context.Background()

	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 401})
	run, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil || run == nil {
		t.Fatalf("Run = %v", err)
	}
	if n := srv.RunsStarted(riverID); n != 1 || len(srv.RequestsTo(riverytest.RouteRun)) != 2 || srv.Exchanges() != 2 {
		t.Errorf("%d runs, %d triggers, %d exchanges; want 1, 2, 2", n, len(srv.RequestsTo(riverytest.RouteRun)), srv.Exchanges())
	}

	srv.Fail(riverytest.RouteRun, 2, riverytest.Fault{Status: 401})
	_, _, err = c.Rivers.Run(ctx, riverID)
	if !errors.Is(err, rivery.ErrUnauthorized) || srv.RunsStarted(riverID) != 1 {
		t.Errorf("second 401: error %v, %d runs; want ErrUnauthorized and still 1", err, srv.RunsStarted(riverID))
	}
}

// JWTs that expire after N uses or a lifetime are exchanged again on the
// 401 they meet, and every call succeeds.
func TestBoomiJWTExpiry(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}), riverytest.WithJWTExpiry(3, 0))
	defer srv.Close()
	c := srv.BoomiClient()
	for i := range 10 {
		if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := srv.Exchanges(); n != 4 {
		t.Errorf("exchanges = %d, want 4 (3 uses each)", n)
	}

	srv2 := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}), riverytest.WithJWTExpiry(0, 500*time.Millisecond))
	defer srv2.Close()
	c2 := srv2.BoomiClient()
	for i := range 2 {
		if i > 0 {
			time.Sleep(600 * time.Millisecond) // past the JWT's lifetime
		}
		if _, _, err := c2.Rivers.Get(context.Background(), riverID); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := srv2.Exchanges(); n < 2 { // more if the machine stalls past a JWT's lifetime
		t.Errorf("exchanges = %d, want 2 (one per call, each JWT expired)", n)
	}
	for _, r := range srv2.Requests() {
		if a := r.Header.Get("Authorization"); a != "" && a != "[redacted]" {
			t.Errorf("server recorded Authorization %q", a)
		}
	}
}

// On riverytest: 200 goroutines, first with no JWT yet, then with an
// expired one, cause one exchange each time.
func TestBoomiConcurrentExchangesOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	c := srv.BoomiClient()
	wave := func() {
		var wg sync.WaitGroup
		for range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	wave()
	if n := srv.Exchanges(); n != 1 {
		t.Errorf("first wave: %d exchanges, want 1", n)
	}
	srv.ExpireJWTs()
	wave()
	if n := srv.Exchanges(); n != 2 {
		t.Errorf("after expiry: %d exchanges, want 2", n)
	}
}

// NewClientFromEnv signs in with the BOOMI_* variables when
// RIVERY_API_TOKEN is not set.
func TestNewClientFromEnvBoomi(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	creds := srv.BoomiCredentials()
	for k, v := range map[string]string{
		rivery.EnvAPIToken: "", rivery.EnvRegion: "", rivery.EnvBaseURL: srv.URL,
		rivery.EnvAccountID: srv.AccountID, rivery.EnvEnvironmentID: srv.EnvironmentID,
		rivery.EnvBoomiPlatformURL: creds.PlatformURL, rivery.EnvBoomiAccountID: creds.AccountID,
		rivery.EnvBoomiUsername: creds.Username, rivery.EnvBoomiAPIToken: "",
	} {
		t.Setenv(k, v)
	}
	if _, err := rivery.NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), "lacks BOOMI_API_TOKEN") {
		t.Errorf("missing BOOMI_API_TOKEN: error = %v", err)
	}
	t.Setenv(rivery.EnvBoomiAPIToken, creds.APIToken)
	c, err := rivery.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil || srv.Exchanges() != 1 {
		t.Errorf("Get = %v after %d exchanges; want success after 1", err, srv.Exchanges())
	}

	t.Setenv(rivery.EnvAPIToken, srv.AdminToken()) // the Rivery token wins
	c2, err := rivery.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, _, err := c2.Rivers.Get(context.Background(), riverID); err != nil || srv.Exchanges() != 1 {
		t.Errorf("with RIVERY_API_TOKEN: %v, %d exchanges; want success and no new exchange", err, srv.Exchanges())
	}
	t.Setenv(rivery.EnvAPIToken, "")
	for _, k := range []string{rivery.EnvBoomiAccountID, rivery.EnvBoomiUsername, rivery.EnvBoomiAPIToken} {
		t.Setenv(k, "")
	}
	if _, err := rivery.NewClientFromEnv(); err == nil || !strings.Contains(err.Error(), "RIVERY_API_TOKEN is not set") {
		t.Errorf("no credentials: error = %v", err)
	}
}

// A source used before any client exchanges with default settings, and
// takes the settings of the first client it is then given.
func TestBoomiSourceAloneThenBound(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	creds := srv.BoomiCredentials()
	ts, err := rivery.NewBoomiTokenSource(creds)
	if err != nil {
		t.Fatal(err)
	}
	first, err := ts.Token(context.Background())
	if err != nil || srv.Exchanges() != 1 {
		t.Fatalf("Token alone: %v, %d exchanges", err, srv.Exchanges())
	}
	_, mock := setupSource(t, ts, v1()...)
	mock.RegisterResponder(http.MethodGet, creds.PlatformURL+"/auth/jwt/generate/"+creds.AccountID, httpmock.NewStringResponder(200, boomiJWT))
	jwt, err := ts.Refresh(context.Background(), first)
	if err != nil || jwt != boomiJWT || srv.Exchanges() != 1 || mock.GetTotalCallCount() != 1 {
		t.Errorf("Refresh once bound = %v; %d exchanges at the fake, %d at the client's transport; want 1 and 1", err, srv.Exchanges(), mock.GetTotalCallCount())
	}
}

// JWTs whose claims tell their lifetime are renewed before they expire:
// the server never answers 401.
func TestBoomiRenewsBeforeExpiryOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}), riverytest.WithJWTExpiry(0, 2*time.Second))
	defer srv.Close()
	c := srv.BoomiClient()
	for i := range 2 {
		if i > 0 {
			time.Sleep(1900 * time.Millisecond) // past nine tenths of the lifetime
		}
		if _, _, err := c.Rivers.Get(context.Background(), riverID); err != nil {
			t.Fatal(err)
		}
	}
	if n, calls := srv.Exchanges(), len(srv.RequestsTo(riverytest.RouteRiver)); n != 2 || calls != 2 {
		t.Errorf("%d exchanges, %d calls; want 2 and 2 (renewed before a 401)", n, calls)
	}
}

// Failed exchanges keep what they learned: the transport's own error (not
// net/url's wrapper), and the body of the last answer when the retries ran
// out on a retryable status. Any 2xx carries the JWT.
func TestBoomiExchangeErrorDetail(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	_, mock := setupSource(t, ts, v1()...)
	mock.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewErrorResponder(errAfterSend()))
	_, err := ts.Token(context.Background())
	var opErr *net.OpError
	if reqErr := asRequestError(t, err); !errors.As(reqErr.Err, &opErr) || opErr.Op != "read" {
		t.Errorf("transport error: %#v; want the transport's *net.OpError inside", reqErr)
	}

	ts2 := newBoomiSource(t)
	_, mock2 := setupSource(t, ts2, v1()...)
	mock2.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(503, "platform under maintenance"))
	_, err = ts2.Token(context.Background())
	if apiErr := asAPIError(t, err); apiErr.StatusCode != 503 || !strings.Contains(err.Error(), "platform under maintenance") {
		t.Errorf("503 until the retries ran out: %v; want the answer's text", err)
	}

	ts3 := newBoomiSource(t)
	_, mock3 := setupSource(t, ts3, v1()...)
	mock3.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(299, boomiJWT))
	if jwt, err := ts3.Token(context.Background()); err != nil || jwt != boomiJWT {
		t.Errorf("299 with a JWT: %v", err)
	}
}

// A refusal whose body is longer than a JWT is still the platform's
// answer: ErrUnauthorized after one attempt, not a body too large to read
// retried until the attempts run out.
func TestBoomiRefusalWithALongBody(t *testing.T) {
	t.Parallel()
	ts := newBoomiSource(t)
	_, mock := setupSource(t, ts, v1()...)
	mock.RegisterResponder(http.MethodGet, exchangeURL, httpmock.NewStringResponder(401, `{"message": "Unauthorized", "trace": "`+strings.Repeat("t", 20<<10)+`"}`))
	_, err := ts.Token(context.Background())
	if !errors.Is(err, rivery.ErrUnauthorized) || mock.GetTotalCallCount() != 1 {
		t.Errorf("Token = %v after %d attempts; want ErrUnauthorized after 1", err, mock.GetTotalCallCount())
	}
}
