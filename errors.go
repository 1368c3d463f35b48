package rivery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors. An *APIError matches the one for its status through
// errors.Is, so both errors.Is(err, ErrNotFound) and errors.As(err, &apiErr)
// work on what a method returns.
var (
	ErrBadRequest   = errors.New("rivery: bad request")         // 400
	ErrUnauthorized = errors.New("rivery: unauthorized")        // 401: bad, deleted or other-region token
	ErrForbidden    = errors.New("rivery: forbidden")           // 403: missing scope, or not an admin
	ErrNotFound     = errors.New("rivery: not found")           // 404
	ErrConflict     = errors.New("rivery: conflict")            // 409
	ErrValidation   = errors.New("rivery: validation failed")   // 422
	ErrRateLimited  = errors.New("rivery: rate limited")        // 429
	ErrServer       = errors.New("rivery: server error")        // any 5xx
	ErrRunFailed    = errors.New("rivery: run did not succeed") // matched by *RunError

	// ErrNoRunStarted is matched by the *RequestError Run and RunSubRiver
	// return for a 2xx trigger answer that names no run (an empty runs
	// list, {}, null, runs without an ID). Its message says whether a run
	// may have started all the same: an empty runs list means none did.
	ErrNoRunStarted = errors.New("rivery: the trigger answer names no run")

	// ErrInvalidArgument is wrapped by every error the SDK returns for bad
	// input before sending anything: an empty or malformed ID, missing
	// options, a nil request.
	ErrInvalidArgument = errors.New("rivery: invalid argument")
)

// maxErrorBody caps how much of an error response is read and kept in
// APIError.Body.
const maxErrorBody = 64 << 10

// maxMessage caps the server message repeated in APIError.Error.
const maxMessage = 512

// APIError is returned for any response outside 2xx.
type APIError struct {
	StatusCode int
	Method     string
	URL        string // the request URL; it never holds the token
	// Message is the server's explanation: the v1 API's "detail" (a string,
	// or the messages of a validation list), the console API's "message", or
	// a plain-text body.
	Message   string
	RequestID string       // from X-Request-Id, when the server sent one
	Details   []FieldError // the v1 API's validation list (422)
	// RetryAfter is the server's Retry-After, when it sent one. On a 429
	// that asks for more than the client's max wait, the call returns at
	// once with this set, so the caller can decide when to try again.
	RetryAfter time.Duration
	// Hint is the SDK's reading of the error, when it has one: for a 403
	// inside an environment, that the token may not be granted there.
	Hint string
	// Body is the raw body, at most 64 KiB, as the server sent it (control
	// characters included; Message and Details have them replaced), save
	// that any piece of the client's token is replaced by "[redacted]".
	Body []byte

	nonIdempotent bool   // the request must not be sent twice (see MaybeApplied)
	scrub         secret // the client's token, scrubbed from Error
}

// Error reports the call, the status and the server's message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rivery: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(clip(e.Message, maxMessage))
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %v)", e.RetryAfter)
	}
	return e.scrub.printable(b.String())
}

// statusSentinels maps the statuses with a sentinel of their own.
var statusSentinels = map[int]error{
	http.StatusBadRequest:          ErrBadRequest,
	http.StatusUnauthorized:        ErrUnauthorized,
	http.StatusForbidden:           ErrForbidden,
	http.StatusNotFound:            ErrNotFound,
	http.StatusConflict:            ErrConflict,
	http.StatusUnprocessableEntity: ErrValidation,
	http.StatusTooManyRequests:     ErrRateLimited,
}

// Is matches the sentinel error for e's status code: ErrServer for any
// 5xx, and the one of its own for 400, 401, 403, 404, 409, 422 and 429.
func (e *APIError) Is(target error) bool {
	if target == ErrServer {
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	s, ok := statusSentinels[e.StatusCode]
	return ok && s == target
}

// FieldError is one entry of a v1 validation error (422): which input was
// wrong and why.
type FieldError struct {
	Type     string          // e.g. "missing"
	Location []string        // e.g. ["query", "start_time"]
	Message  string          // e.g. "Field required"
	Input    json.RawMessage // the offending input as the server echoed it, if any
}

// String renders the error as "query.start_time: Field required".
func (f FieldError) String() string {
	if len(f.Location) == 0 {
		return f.Message
	}
	return strings.Join(f.Location, ".") + ": " + f.Message
}

// RequestError is returned when no usable response came back: the
// connection failed, timed out or was cut, the context ended, or a 2xx body
// could not be read or decoded.
type RequestError struct {
	Method   string
	URL      string // never holds the token
	Attempts int    // how many times the request was sent (or tried)
	// MaybeApplied is true when a non-idempotent request (a run trigger, a
	// cancel, a token creation) may have reached the server: it was not
	// retried, and the caller should check (for runs: Rivers.FindRunSince)
	// before sending it again. The func MaybeApplied also covers a 5xx
	// answer to such a request.
	MaybeApplied bool
	Err          error

	scrub secret // the client's token, scrubbed from Error
}

// Error reports the call and the cause.
func (e *RequestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rivery: %s %s: %v", e.Method, e.URL, e.Err)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.MaybeApplied {
		b.WriteString(" (the request may have reached the server: check before sending it again)")
	}
	return e.scrub.printable(b.String())
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled) works.
func (e *RequestError) Unwrap() error { return e.Err }

