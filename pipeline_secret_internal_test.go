package rivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// The secret type's own methods, reachable only inside the package: each
// way of printing one says "[redacted]" and nothing of the value, while
// header() still gives the value to the one place that sends it.
func TestSecretPrintsRedacted(t *testing.T) {
	t.Parallel()
	const value = "Bearer s3cr3t-VALUE-0123456789"
	s := newSecret(value)

	if got := s.header(); len(got) != 1 || got[0] != value {
		t.Fatalf("header() = %q, want [%q]", got, value)
	}
	if h1, h2 := s.header(), s.header(); &h1[0] != &h2[0] {
		t.Error("header() builds a new slice each call; want the one built by newSecret")
	}

	direct := map[string]string{"String": s.String(), "GoString": s.GoString(), "LogValue": s.LogValue().String()}
	text, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	direct["MarshalText"] = string(text)
	for name, got := range direct {
		if got != redacted {
			t.Errorf("%s = %q, want %q", name, got, redacted)
		}
	}

	holder := struct {
		S     secret
		Inner struct{ S secret }
		P     *secret
	}{S: s, P: &s}
	holder.Inner.S = s
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p", "%10.3s", "%-8v", "%!", "%z"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, holder), fmt.Sprintf(verb, []secret{s}), fmt.Sprintf(verb, map[string]secret{"k": s}))
	}
	for _, verb := range []string{"%v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(verb, s)
		if out != redacted {
			t.Errorf("Sprintf(%q, secret) = %q, want exactly %q", verb, out, redacted)
		}
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("m", "s", s, "holder", holder)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "s", s, "holder", holder)
	outs = append(outs, logs.String())
	if !strings.Contains(logs.String(), `"s":"[redacted]"`) || !strings.Contains(logs.String(), "s=[redacted]") {
		t.Errorf("slog output %q: want s logged as [redacted]", logs.String())
	}
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"S":"[redacted]","Inner":{"S":"[redacted]"},"P":"[redacted]"}`; string(js) != want {
		t.Errorf("json = %s, want %s", js, want)
	}
	outs = append(outs, string(js))
	for _, out := range outs {
		for _, piece := range []string{"s3cr3t", "VALUE", "0123456789", "Bearer"} {
			if strings.Contains(out, piece) || strings.Contains(strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", piece))) {
				t.Errorf("output %q holds %q of the value", out, piece)
			}
		}
	}
}

// Two secrets made from one value do not share their header slice, and a
// client's Authorization is the token it was built with.
func TestClientAuthHeader(t *testing.T) {
	t.Parallel()
	c, err := NewClient("tok-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.auth.header(); len(got) != 1 || got[0] != "Bearer tok-1" {
		t.Errorf("auth header = %q", got)
	}
	a, b := newSecret("x"), newSecret("x")
	if &a.header()[0] == &b.header()[0] {
		t.Error("two secrets share one header slice")
	}
}
