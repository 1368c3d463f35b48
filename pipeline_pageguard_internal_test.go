package rivery

import (
	"strconv"
	"strings"
	"testing"
)

// A walk stops at maxPages pages even when every next_page is new.
func TestPageBound(t *testing.T) {
	t.Parallel()
	var seen visited
	const u = "https://api.rivery.io/v1/accounts/a/tokens?page="
	for i := 1; i <= maxPages; i++ {
		err := seen.add(u+strconv.Itoa(i), u+strconv.Itoa(i+1))
		if i < maxPages && err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		if i == maxPages {
			if err == nil || !strings.Contains(err.Error(), "past 10000 pages") {
				t.Fatalf("page %d: error %v, want the page bound", i, err)
			}
		}
	}
}

// URLs are compared as they will be requested.
func TestRequestedString(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]string{
		{"https://h/x", "https://h/x#"},
		{"https://h/x?a=1", "https://h/x?a=1#frag"},
	} {
		if a, b := requestedString(pair[0]), requestedString(pair[1]); a != b {
			t.Errorf("%q and %q request %q and %q", pair[0], pair[1], a, b)
		}
	}
}
