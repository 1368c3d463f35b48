package rivery

import "testing"

// safeText at the edges of its fast scan: a lone 0x80 byte (the first
// that is not ASCII) is invalid UTF-8 and replaced; a space and a tab are
// kept, and text with nothing to replace comes back without allocating.
func TestSafeTextEdges(t *testing.T) {
	for in, want := range map[string]string{
		"a\x80b":       "a\ufffdb",
		"\x80":         "\ufffd",
		"a b\tc":       "a b\tc",
		"a\x1fb":       "a\ufffdb",
		"a\x7fb":       "a\ufffdb",
		"caf\u00e9 ok": "caf\u00e9 ok",
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
	for _, clean := range []string{"a b\tc", "status: failed (see logs)", "caf\u00e9 \u2713"} {
		if n := testing.AllocsPerRun(100, func() { _ = safeText(clean) }); n != 0 {
			t.Errorf("safeText(%q) allocates %v times, want 0", clean, n)
		}
	}
}

// scrub finds a token piece at the very start and the very end of the
// text, and text that is one piece and nothing else.
func TestScrubEdges(t *testing.T) {
	s := newSecret("Bearer XYZtok-9f8e7d6c5b4a3210-secret")
	for in, want := range map[string]string{
		"9f8e7d6c":                       "[redacted]",
		"9f8e7d6c at the start":          "[redacted] at the start",
		"at the end 5b4a3210":            "at the end [redacted]",
		"XYZtok-9f8e7d6c5b4a3210-secret": "[redacted]",
	} {
		if got := s.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
