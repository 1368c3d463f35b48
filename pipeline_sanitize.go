package rivery

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// Server text reaches error strings and log records only through safeText,
// and through a client's scrub when the client is known: a hostile or
// broken server can neither drive the terminal that prints an error nor
// get the client's token printed back.

// replacement stands in for every byte or rune safeText removes.
const replacement = "\uFFFD"

// unsafeRune reports whether r must not reach a terminal or a log line:
// C0 controls but tab, DEL, C1 controls (ESC and CSI among them), the
// Unicode line and paragraph separators and the bidirectional overrides
// and isolates, which reorder what a reader sees.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t'
	case r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// safeText returns s with invalid UTF-8 and every unsafe rune replaced by
// U+FFFD. It returns s itself, without allocating, when there is nothing to
// replace.
func safeText(s string) string {
	clean := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' || c == 0x7f {
				clean = false
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			b.WriteString(replacement)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// tokenPiece is the length of the token pieces scrub removes: a server
// that echoes a part of the token leaks it as surely as one that echoes
// all of it.
const tokenPiece = 8

// token returns the credential the secret holds, without its scheme.
func (s secret) token() string {
	if s == nil {
		return ""
	}
	h := s.header()
	if len(h) == 0 {
		return ""
	}
	v := h[0]
	if _, tok, ok := strings.Cut(v, " "); ok {
		return tok
	}
	return v
}

// forms returns what scrub removes: pieces, whose every tokenPiece-byte
// piece is removed, and whole, removed where it occurs entire. For a
// bearer token that is the token; for Basic credentials (the Boomi
// exchange's "BOOMI_TOKEN.{user}:{token}") the encoded pair and the
// password in pieces, and the decoded pair whole (the username alone is
// no secret, but the pair names it with the password).
func (s secret) forms() (pieces, whole []string) {
	tok := s.token()
	if tok == "" {
		return nil, nil
	}
	pieces = []string{tok}
	if h := s.header(); len(h) > 0 && strings.HasPrefix(h[0], "Basic ") {
		if pair, err := base64.StdEncoding.DecodeString(tok); err == nil {
			if _, password, ok := strings.Cut(string(pair), ":"); ok && password != "" {
				pieces = append(pieces, password)
			}
			whole = append(whole, string(pair))
		}
	}
	return pieces, whole
}

// scrub replaces every occurrence of the token, and of any tokenPiece-byte
// piece of it, in text with "[redacted]" (see forms for Basic
// credentials). A nil secret scrubs nothing.
func (s secret) scrub(text string) string {
	if text == "" {
		return text
	}
	pieces, whole := s.forms()
	if len(pieces) == 0 {
		return text
	}
	var marked []bool // byte i of text is part of a secret
	mark := func(sub string) {
		for off := 0; off+len(sub) <= len(text); {
			j := strings.Index(text[off:], sub)
			if j < 0 {
				return
			}
			if marked == nil {
				marked = make([]bool, len(text))
			}
			for k := off + j; k < off+j+len(sub); k++ {
				marked[k] = true
			}
			off += j + 1
		}
	}
	for _, w := range whole {
		mark(w)
	}
	for _, tok := range pieces {
		n := min(tokenPiece, len(tok))
		for i := 0; i+n <= len(tok); i++ {
			mark(tok[i : i+n])
		}
	}
	if marked == nil {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		if !marked[i] {
			b.WriteByte(text[i])
			i++
			continue
		}
		b.WriteString(redacted)
		for i < len(text) && marked[i] {
			i++
		}
	}
	return b.String()
}

// printable is text as an error string or a log record may hold it: the
// token scrubbed, then made safe for a terminal.
func (s secret) printable(text string) string { return safeText(s.scrub(text)) }

// parseErrorBody reads an error body (readErrorBody) and replaces what
// safeText would in the message and the validation details; the raw bytes
// stay in APIError.Body and FieldError.Input.
func parseErrorBody(body []byte) (string, []FieldError) {
	msg, details := readErrorBody(body)
	for i := range details {
		d := &details[i]
		d.Type, d.Message = safeText(d.Type), safeText(d.Message)
		for j, loc := range d.Location {
			d.Location[j] = safeText(loc)
		}
	}
	return safeText(msg), details
}

// sealAPIError scrubs the token from all that e holds, raw body included,
// and keeps s in e so that Error scrubs what it adds.
func (s secret) sealAPIError(e *APIError) {
	e.scrub = s
	if s.token() != "" {
		e.rewrite(s.scrub)
	}
}

// rewrite passes all the server's text that e holds through scrub: its
// message, its validation details (an input that is no longer JSON
// afterwards, a number that was a secret, becomes "[redacted]") and its
// raw body.
func (e *APIError) rewrite(scrub func(string) string) {
	e.Message = scrub(e.Message)
	for i := range e.Details {
		d := &e.Details[i]
		d.Type, d.Message = scrub(d.Type), scrub(d.Message)
		for j, loc := range d.Location {
			d.Location[j] = scrub(loc)
		}
		if in := string(d.Input); scrub(in) != in {
			d.Input = json.RawMessage(scrub(in))
			if !json.Valid(d.Input) {
				d.Input = json.RawMessage(`"` + redacted + `"`)
			}
		}
	}
	if body := string(e.Body); scrub(body) != body {
		e.Body = []byte(scrub(body))
	}
}

// sealed ties a *RunError or *OperationError in err to the client, so that
// its Error scrubs the client's token, and returns err.
func (c *Client) sealed(err error) error {
	var runErr *RunError
	if errors.As(err, &runErr) {
		runErr.scrub = c.auth
	}
	var opErr *OperationError
	if errors.As(err, &opErr) {
		opErr.scrub = c.auth
	}
	return err
}
