package wire

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Millis at its bounds: 0 and anything from 1e15 on are unreadable (the
// zero time); just inside them is a time.
func TestMillisBounds(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		`0`:                {},
		`"0"`:              {},
		`-1`:               {},
		`1`:                time.UnixMilli(1).UTC(),
		`1e15`:             {},
		`1000000000000000`: {},
		`999999999999999`:  {},                                    // the year 33658: outside 0 to 9999, unwritable, so unknown
		`253402300799999`:  time.UnixMilli(253402300799999).UTC(), // 9999-12-31T23:59:59.999Z
	} {
		var m Millis
		if err := json.Unmarshal([]byte(in), &m); err != nil || !m.Equal(want) {
			t.Errorf("Millis(%s) = %v, %v; want %v", in, m.Time, err, want)
		}
		if !m.IsZero() && m.Location() != time.UTC {
			t.Errorf("Millis(%s) in %v, want UTC", in, m.Location())
		}
	}
}

// AppendString's exact output at the edges of its escaping: a space and
// the other printable ASCII pass as they are, bytes from 0x80 that are not
// UTF-8 become \ufffd, U+2028 and U+2029 are escaped, and other runes pass.
func TestAppendStringEdges(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		" ":            `" "`,
		"a b~":         `"a b~"`,
		"\x1f":         `"\u001f"`,
		"\x7f":         "\"\x7f\"",
		"\x80":         `"\ufffd"`,
		"a\xffb":       `"a\ufffdb"`,
		"\xe2\x80":     `"\ufffd\ufffd"`,
		"\u2028":       `"\u2028"`,
		"x\u2029y":     `"x\u2029y"`,
		"\u2027\u202a": "\"\u2027\u202a\"",
		"é日":           `"é日"`,
		`"\`:           `"\"\\"`,
		"<&>":          `"<&>"`,
	} {
		got := string(AppendString(nil, in))
		if got != want {
			t.Errorf("AppendString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("AppendString(%q) = %s, not JSON: %v", in, got, err)
		}
	}
}

// Millis reads every shape as a float: integers exactly at every length
// around the 15-digit edge (checked against an integer reading), and the
// other shapes as a float reads them.
func TestMillisShapes(t *testing.T) {
	t.Parallel()
	epoch, ms := time.UnixMilli(0).UTC(), func(v int64) time.Time { return time.UnixMilli(v).UTC() }
	want := map[string]time.Time{
		`0.5`:                  epoch, // (0, 1) is the epoch itself
		`"0.5"`:                epoch,
		`1e-3`:                 epoch,
		`0.999`:                epoch,
		`1.5`:                  ms(1),
		`17e11`:                ms(17e11),
		`"1764237600000"`:      ms(1764237600000),
		`1764237600000.9`:      ms(1764237600000),
		`"+5"`:                 ms(5),
		`"007"`:                ms(7),
		`-5`:                   {},
		`"0x10"`:               {},
		`""`:                   {},
		`"12a"`:                {},
		`18446744073709551617`: {}, // 2^64+1: wraps to 1 in an int64, but is far past 1e15
	}
	for n := 1; n <= 20; n++ {
		for _, in := range []string{strings.Repeat("1", n), strings.Repeat("9", n), "2" + strings.Repeat("0", n-1)} {
			v, err := strconv.ParseInt(in, 10, 64)
			switch {
			case err != nil, v > 253402300799999: // past 9999-12-31T23:59:59.999Z: unwritable, so unknown
				want[in] = time.Time{}
			default:
				want[in] = ms(v)
			}
		}
	}
	for in, w := range want {
		var m Millis
		if err := json.Unmarshal([]byte(in), &m); err != nil {
			t.Fatalf("Millis(%s): %v", in, err)
		}
		if !m.Equal(w) || !m.IsZero() && m.Location() != time.UTC {
			t.Errorf("Millis(%s) = %v, want %v", in, m.Time, w)
		}
	}
}
