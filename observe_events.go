package rivery

import (
	"net/http"
	"time"
)

// IDs are the Rivery IDs an observed call or wait concerns, each empty
// when not known. A call's come from its path (every v1 path names the
// account and environment), and on the console API from the river, run
// or run group ID it sends in its body or query. A wait's come from the
// run it follows and from the client's account and environment, when the
// client was given them.
type IDs struct {
	AccountID     string
	EnvironmentID string
	RiverID       string
	RunID         string
	RunGroupID    string
}

// Endpoint is what every event of one API call says about its request:
// the same for the call and each of its attempts.
type Endpoint struct {
	// Method is the HTTP method.
	Method string
	// Route is the request's path with each ID replaced by a placeholder
	// named for it, and without the query:
	// /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/run,
	// /api/check_run. A segment that follows a known collection (rivers,
	// runs, connections, ...) is a placeholder; so is any other segment
	// that looks like an ID, named for the segment before it. There is one
	// Route per endpoint, so it suits metrics. A request to a presigned
	// URL, whose URL is a credential, has a fixed Route: "{logs_url}" for a
	// step log (ReadStepLog), "{presigned_url}" for the others (dataframe
	// files, Logicode files, the Logicode template and requirements).
	Route string
	// ServerAddress is the host called, without a port; ServerPort is its
	// port (443 or 80 when the URL names none).
	ServerAddress string
	ServerPort    int
	IDs

	name string // Method + " " + Route, held once per client (see SpanName)
}

// CallEvent is an API call: one service method's request, with its
// retries and a resend after a token refresh. CallStart gets Endpoint and
// Start; CallEnd gets every field.
type CallEvent struct {
	Endpoint
	// Start is when the call began, before it took a token or waited for
	// the rate limiter.
	Start time.Time

	// Duration is how long the call took, waits between attempts included.
	Duration time.Duration
	// StatusCode is the status of the last answer, 0 when none came.
	StatusCode int
	// Attempts is how many HTTP attempts the call made (0 if it stopped
	// before sending: a token source or the rate limiter failed, or ctx
	// ended).
	Attempts int
	// ErrorType is "" when the call succeeded, otherwise what ErrorType
	// returns for its error: the HTTP status ("429", "503") or a kind
	// (ErrorTypeTimeout, ...).
	ErrorType string
	// MaybeApplied is MaybeApplied of the call's error: a write that may
	// have taken effect although it failed.
	MaybeApplied bool
}

// AttemptEvent is one HTTP attempt of a call. AttemptStart gets Endpoint,
// Attempt, Start, RetryDelay and Header; AttemptEnd gets every field but
// Header.
type AttemptEvent struct {
	Endpoint
	// Attempt is the attempt's number in its call, from 1; a resend after
	// a token refresh continues the count.
	Attempt int
	// Start is when the attempt began.
	Start time.Time
	// RetryDelay is, for Attempt > 1, how long after the previous
	// attempt ended this one began: the backoff or the server's
	// Retry-After, and any wait for the rate limiter or a new token.
	RetryDelay time.Duration
	// Header takes trace context headers for this attempt's request (see
	// TraceHeader), in AttemptStart only. It is nil for requests that do
	// not go to Rivery: the Boomi token exchange and presigned URLs (step
	// logs, dataframe and Logicode files).
	Header *TraceHeader

	// Duration is how long the attempt took, reading its answer included.
	Duration time.Duration
	// StatusCode is the answer's status, 0 when none came.
	StatusCode int
	// ErrorType is "" for a 2xx (or 1xx, 3xx) answer read whole, the
	// status for a 4xx or 5xx ("503"), or the kind of failure (see
	// ErrorType).
	ErrorType string
	// Reached reports that the request may have reached the server: an
	// answer came, or it failed after it may have been sent.
	Reached bool
	// WillRetry reports that the client tries again after a wait.
	WillRetry bool
}

// The methods a WaitEvent's wait belongs to (WaitEvent.Operation).
const (
	OpRunAndWait   = "RunAndWait"
	OpWaitForRun   = "WaitForRun"
	OpWaitForGroup = "WaitForGroup"
)

// OutcomeAbandoned is WaitEvent.Outcome for a wait that stopped before
// the run ended.
const OutcomeAbandoned = "abandoned"

