package rivery

import (
	"encoding/json"
	"testing"
)

// FuzzRedactJSON checks that redaction leaves only "[redacted]" under
// credential-named keys and in the value of credential-named pairs, and
// that its output is JSON.
func FuzzRedactJSON(f *testing.F) {
	f.Add(`{"password": "pw-secret-1", "host": "h"}`)
	f.Add(`{"a": {"API_TOKEN": "tok-secret-2"}, "b": [{"name": "client_secret", "value": "cs-secret-3"}]}`)
	f.Add(`{"password_exists": true, "private_key": null}`)
	f.Add(`[1, "x", {"Secret": {"nested": "n-secret-4"}}]`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, in string) {
		out := redactJSON(json.RawMessage(in))
		if in != "" && !json.Valid(out) {
			t.Fatalf("redactJSON(%q) = %q, not JSON", in, out)
		}
		var v any
		if json.Unmarshal([]byte(in), &v) != nil {
			return
		}
		// Every string left where a credential was is the placeholder.
		var got any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for _, s := range secretStrings(got, false) {
			if s != redacted {
				t.Fatalf("redactJSON(%q) = %s keeps %q", in, out, s)
			}
		}
	})
}

// secretStrings lists the strings that redaction must hide.
func secretStrings(v any, under bool) []string {
	var out []string
	switch t := v.(type) {
	case string:
		if under {
			out = append(out, t)
		}
	case []any:
		for _, e := range t {
			out = append(out, secretStrings(e, under)...)
		}
	case map[string]any:
		pair := false
		for _, k := range []string{"name", "key"} {
			if n, ok := t[k].(string); ok && isSecretKey(n) {
				pair = true
			}
		}
		for k, e := range t {
			out = append(out, secretStrings(e, under || isSecretKey(k) || (pair && k == "value"))...)
		}
	}
	return out
}
