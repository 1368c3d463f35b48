package rivery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// formatRedacted prints a type that holds a secret the way Token does:
// GoString for %#v, String (which leaves the secret out) for every other
// verb, so no verb or flag reaches the fields.
func formatRedacted(f fmt.State, verb rune, s interface {
	String() string
	GoString() string
},
) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = io.WriteString(f, s.String())
}

// secretKeyParts are what a JSON key names when its value is a credential.
// Rivery's CI/CD samples treat the same names (and a bare "key") as
// secrets.
var secretKeyParts = []string{
	"password", "passwd", "secret", "token", "credential", "passphrase",
	"private", "apikey", "api_key", "access_key", "auth", "key_file", "cert",
	"connection_string", "headers",
}

// isSecretKey reports whether a JSON object key names a credential.
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	if k == "key" {
		return true
	}
	for _, p := range secretKeyParts {
		if strings.Contains(k, p) {
			return true
		}
	}
	return false
}

// redactJSON returns raw with the value of every key that names a
// credential (at any depth), and the value of every {"name", "value"} pair
// whose name does, replaced by "[redacted]". Booleans and nulls
// stay: they are flags such as password_exists, not secrets. Input that is
// not JSON is replaced whole: it cannot be shown safely.
func redactJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return json.RawMessage(`"` + redacted + `"`)
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return json.RawMessage(`"` + redacted + `"`)
	}
	return out
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		// A {"name": "api_token", "value": ...} pair names its secret
		// in a field of its own.
		for _, nameKey := range []string{"name", "key"} {
			if n, ok := t[nameKey].(string); ok && isSecretKey(n) && t["value"] != nil {
				t["value"] = redacted
			}
		}
		for k, e := range t {
			switch e.(type) {
			case nil, bool:
				// flags are not secrets
			default:
				if isSecretKey(k) {
					t[k] = redacted
					continue
				}
			}
			t[k] = redactValue(e)
		}
	case []any:
		for i, e := range t {
			t[i] = redactValue(e)
		}
	}
	return v
}

// minScrubbed is the shortest request value scrubValues removes: shorter
// ones would take ordinary words out of a message, and say little.
const minScrubbed = 4

// requestSecrets returns what redactJSON hides in a request body: the
// value (a string as itself, anything else as its JSON text) of every
// credential-named key at any depth, and of every {"name", "value"} pair
// whose name is one. An error answer may echo them (a 422 carries the body
// it refused); scrubValues takes them out.
func requestSecrets(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch t := v.(type) {
		case map[string]any:
			for _, nameKey := range []string{"name", "key"} {
				if n, ok := t[nameKey].(string); ok && isSecretKey(n) && t["value"] != nil {
					walk(t["value"], true)
				}
			}
			for k, e := range t {
				walk(e, secret || isSecretKey(k))
			}
		case []any:
			for _, e := range t {
				walk(e, secret)
			}
		case string:
			if secret {
				out = append(out, t)
			}
		case json.Number:
			if secret {
				out = append(out, t.String())
			}
		}
	}
	walk(v, false)
	return out
}

// scrubValues replaces every value of values at least minScrubbed bytes
// long, as it is and as a JSON string would carry it, by "[redacted]" in
// what an *APIError in err holds: its message, its validation details and
// its raw body. It is how a call that sends credentials keeps them out of
// its error when the server echoes the request.
func scrubValues(err error, values []string) {
	var apiErr *APIError
	if err != nil && errors.As(err, &apiErr) {
		apiErr.rewrite(valueScrubber(values, minScrubbed, jsonQuoted))
	}
}

// valueScrubber returns what replaces, in a text, each of values at
// least minLen bytes long, as it is and as encode writes it, by
// "[redacted]", the longest first so that a value that holds another goes
// whole.
func valueScrubber(values []string, minLen int, encode func(string) string) func(string) string {
	var forms []string
	for _, v := range values {
		if len(v) < minLen {
			continue
		}
		forms = append(forms, v)
		if e := encode(v); e != v {
			forms = append(forms, e)
		}
	}
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	return func(s string) string {
		for _, f := range forms {
			s = strings.ReplaceAll(s, f, redacted)
		}
		return s
	}
}

// jsonQuoted is v as a JSON string carries it, without the quotes.
func jsonQuoted(v string) string {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	return string(b[1 : len(b)-1])
}
