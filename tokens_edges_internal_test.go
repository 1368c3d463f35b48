package rivery

import (
	"errors"
	"testing"
	"time"
)

// Years 0 to 9999 can be written as RFC 3339; a token time outside them
// reads as unknown.
func TestTokenTimesOutsideYears(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		`"0000-01-01T00:30:00+01:00"`: true, `"9999-12-31T23:00:00-05:00"`: true,
		`"0001-06-01T00:00:00Z"`: false, `"9999-06-01T00:00:00Z"`: false, `"2026-06-01T00:00:00"`: false,
	} {
		var tok Token
		if err := tok.UnmarshalJSON([]byte(`{"token_id": "t", "created_at": ` + in + `, "last_used_at": ` + in + `}`)); err != nil {
			t.Fatal(err)
		}
		if unknown := tok.CreatedAt.IsZero(); unknown != want || (tok.LastUsedAt == nil) != want {
			t.Errorf("%s: CreatedAt %v, LastUsedAt %v; want unknown %t", in, tok.CreatedAt, tok.LastUsedAt, want)
		}
		if _, err := time.Parse(time.RFC3339, tok.CreatedAt.Format(time.RFC3339)); err != nil {
			t.Errorf("%s: CreatedAt %v is not writable: %v", in, tok.CreatedAt, err)
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
