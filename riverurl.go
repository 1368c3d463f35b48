package rivery

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseRiverURL reads the IDs out of a river's console URL as users copy it
// from the browser, such as
//
//	https://console.rivery.io/dashboard/{account}/{environment}/river/{river}/source
//
// with or without a trailing path, query or fragment, on any region's
// console host (the path may also sit in a "#/..." fragment). A bare river
// ID passes through with empty account and environment. Errors wrap
// ErrInvalidArgument.
func ParseRiverURL(consoleURL string) (accountID, environmentID, riverID string, err error) {
	s := strings.TrimSpace(consoleURL)
	if !strings.ContainsAny(s, "/:") {
		if err := validateID("river ID", s); err != nil {
			return "", "", "", err
		}
		return "", "", s, nil
	}
	u, perr := url.Parse(s)
	if perr != nil || u.Host == "" {
		return "", "", "", fmt.Errorf("%w: %q is neither a river ID nor a console URL", ErrInvalidArgument, truncate(s))
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme != "https" && u.Scheme != "http" || host != "console.rivery.io" && !strings.HasSuffix(host, ".console.rivery.io") {
		return "", "", "", fmt.Errorf("%w: %q is not a Rivery console URL (want https://console.rivery.io/dashboard/...)", ErrInvalidArgument, truncate(s))
	}
	for _, path := range []string{u.Path, u.Fragment} {
		if a, e, r, ok := riverPath(path); ok {
			if err := validateIDs("account ID", a, "environment ID", e, "river ID", r); err != nil {
				return "", "", "", err
			}
			return a, e, r, nil
		}
	}
	return "", "", "", fmt.Errorf("%w: console URL %q has no /dashboard/{account}/{environment}/river/{id} path", ErrInvalidArgument, truncate(s))
}

// riverPath finds dashboard/{a}/{e}/river/{r} among the segments of path.
func riverPath(path string) (a, e, r string, ok bool) {
	segs := strings.FieldsFunc(path, func(c rune) bool { return c == '/' })
	for i := 0; i+4 < len(segs); i++ {
		if segs[i] == "dashboard" && (segs[i+3] == "river" || segs[i+3] == "rivers") {
			return segs[i+1], segs[i+2], segs[i+4], true
		}
	}
	return "", "", "", false
}