// WaitEvent is a wait for a run (or a run group) to end. WaitStart gets
// Operation, IDs, Runs and Start; WaitStatus adds Status, RawStatus,
// Changed, SeenAt and Seen; WaitEnd gets every field.
type WaitEvent struct {
	// Operation is the method that waits: OpRunAndWait, OpWaitForRun or
	// OpWaitForGroup.
	Operation string
	// IDs always hold RiverID; RunID and RunGroupID once known
	// (RunAndWait learns them from the trigger's answer).
	IDs
	// Runs is how many runs the wait follows: 1, or a group's count.
	Runs int
	// Start is when the wait began (for RunAndWait, before the trigger).
	Start time.Time

	// Status is the last status seen: the run's, or a group's outcome so
	// far (see RunGroup). RawStatus is what the server said for a single
	// run, clipped to 32 bytes.
	Status    RunStatus
	RawStatus string
	// Changed reports, in WaitStatus, that Status differs from the status
	// seen before (true for the first).
	Changed bool
	// SeenAt is when Status was seen: the time of a span event for it.
	SeenAt time.Time
	// Seen is how many statuses the wait has seen: the trigger's answer
	// and each status call's (one a poll, for a group).
	Seen int

	// Duration is how long the wait took.
	Duration time.Duration
	// Ended reports that the run reached a terminal status: Status is its
	// outcome. Otherwise the wait stopped before, for the reason in
	// ErrorType.
	Ended     bool
	ErrorType string
	// RunStartedAt and RunEndedAt are the run's times as the server
	// reported them, zero when it did not.
	RunStartedAt, RunEndedAt time.Time
}

// Outcome is the run's final status when the wait saw it end, and
// OutcomeAbandoned when the wait stopped before (see ErrorType): the
// value of the rivery.run.outcome attribute.
func (e WaitEvent) Outcome() string {
	if e.Ended {
		return string(e.Status)
	}
	return OutcomeAbandoned
}

// TraceHeader is where an Observer's AttemptStart may write trace context
// headers (W3C traceparent and tracestate, B3, ...) into the attempt's
// request. It satisfies OpenTelemetry's propagation.TextMapCarrier, so a
// propagator can inject into it directly. Get and Keys see only what was
// set through it; Set ignores names the SDK sends itself or that carry
// credentials (Authorization, Cookie, Content-*, Accept*, User-Agent,
// Host, Idempotency-Key, ...) and names or values that are not valid in a
// header. It is valid only during the AttemptStart call that got it.
type TraceHeader struct {
	req  *http.Request
	own  bool     // req.Header is this attempt's own copy
	keys []string // canonical names set through it
}

// Set sets the header key to value on the attempt's request.
func (h *TraceHeader) Set(key, value string) {
	if h == nil || h.req == nil || !traceHeaderAllowed(key, value) {
		return
	}
	if !h.own {
		// The map is shared with earlier attempts' requests, which the
		// transport may still be reading.
		h.req.Header = h.req.Header.Clone()
		h.own = true
	}
	key = http.CanonicalHeaderKey(key)
	h.req.Header[key] = []string{value}
	for _, k := range h.keys {
		if k == key {
			return
		}
	}
	h.keys = append(h.keys, key)
}

// Get returns the value set for key through h, or "".
func (h *TraceHeader) Get(key string) string {
	if h == nil || h.req == nil {
		return ""
	}
	key = http.CanonicalHeaderKey(key)
	for _, k := range h.keys {
		if k == key {
			return h.req.Header.Get(k)
		}
	}
	return ""
}

// Keys returns the names set through h.
func (h *TraceHeader) Keys() []string {
	if h == nil {
		return nil
	}
	return append([]string(nil), h.keys...)
}

// reset points h at the request of a new attempt.
func (h *TraceHeader) reset(req *http.Request) {
	h.req, h.own, h.keys = req, false, h.keys[:0]
}

// reservedHeaders are the names a TraceHeader refuses.
var reservedHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Host": true,
	"Accept": true, "Accept-Encoding": true, "User-Agent": true, "Connection": true,
	"Content-Type": true, "Content-Length": true, "Content-Encoding": true,
	"Transfer-Encoding": true, "Te": true, "Trailer": true, "Upgrade": true, "Expect": true,
	// Go's transport replays requests that carry one (DESIGN.md 4.1).
	"Idempotency-Key": true, "X-Idempotency-Key": true,
}

// traceHeaderAllowed reports whether a TraceHeader may set key to value.
func traceHeaderAllowed(key, value string) bool {
	if key == "" || len(key) > 64 || len(value) > 8<<10 || reservedHeaders[http.CanonicalHeaderKey(key)] {
		return false
	}
	for i := 0; i < len(key); i++ {
		if b := key[i]; !isAlnum(b) && b != '-' && b != '_' && b != '.' {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if b := value[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// isAlnum reports whether b is an ASCII letter or digit.
func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
