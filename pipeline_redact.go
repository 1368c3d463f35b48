package rivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
