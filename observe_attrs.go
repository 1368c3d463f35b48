package rivery

// How the events are named in traces: span names and attribute keys after
// OpenTelemetry's semantic conventions for HTTP clients, rivery.* for the
// rest. They live here, once, so that every exporter (the otel module, a
// plain-Go one such as the CLI's) names the same things the same way
// without the core module importing OpenTelemetry.

// Attribute keys of the events' attributes.
const (
	KeyHTTPRequestMethod      = "http.request.method"       // GET, POST, ...
	KeyURLTemplate            = "url.template"              // Endpoint.Route
	KeyServerAddress          = "server.address"            // Endpoint.ServerAddress
	KeyServerPort             = "server.port"               // Endpoint.ServerPort
	KeyHTTPResponseStatusCode = "http.response.status_code" // the answer's status
	KeyErrorType              = "error.type"                // see ErrorType
	KeyHTTPRequestResendCount = "http.request.resend_count" // attempts before this one (a call's: in all)
	KeyAccountID              = "rivery.account_id"
	KeyEnvironmentID          = "rivery.environment_id"
	KeyRiverID                = "rivery.river_id"
	KeyRunID                  = "rivery.run_id"
	KeyRunGroupID             = "rivery.run_group_id"
	KeyMaybeApplied           = "rivery.maybe_applied"      // CallEvent.MaybeApplied, when true
	KeyRetryDelay             = "rivery.retry.delay"        // AttemptEvent.RetryDelay, in seconds
	KeyRunStatus              = "rivery.run.status"         // a status a wait saw (RunStatus)
	KeyRunRawStatus           = "rivery.run.raw_status"     // what the server said
	KeyRunOutcome             = "rivery.run.outcome"        // WaitEvent.Outcome
	KeyWaitRuns               = "rivery.wait.runs"          // WaitEvent.Runs
	KeyWaitStatusesSeen       = "rivery.wait.statuses_seen" // WaitEvent.Seen
)

// EventRunStatus is the name of the span event a status change of a wait
// is recorded as, with WaitEvent.StatusAttrs.
const EventRunStatus = "rivery.run.status"

// AttrKind is the type of an Attr's value.
type AttrKind uint8

// The kinds of Attr values.
const (
	AttrString AttrKind = iota + 1
	AttrInt
	AttrFloat
	AttrBool
)

// Attr is one attribute of an event: a key above and a value of Kind, in
// the field of that kind.
type Attr struct {
	Key   string
	Kind  AttrKind
	Str   string
	Int   int64
	Float float64
	Bool  bool
}

func strAttr(dst []Attr, key, v string) []Attr {
	return append(dst, Attr{Key: key, Kind: AttrString, Str: v})
}

func intAttr(dst []Attr, key string, v int) []Attr {
	return append(dst, Attr{Key: key, Kind: AttrInt, Int: int64(v)})
}

// SpanName is "METHOD route" ("GET /api/check_run"), the name of the span
// of a call and of each of its attempts.
func (e Endpoint) SpanName() string {
	if e.name != "" {
		return e.name
	}
	return e.Method + " " + e.Route
}

// Attrs appends the attributes of the request to dst: method, route,
// server address and port, and the IDs known.
func (e Endpoint) Attrs(dst []Attr) []Attr {
	dst = strAttr(dst, KeyHTTPRequestMethod, e.Method)
	dst = strAttr(dst, KeyURLTemplate, e.Route)
	dst = strAttr(dst, KeyServerAddress, e.ServerAddress)
	if e.ServerPort != 0 {
		dst = intAttr(dst, KeyServerPort, e.ServerPort)
	}
	return e.IDs.Attrs(dst)
}

// Attrs appends an attribute for each ID that is not empty.
func (ids IDs) Attrs(dst []Attr) []Attr {
	for _, id := range [...]struct{ key, v string }{
		{KeyAccountID, ids.AccountID}, {KeyEnvironmentID, ids.EnvironmentID},
		{KeyRiverID, ids.RiverID}, {KeyRunID, ids.RunID}, {KeyRunGroupID, ids.RunGroupID},
	} {
		if id.v != "" {
			dst = strAttr(dst, id.key, id.v)
		}
	}
	return dst
}

