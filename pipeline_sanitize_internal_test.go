package rivery

import "testing"

func TestSafeText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain\ttext":             "plain\ttext",
		"\x1b[31mred\x1b[0m":      "\uFFFD[31mred\uFFFD[0m",
		"a\u009bb\x7fc\x00d":      "a\uFFFDb\uFFFDc\uFFFDd",
		"\xff\xfeok":              "\uFFFD\uFFFDok",
		"rtl \u202eevil\u202c":    "rtl \uFFFDevil\uFFFD",
		"line\u2028para\u2029end": "line\uFFFDpara\uFFFDend",
		"日本 é":                    "日本 é",
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScrub(t *testing.T) {
	t.Parallel()
	s := newSecret("Bearer XYZtok-9f8e7d6c5b4a3210-secret")
	for in, want := range map[string]string{
		"token XYZtok-9f8e7d6c5b4a3210-secret is bad": "token [redacted] is bad",
		"pieces 9f8e7d6c and 3210-sec here":           "pieces [redacted] and [redacted] here",
		"short 9f8e7d6 stays":                         "short 9f8e7d6 stays",
		"":                                            "",
	} {
		if got := s.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
	if got := secret(nil).printable("a\x1bb"); got != "a\uFFFDb" {
		t.Errorf("a nil secret's printable = %q", got)
	}
}