// RunError is returned by WaitForRun and RunAndWait when a run ends in any
// status other than StatusSucceeded. It matches ErrRunFailed.
type RunError struct {
	Run *Run

	scrub secret // the client's token, scrubbed from Error
}

// Error names the run, its final status and the server's message.
func (e *RunError) Error() string {
	if e.Run == nil {
		return ErrRunFailed.Error()
	}
	msg := fmt.Sprintf("rivery: run %s of river %s ended %s", e.Run.ID, e.Run.RiverID, e.Run.Status)
	if g := e.Run.Group; g != nil {
		msg = fmt.Sprintf("rivery: run group %s of river %s (%d runs) ended %s", g.ID, e.Run.RiverID, len(g.Runs), e.Run.Status)
	}
	if e.Run.RawStatus != "" && e.Run.RawStatus != string(e.Run.Status) {
		msg += " (" + strconv.Quote(e.Run.RawStatus) + ")"
	}
	if e.Run.Message != "" {
		msg += ": " + clip(e.Run.Message, maxMessage)
	}
	return e.scrub.printable(msg)
}

// Is matches ErrRunFailed.
func (e *RunError) Is(target error) bool { return target == ErrRunFailed }

// newAPIError builds the error for a non-2xx response from its (capped) body.
func newAPIError(method, url string, resp *http.Response, body []byte, retryAfter time.Duration) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		URL:        url,
		RetryAfter: retryAfter,
		Body:       body,
		RequestID:  requestID(resp.Header),
	}
	e.Message, e.Details = parseErrorBody(body)
	return e
}

func requestID(h http.Header) string {
	// The keys are canonical already: index the map, skip canonicalizing.
	if id := h["X-Request-Id"]; len(id) > 0 {
		return id[0]
	}
	if id := h["X-Amzn-Requestid"]; len(id) > 0 {
		return id[0]
	}
	return ""
}

// errorBody is the union of both families' error shapes.
type errorBody struct {
	Detail  json.RawMessage `json:"detail"`
	Message json.RawMessage `json:"message"`
}

type fieldErrorWire struct {
	Type  string            `json:"type"`
	Loc   []json.RawMessage `json:"loc"`
	Msg   string            `json:"msg"`
	Input json.RawMessage   `json:"input"`
}

// readErrorBody reads the message out of an error body: v1's "detail" as a
// string or a validation list, the console's "message", a bare JSON
// string, or plain text.
// parseErrorBody makes what it returns safe to print.
func readErrorBody(body []byte) (string, []FieldError) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", nil
	}
	if s, ok := jsonString(trimmed); ok { // a bare JSON string: "Dataframe x already exist"
		return s, nil
	}
	var eb errorBody
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &eb) != nil {
		return plainText(trimmed), nil
	}
	if s, ok := jsonString(eb.Detail); ok {
		return s, nil
	}
	var list []fieldErrorWire
	if len(eb.Detail) > 0 && json.Unmarshal(eb.Detail, &list) == nil && len(list) > 0 {
		details := make([]FieldError, len(list))
		msgs := make([]string, len(list))
		for i, fe := range list {
			details[i] = FieldError{Type: fe.Type, Location: locStrings(fe.Loc), Message: fe.Msg, Input: fe.Input}
			msgs[i] = details[i].String()
		}
		return strings.Join(msgs, "; "), details
	}
	if s, ok := jsonString(eb.Message); ok {
		return s, nil
	}
	if len(eb.Detail) > 0 && string(eb.Detail) != "null" {
		return plainText(eb.Detail), nil
	}
	return plainText(trimmed), nil
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// locStrings renders a FastAPI "loc" (strings and array indexes) as strings.
func locStrings(loc []json.RawMessage) []string {
	out := make([]string, 0, len(loc))
	for _, part := range loc {
		if s, ok := jsonString(part); ok {
			out = append(out, s)
		} else {
			out = append(out, string(part))
		}
	}
	return out
}

// plainText turns a body into a one-line message of valid UTF-8.
func plainText(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
