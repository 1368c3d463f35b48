package rivery

import (
	"encoding/json"
	"slices"
	"time"
)

// UnmarshalJSON reads a token in the API's shape. A null (or empty) entry
// in its scopes is dropped: it grants nothing, and a Scope "" would only
// mislead. A time outside the years 0 to 9999 in UTC reads as unknown (the
// zero CreatedAt, a nil LastUsedAt), as run times do.
func (t *Token) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, (*tokenFields)(t)); err != nil {
		return err
	}
	t.tidy()
	return nil
}

// tokenFields is a Token without its methods, so decoding into it is one
// pass of encoding/json (and no recursion from UnmarshalJSON).
type tokenFields Token

// tidy drops empty scopes and unwritable times (see UnmarshalJSON).
func (t *Token) tidy() {
	t.Scopes = slices.DeleteFunc(t.Scopes, func(s Scope) bool { return s == "" })
	if outsideYears(t.CreatedAt) {
		t.CreatedAt = time.Time{}
	}
	if t.LastUsedAt != nil && outsideYears(*t.LastUsedAt) {
		t.LastUsedAt = nil
	}
}

// outsideYears reports whether t falls outside the years 0 to 9999 in UTC.
func outsideYears(t time.Time) bool {
	y := t.UTC().Year()
	return y < 0 || y > 9999
}

// Keyed reports whether the token's ID is set, so that it is not an empty
// (null) list item.
func (t *tokenFields) Keyed() bool { return t.ID != "" }
