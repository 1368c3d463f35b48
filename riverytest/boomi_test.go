package riverytest_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// exchange calls the fake's Boomi exchange with a Basic header of user and
// token, returning the status and body.
func exchange(t *testing.T, srv *riverytest.Server, account, user, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/auth/jwt/generate/"+account, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("BOOMI_TOKEN."+user+":"+token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The exchange hands out a JWT for the right credentials only, counts
// what it hands out, and the JWT works as a bearer token until it is used
// up.
func TestBoomiExchange(t *testing.T) {
	srv := newServer(t, riverytest.WithJWTExpiry(1, 0))
	cr := srv.BoomiCredentials()
	for _, bad := range [][3]string{{cr.AccountID, cr.Username, "wrong"}, {cr.AccountID, "other", cr.APIToken}, {"other", cr.Username, cr.APIToken}} {
		if code, _ := exchange(t, srv, bad[0], bad[1], bad[2]); code != http.StatusUnauthorized {
			t.Errorf("%q: status %d, want 401", bad, code)
		}
	}
	code, jwt := exchange(t, srv, cr.AccountID, cr.Username, cr.APIToken)
	if code != http.StatusOK || strings.Count(jwt, ".") != 2 || srv.Exchanges() != 1 {
		t.Fatalf("status %d, JWT %q, %d exchanges", code, jwt, srv.Exchanges())
	}
	me := func() int {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/me", http.NoBody)
		req.Header.Set("Authorization", "Bearer "+jwt)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if first, second := me(), me(); first != http.StatusOK || second != http.StatusUnauthorized {
		t.Errorf("JWT good for one use: statuses %d, %d; want 200, 401", first, second)
	}
	http.DefaultClient.CloseIdleConnections()
}
