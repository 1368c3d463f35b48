package rivery

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxIDLength bounds every ID the SDK puts in a path. Rivery's IDs are 24 or
// 32 hex digits; the bound leaves room for other shapes without letting a
// runaway string through.
const maxIDLength = 128

// validateID checks that id can stand alone as one path segment: not empty,
// not "." or "..", short, and free of '/', '?', '#', '%', '\', white space and
// control characters. The error wraps ErrInvalidArgument and names what.
func validateID(what, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidArgument, what)
	case id == "." || id == "..":
		return fmt.Errorf("%w: %s %q is not an ID", ErrInvalidArgument, what, id)
	case len(id) > maxIDLength:
		return fmt.Errorf("%w: %s is %d bytes long (at most %d)", ErrInvalidArgument, what, len(id), maxIDLength)
	}
	for i := 0; i < len(id); i++ {
		if b := id[i]; b >= utf8.RuneSelf || badIDByte[b] {
			return validateRunes(what, id, i) // rare: non-ASCII, or a bad byte
		}
	}
	return nil
}

// badIDByte marks the ASCII bytes an ID may not hold.
var badIDByte = func() (t [utf8.RuneSelf]bool) {
	for b := range t {
		t[b] = badIDRune(rune(b))
	}
	return t
}()

// validateRunes checks id rune by rune from byte from on.
func validateRunes(what, id string, from int) error {
	if i := strings.IndexFunc(id[from:], badIDRune); i >= 0 {
		r, _ := utf8.DecodeRuneInString(id[from+i:])
		return fmt.Errorf("%w: %s %q contains %q", ErrInvalidArgument, what, id, r)
	}
	return nil
}

func badIDRune(r rune) bool {
	return strings.ContainsRune(`/?#%\`, r) || unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar
}

// validateIDs checks pairs of (what, id) in order and returns the first error.
func validateIDs(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := validateID(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}
