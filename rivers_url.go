package rivery

import (
	"fmt"
	"net/url"
	"strings"
)

// ConsoleURL is what a river's console URL says: the region its host
// names and the IDs in its path.
type ConsoleURL struct {
	// Region is the region of the console host (console.rivery.io is
	// RegionUS, eu-west-1.console.rivery.io RegionEU, ...); empty for a bare
	// river ID and for a console host of a region the SDK does not know.
	Region Region
	// AccountID and EnvironmentID are empty for a bare river ID.
	AccountID, EnvironmentID, RiverID string
}

// ParseRiverURL reads the IDs out of a river's console URL as users copy it
// from the browser; see ParseConsoleURL for the shapes it accepts. A bare
// river ID passes through with empty account and environment. Errors wrap
// ErrInvalidArgument. ParseConsoleURL also returns the region.
func ParseRiverURL(consoleURL string) (accountID, environmentID, riverID string, err error) {
	u, err := ParseConsoleURL(consoleURL)
	if err != nil {
		return "", "", "", err
	}
	return u.AccountID, u.EnvironmentID, u.RiverID, nil
}

// ParseConsoleURL reads a river's console URL as users copy it from the
// browser, on any region's console host, with or without a trailing path,
// query or fragment. The path (or a "#/..." fragment) may be
//
//	/dashboard/{account}/{environment}/river/{river}/...
//	/river/{account}/{environment}/river/{river}/...
//	/rivers/{account}/{environment}/{river}    (logic rivers)
//
// A bare river ID passes through with only RiverID set. Errors wrap
// ErrInvalidArgument.
func ParseConsoleURL(consoleURL string) (*ConsoleURL, error) {
	s := strings.TrimSpace(consoleURL)
	if !strings.ContainsAny(s, "/:") {
		if err := validateID("river ID", s); err != nil {
			return nil, err
		}
		return &ConsoleURL{RiverID: s}, nil
	}
	u, perr := url.Parse(s)
	if perr != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is neither a river ID nor a console URL", ErrInvalidArgument, truncate(s))
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme != "https" && u.Scheme != "http" || host != "console.rivery.io" && !strings.HasSuffix(host, ".console.rivery.io") {
		return nil, fmt.Errorf("%w: %q is not a Rivery console URL (want https://console.rivery.io/dashboard/...)", ErrInvalidArgument, truncate(s))
	}
	for _, path := range []string{u.Path, u.Fragment} {
		if a, e, r, ok := riverPath(path); ok {
			if err := validateIDs("account ID", a, "environment ID", e, "river ID", r); err != nil {
				return nil, err
			}
			return &ConsoleURL{Region: consoleRegion(host), AccountID: a, EnvironmentID: e, RiverID: r}, nil
		}
	}
	return nil, fmt.Errorf("%w: console URL %q has no /dashboard/{account}/{environment}/river/{id} path", ErrInvalidArgument, truncate(s))
}

// consoleRegion is the region whose console host is host, or "".
func consoleRegion(host string) Region {
	for r, h := range regionHosts {
		if u, err := url.Parse(h.console); err == nil && u.Hostname() == host {
			return r
		}
	}
	return ""
}

// riverPath finds the IDs among the segments of path: after
// dashboard/{a}/{e}/river(s)/{r}, river/{a}/{e}/river/{r}, or
// rivers/{a}/{e}/{r} where all three look like Rivery's 24-hex IDs.
func riverPath(path string) (a, e, r string, ok bool) {
	segs := strings.FieldsFunc(path, func(c rune) bool { return c == '/' })
	for i := range segs {
		switch {
		case i+4 < len(segs) && (segs[i] == "dashboard" || segs[i] == "river") && (segs[i+3] == "river" || segs[i+3] == "rivers"):
			return segs[i+1], segs[i+2], segs[i+4], true
		case i+3 < len(segs) && segs[i] == "rivers" && objectID(segs[i+1]) && objectID(segs[i+2]) && objectID(segs[i+3]):
			return segs[i+1], segs[i+2], segs[i+3], true
		}
	}
	return "", "", "", false
}

// objectID reports whether s is 24 hex digits, the shape of Rivery's
// account, environment and river IDs.
func objectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}
