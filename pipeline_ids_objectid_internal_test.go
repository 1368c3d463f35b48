package rivery

import (
	"strings"
	"testing"
)

// An object ID is 24 hex digits, either case; anything else is not.
func TestObjectID(t *testing.T) {
	t.Parallel()
	base := strings.Repeat("0", 23)
	for s, want := range map[string]bool{
		"63b724fc690def0011a1b2c3": true,
		"63B724FC690DEF0011A1B2C3": true,
		base + "9":                 true, base + "a": true, base + "f": true, base + "A": true, base + "F": true,
		base + "/": false, base + ":": false, base + "`": false, base + "g": false, base + "@": false, base + "G": false,
		"z" + base:  false,
		base:        false,
		base + "00": false,
		"":          false,
	} {
		if got := objectID(s); got != want {
			t.Errorf("objectID(%q) = %t, want %t", s, got, want)
		}
	}
}
