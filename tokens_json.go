package rivery

import (
	"encoding/json"

	"github.com/rivery-go/rivery/internal/wire"
)

// UnmarshalJSON reads a token in the API's shape, leniently (see the
// package doc): times in any form the API sends (a zone-less or empty
// last_used_at included), scopes as a list or keyed by environment. A null
// (or empty) scope is dropped: it grants nothing, and a Scope "" would only
// mislead. A time outside the years 0 to 9999 in UTC reads as unknown (the
// zero CreatedAt, a nil LastUsedAt), as run times do.
func (t *Token) UnmarshalJSON(b []byte) error {
	var w wire.Token
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = tokenFromWire(&w)
	return nil
}

// tokenFromWire is the Token a wire token describes.
func tokenFromWire(w *wire.Token) Token {
	t := Token{
		ID:        string(w.TokenID),
		Name:      firstNonEmpty(string(w.Name), string(w.TokenName)),
		CreatedAt: firstTime(w.CreatedAt.Time, w.InsertTime.Time),
		CreatedBy: firstNonEmpty(string(w.CreatedBy), string(w.User)),
		Value:     w.Value,
	}
	if len(w.Scopes) > 0 {
		t.Scopes = make([]Scope, len(w.Scopes))
		for i, s := range w.Scopes {
			t.Scopes[i] = Scope(s)
		}
	}
	if !w.LastUsedAt.IsZero() {
		last := w.LastUsedAt.Time
		t.LastUsedAt = &last
	}
	return t
}
