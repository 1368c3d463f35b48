package retry

import (
	"testing"
	"time"
)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "-1", "1.5", "Fri, 27 Nov 2026 12:00:30 GMT", "Friday, 27-Nov-26 12:01:00 GMT", "Fri Nov 27 12:00:10 2026", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v with ok false", v, d)
		}
		p := Policy{MaxWait: 30 * time.Second, Now: func() time.Time { return now }}
		if w := p.Backoff(time.Second, 30*time.Second, 0, response(429, v)); w < 0 || w > 30*time.Second {
			t.Fatalf("Backoff with Retry-After %q = %v", v, w)
		}
	})
}
