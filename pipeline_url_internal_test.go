package rivery

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/go-retryablehttp"
)

// plainURLSeeds are URLs the SDK builds and their near misses, each of
// which plainURL must either split exactly as url.Parse does or leave to it.
var plainURLSeeds = []string{
	"https://api.rivery.io/api/run",
	"http://127.0.0.1:34567/api/check_run?run_id=0123456789abcdef",
	"https://api.rivery.io/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers/63b724fc690def0011aaaaaa/runs/0123",
	"https://eu-west-1.api.rivery.io/v1/accounts/a/tokens?page=2&items_per_page=50",
	"https://api.rivery.io/base/path/v1/scopes",
	"http://localhost/",
	"HTTP://api.rivery.io/api/run",   // upper-case scheme: url.Parse lowers it
	"https://api.rivery.io",          // no path
	"https://api.rivery.io?x=1",      // no path, a query
	"https://:443/api/run",           // no host name
	"https://api.rivery.io:/x",       // empty port
	"https://api.rivery.io:44a/x",    // bad port
	"https://[::1]:8080/api/run",     // IPv6
	"https://user:pw@api.rivery.io/", // user info
	"https://api.rivery.io/a%2Fb",    // escaped path
	"https://api.rivery.io/a b",      // a byte the path escapes
	"https://api.rivery.io/a!b",      // another byte a path escapes
	"https://api.rivery.io/x?",       // ForceQuery
	"https://api.rivery.io/x?a=1#frag",
	"https://api.rivery.io/x?a=%20b&c=d?e",
	"https://api.rivery.io/x?a=\x7f",
	"https://api.rivery.io/\x00",
	"https://api.rivery.io/x#frag",
	"https://ap_i.rivery.io/x",
	"https://a%41b.rivery.io/x", // an escaped host
	"https://a b.rivery.io/x",   // a space in the host
	"https://a!b.rivery.io/x",   // a sub-delimiter in the host
	"ftp://api.rivery.io/x",
	"",
}

// checkPlainURL fails t if plainURL accepts s but url.Parse disagrees.
func checkPlainURL(t *testing.T, s string) {
	t.Helper()
	scheme, host, path, query, ok := plainURL(s)
	if !ok {
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("plainURL(%q) accepted what url.Parse refuses: %v", s, err)
	}
	want := url.URL{Scheme: scheme, Host: host, Path: path, RawQuery: query}
	if *u != want {
		t.Fatalf("plainURL(%q) = %#v; url.Parse gives %#v", s, want, *u)
	}
}

func TestPlainURLAgreesWithURLParse(t *testing.T) {
	t.Parallel()
	accepted := 0
	for _, s := range plainURLSeeds {
		checkPlainURL(t, s)
		if _, _, _, _, ok := plainURL(s); ok {
			accepted++
		}
	}
	if accepted != 7 { // the first six seeds, and the query with '%' and '?'
		t.Errorf("plainURL accepted %d seeds, want 7", accepted)
	}
}

// sameURL reports how a differs from b, field by field (User by value).
func sameURL(a, b *url.URL) error {
	x, y := *a, *b
	if x.User.String() != y.User.String() {
		return fmt.Errorf("user %q, want %q", x.User, y.User)
	}
	x.User, y.User = nil, nil
	if x != y {
		return fmt.Errorf("%#v, want %#v", x, y)
	}
	return nil
}

func FuzzPlainURL(f *testing.F) {
	for _, s := range plainURLSeeds {
		f.Add(s)
	}
	f.Fuzz(checkPlainURL)
}

// TestNewRequestAsParsed checks that a request built by newRequest is the
// one go-retryablehttp builds from the same target, whichever way the
// target was read.
func TestNewRequestAsParsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, s := range plainURLSeeds {
		for _, body := range []any{nil, strings.NewReader(`{"river_id":"r"}`)} {
			want, werr := retryablehttp.NewRequestWithContext(ctx, "POST", s, body)
			if body != nil {
				body = strings.NewReader(`{"river_id":"r"}`)
			}
			got, gerr := newRequest(ctx, "POST", s, body)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%q: error %v, want %v", s, gerr, werr)
			}
			if werr != nil {
				continue
			}
			if got.URL.String() != want.URL.String() || sameURL(got.URL, want.URL) != nil || got.Host != want.Host || got.Method != want.Method ||
				got.ContentLength != want.ContentLength || len(got.Header) != len(want.Header) || got.Context() != ctx {
				t.Errorf("%q: newRequest built %v %#v (host %q, length %d), want %v %#v (host %q, length %d)", s,
					got.Method, *got.URL, got.Host, got.ContentLength, want.Method, *want.URL, want.Host, want.ContentLength)
			}
		}
	}
}

// TestPlainPathBytes checks the table against url.PathEscape's path mode:
// a byte is plain exactly when escaping a path leaves it as it is, '%'
// aside.
func TestPlainPathBytes(t *testing.T) {
	t.Parallel()
	for b := 0; b < 256; b++ {
		s := string([]byte{'/', byte(b)})
		kept := (&url.URL{Path: s}).EscapedPath() == s && b != '%'
		if plainPathByte(byte(b)) != kept {
			t.Errorf("plainPathByte(%q) = %v; escaping keeps it: %v", byte(b), plainPathByte(byte(b)), kept)
		}
	}
}
