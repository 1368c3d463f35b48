package riverytest

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"

	"github.com/rivery-go/rivery"
)

// boomiPlatform is the fake Boomi platform: one user whose API token the
// exchange trades for JWTs, which the API then accepts as bearer tokens
// with the rights of an account admin.
type boomiPlatform struct {
	account, username, apiToken string // generated on first use
	user                        *token // who a valid JWT authenticates as
	uses                        int    // uses of a JWT before it expires; 0: no limit
	lifetime                    time.Duration
	jwts                        map[string]*jwt
	exchanges                   int
}

type jwt struct {
	left    int // uses left, when limited
	expires time.Time
	revoked bool
}

// WithJWTExpiry makes each JWT the Boomi exchange hands out expire after
// uses authenticated requests (0: no limit) or lifetime (0: never),
// whichever comes first: a request with an expired JWT gets 401, so a test
// sees the client exchange again.
func WithJWTExpiry(uses int, lifetime time.Duration) Option {
	return func(s *Server) { s.boomi.uses, s.boomi.lifetime = max(uses, 0), max(lifetime, 0) }
}

// platform returns the Boomi user, made on first use; the caller holds s.mu.
func (s *Server) platform() *boomiPlatform {
	b := &s.boomi
	if b.user == nil {
		s.seq++
		b.account = fmt.Sprintf("boomi-account-%d", s.seq)
		b.username = "user@example.com"
		b.apiToken = "bpt_" + randomHex(20)
		b.jwts = map[string]*jwt{}
		b.user = &token{Token: Token{ID: fmt.Sprintf("66%022x", s.seq), Name: b.username, Admin: true},
			created: time.Now().UTC().Truncate(time.Second), createdBy: "boomi"}
	}
	return b
}

// BoomiCredentials returns the Boomi platform credentials the server's
// exchange (GET /auth/jwt/generate/{account}) accepts, with the server as
// the platform URL. Treat the API token as a secret in output.
func (s *Server) BoomiCredentials() rivery.BoomiCredentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.platform()
	return rivery.BoomiCredentials{PlatformURL: s.URL, AccountID: b.account, Username: b.username, APIToken: b.apiToken}
}

// BoomiClient is ClientV1 signed in with BoomiCredentials through a new
// rivery.BoomiTokenSource instead of the admin token.
func (s *Server) BoomiClient(opts ...rivery.Option) *rivery.Client {
	ts, err := rivery.NewBoomiTokenSource(s.BoomiCredentials())
	if err != nil {
		panic("riverytest: " + err.Error())
	}
	base := []rivery.Option{rivery.WithTokenSource(ts), rivery.WithAccountID(s.AccountID), rivery.WithEnvironmentID(s.EnvironmentID)}
	return s.ClientFor("", append(base, opts...)...)
}

// Exchanges reports how many JWTs the Boomi exchange has handed out.
func (s *Server) Exchanges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.boomi.exchanges
}

// ExpireJWTs makes every JWT handed out so far expire now.
func (s *Server) ExpireJWTs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.boomi.jwts {
		j.revoked = true
	}
}

// tokenFor returns the token a bearer value stands for: an API token, or
// the Boomi user for a JWT still valid (counting this use). The caller
// holds s.mu.
func (s *Server) tokenFor(value string) *token {
	if t := s.tokens[value]; t != nil {
		return t
	}
	j := s.boomi.jwts[value]
	switch {
	case j == nil, j.revoked, s.boomi.uses > 0 && j.left <= 0, !j.expires.IsZero() && !time.Now().Before(j.expires):
		return nil
	}
	j.left--
	return s.boomi.user
}

// boomiExchange serves GET /auth/jwt/generate/{account}: Basic
// "BOOMI_TOKEN.{username}:{api token}" gets a JWT as plain text.
func (s *Server) boomiExchange(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	b := s.platform()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("BOOMI_TOKEN."+b.username+":"+b.apiToken))
	ok := r.PathValue("boomiAccount") == b.account && r.Header.Get("Authorization") == want
	var value string
	if ok {
		b.exchanges++
		j := &jwt{left: b.uses}
		lifetime := s.scaled(b.lifetime)
		if lifetime > 0 {
			j.expires = time.Now().Add(lifetime)
		}
		claims := fmt.Sprintf(`{"sub":%q,"jti":%d}`, b.username, b.exchanges)
		if lifetime > 0 { // as the platform does, say when it expires
			iat := time.Now().Unix()
			claims = fmt.Sprintf(`{"sub":%q,"jti":%d,"iat":%d,"exp":%d}`, b.username, b.exchanges, iat, iat+int64(math.Ceil(lifetime.Seconds())))
		}
		value = "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + "." + randomHex(16)
		b.jwts[value] = j
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, "Unauthorized")
		return
	}
	_, _ = io.WriteString(w, value)
}