// StartAttrs appends the attributes known when the call starts (those of
// its Endpoint).
func (e CallEvent) StartAttrs(dst []Attr) []Attr { return e.Attrs(dst) }

// EndAttrs appends the attributes of the call's outcome: status, error
// type, how many times it was resent, and rivery.maybe_applied when set.
func (e CallEvent) EndAttrs(dst []Attr) []Attr {
	dst = outcomeAttrs(dst, e.StatusCode, e.ErrorType)
	if e.Attempts > 1 {
		dst = intAttr(dst, KeyHTTPRequestResendCount, e.Attempts-1)
	}
	if e.MaybeApplied {
		dst = append(dst, Attr{Key: KeyMaybeApplied, Kind: AttrBool, Bool: true})
	}
	return dst
}

// StartAttrs appends the attributes known when the attempt starts: those
// of its Endpoint, and for a retry its resend count and delay.
func (e AttemptEvent) StartAttrs(dst []Attr) []Attr {
	dst = e.Attrs(dst)
	if e.Attempt > 1 {
		dst = intAttr(dst, KeyHTTPRequestResendCount, e.Attempt-1)
		dst = append(dst, Attr{Key: KeyRetryDelay, Kind: AttrFloat, Float: e.RetryDelay.Seconds()})
	}
	return dst
}

// EndAttrs appends the attributes of the attempt's outcome: status and
// error type.
func (e AttemptEvent) EndAttrs(dst []Attr) []Attr {
	return outcomeAttrs(dst, e.StatusCode, e.ErrorType)
}

func outcomeAttrs(dst []Attr, status int, errorType string) []Attr {
	if status != 0 {
		dst = intAttr(dst, KeyHTTPResponseStatusCode, status)
	}
	if errorType != "" {
		dst = strAttr(dst, KeyErrorType, errorType)
	}
	return dst
}

// SpanName is "rivery.RunAndWait", "rivery.WaitForRun" or
// "rivery.WaitForGroup".
func (e WaitEvent) SpanName() string {
	switch e.Operation {
	case OpRunAndWait:
		return "rivery.RunAndWait"
	case OpWaitForRun:
		return "rivery.WaitForRun"
	case OpWaitForGroup:
		return "rivery.WaitForGroup"
	}
	return "rivery.wait"
}

// StartAttrs appends the attributes known when the wait starts: its IDs
// and how many runs it follows.
func (e WaitEvent) StartAttrs(dst []Attr) []Attr {
	return intAttr(e.Attrs(dst), KeyWaitRuns, e.Runs)
}

// StatusAttrs appends the attributes of a status seen (the attributes of
// an EventRunStatus): the run and its status.
func (e WaitEvent) StatusAttrs(dst []Attr) []Attr {
	if e.RunID != "" {
		dst = strAttr(dst, KeyRunID, e.RunID)
	}
	dst = strAttr(dst, KeyRunStatus, string(e.Status))
	if e.RawStatus != "" {
		dst = strAttr(dst, KeyRunRawStatus, e.RawStatus)
	}
	return dst
}

// EndAttrs appends the attributes of the wait's end: the IDs (RunAndWait
// learns the run's on the way), the runs followed, the outcome, the
// statuses seen, and the error type when the wait stopped before the run
// ended.
func (e WaitEvent) EndAttrs(dst []Attr) []Attr {
	dst = e.StartAttrs(dst)
	dst = strAttr(dst, KeyRunOutcome, e.Outcome())
	dst = intAttr(dst, KeyWaitStatusesSeen, e.Seen)
	if e.ErrorType != "" {
		dst = strAttr(dst, KeyErrorType, e.ErrorType)
	}
	return dst
}
