package rivery

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// testJWT makes a JWT whose claims say it lives lifetime from iat.
func testJWT(name string, iat int64, lifetime time.Duration) string {
	claims := `{"sub":"` + name + `","iat":` + itoa(iat) + `,"exp":` + itoa(iat+int64(lifetime/time.Second)) + `}`
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// clockAt is a clock tests move by hand.
type clockAt struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clockAt) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clockAt) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestCachedJWTLifetime(t *testing.T) {
	t.Parallel()
	sent := time.Unix(5000, 0) // the local clock is far from the platform's: only the lifetime counts
	j := newCachedJWT(testJWT("a", 1000, 300*time.Second), sent)
	if !j.renewAt.Equal(sent.Add(270*time.Second)) || !j.expiresAt.Equal(sent.Add(300*time.Second)) {
		t.Errorf("renew %v, expire %v", j.renewAt, j.expiresAt)
	}
	// Up to 30 days is believed, whatever the unit's size.
	for _, life := range []time.Duration{2 * time.Hour, 30 * 24 * time.Hour} {
		if j := newCachedJWT(testJWT("b", 1000, life), sent); !j.expiresAt.Equal(sent.Add(life)) {
			t.Errorf("lifetime %v: expires %v", life, j.expiresAt)
		}
	}
	for _, v := range []string{"opaque", "a.b.c", "a." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":10}`)) + ".c",
		"a." + base64.RawURLEncoding.EncodeToString([]byte(`{"iat":10,"exp":5}`)) + ".c",
		"a." + base64.RawURLEncoding.EncodeToString([]byte(`{"iat":10,"exp":10}`)) + ".c", // no lifetime
		testJWT("long", 1000, 30*24*time.Hour+time.Second)} {
		if j := newCachedJWT(v, sent); !j.renewAt.IsZero() || j.due(sent.Add(1000*time.Hour)) || !j.usable(sent.Add(1000*time.Hour)) {
			t.Errorf("%q: renew at %v", v, j.renewAt)
		}
	}
}

// A JWT whose claims tell its lifetime is exchanged again after nine
// tenths of it; a failed renewal keeps the JWT while it lasts, tries again
// later rather than on every call, and fails the call once it expired.
func TestBoomiRenewsBeforeExpiry(t *testing.T) {
	t.Parallel()
	clk := &clockAt{t: time.Unix(1_000_000, 0)}
	ts, err := NewBoomiTokenSource(BoomiCredentials{AccountID: "acct", Username: "u", APIToken: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ts.now = clk.now
	mock := httpmock.NewMockTransport()
	c, err := NewClient("", WithTokenSource(ts), WithHTTPClient(&http.Client{Transport: mock}), WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, b := testJWT("a", 10, 300*time.Second), testJWT("b", 20, 300*time.Second)
	var mu sync.Mutex
	answers := []httpmock.Responder{httpmock.NewStringResponder(200, a), httpmock.NewStringResponder(200, b),
		httpmock.NewStringResponder(503, "down"), httpmock.NewStringResponder(503, "down")}
	mock.RegisterResponder(http.MethodGet, DefaultBoomiPlatformURL+"/auth/jwt/generate/acct", func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		next := answers[0]
		answers = answers[1:]
		mu.Unlock()
		return next(r)
	})
	ctx := context.Background()
	token := func(want string, exchanges int, wantErr bool) {
		t.Helper()
		got, err := ts.Token(ctx)
		if (err != nil) != wantErr || (!wantErr && got != want) || ts.Exchanges() != exchanges {
			t.Fatalf("Token = %.12q, %v after %d exchanges; want %.12q (error %v) after %d", got, err, ts.Exchanges(), want, wantErr, exchanges)
		}
	}
	token(a, 1, false)
	clk.add(269 * time.Second)
	token(a, 1, false)
	clk.add(time.Second) // nine tenths of the lifetime
	token(b, 2, false)
	clk.add(280 * time.Second) // b is due; the platform is down
	token(b, 3, false)
	token(b, 3, false)        // postponed, not tried on every call
	clk.add(21 * time.Second) // b expired
	token("", 4, true)
}
