package rivery

import (
	"errors"
	"testing"
	"time"
)

// Years 0 to 9999 can be written as RFC 3339; the years either side cannot.
func TestOutsideYears(t *testing.T) {
	t.Parallel()
	for year, want := range map[int]bool{-1: true, 0: false, 1: false, 2026: false, 9999: false, 10000: true} {
		if got := outsideYears(time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC)); got != want {
			t.Errorf("year %d: outside = %t, want %t", year, got, want)
		}
	}
}

// ErrTokensUnavailable is also ErrNotFound, and nothing else.
func TestTokensUnavailableMatches(t *testing.T) {
	t.Parallel()
	if !errors.Is(ErrTokensUnavailable, ErrNotFound) {
		t.Error("not ErrNotFound")
	}
	for _, other := range []error{ErrUnauthorized, ErrForbidden, ErrInvalidArgument, errors.New("x")} {
		if errors.Is(ErrTokensUnavailable, other) {
			t.Errorf("matches %v", other)
		}
	}
}
