package rivery

import (
	"context"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
)

// newRequest is retryablehttp.NewRequestWithContext(ctx, method, target,
// body), without url.Parse's passes over target when target is plainly
// formed (see plainURL): every URL the SDK builds from its base URL and
// validated IDs is. Parsing such a URL would give exactly the fields
// plainURL returns, so they are set directly. Any other target is parsed.
func newRequest(ctx context.Context, method, target string, body any) (*retryablehttp.Request, error) {
	scheme, host, path, query, ok := plainURL(target)
	if !ok {
		return retryablehttp.NewRequestWithContext(ctx, method, target, body)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, "", body)
	if err != nil {
		return nil, err
	}
	u := req.URL
	u.Scheme, u.Host, u.Path, u.RawQuery = scheme, host, path, query
	req.Host = host
	return req, nil
}

// plainURL splits s, an http or https URL, into the parts url.Parse would
// give it, when s is plainly formed: a lower-case scheme; a host of
// letters, digits, dots and hyphens, with a port of digits or none; a
// path that starts with a slash and holds no byte a URL path escapes (nor
// a %); and an optional non-empty query of printable ASCII without '#'.
// Anything else reports false, for url.Parse to handle.
func plainURL(s string) (scheme, host, path, query string, ok bool) {
	switch {
	case strings.HasPrefix(s, "https://"):
		scheme, s = "https", s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		scheme, s = "http", s[len("http://"):]
	default:
		return "", "", "", "", false
	}
	i := strings.IndexByte(s, '/')
	if i < 0 || !plainHost(s[:i]) {
		return "", "", "", "", false
	}
	host, s = s[:i], s[i:]
	path, query, hasQuery := strings.Cut(s, "?")
	if hasQuery && query == "" { // a bare '?' sets url.URL.ForceQuery
		return "", "", "", "", false
	}
	for i := 0; i < len(path); i++ {
		if !plainPathByte(path[i]) {
			return "", "", "", "", false
		}
	}
	for i := 0; i < len(query); i++ {
		if b := query[i]; b <= ' ' || b >= 0x7f || b == '#' {
			return "", "", "", "", false
		}
	}
	return scheme, host, path, query, true
}

// plainHost reports whether h is a name of letters, digits, dots and
// hyphens, followed by ':' and a port of digits or by nothing.
func plainHost(h string) bool {
	name, port, hasPort := strings.Cut(h, ":")
	if name == "" || hasPort && port == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; !isAlnum(b) && b != '.' && b != '-' {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

// plainPathByte reports whether b stands for itself in a URL path: a byte
// url.PathEscape's path mode leaves as it is, other than '%'.
func plainPathByte(b byte) bool { return plainPathBytes[b] }

var plainPathBytes = func() (t [256]bool) {
	for b := range t {
		t[b] = isAlnum(byte(b)) || strings.IndexByte("-_.~$&+,/:;=@", byte(b)) >= 0
	}
	return t
}()

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
