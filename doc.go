// Package rivery is a Go client for the Rivery API (Boomi Data
// Integration): trigger rivers (Rivery's data pipelines) and wait for their
// runs, see what ran and what failed across an environment, manage
// connections, variables and river definitions, list environments, and
// manage API tokens.
//
// Each service is a field of Client: Rivers (runs, the river catalog, run
// detail and river definitions), Activities, Connections, Variables,
// RiverVariables, Environments and Tokens. The README in the repository
// (https://github.com/rivery-go/rivery) has a section for each topic below,
// with examples that the tests compile, and docs/design-changes.md lists
// the names 0.2.0 and 0.3.0 added or deprecated.
//
// # Client
//
// Build a Client once and share it; it is safe for concurrent use:
//
//	client, err := rivery.NewClient(token, rivery.WithRegion(rivery.RegionEU))
//	client, err := rivery.NewClientFromEnv() // RIVERY_API_TOKEN, RIVERY_REGION, ...
//	defer client.Close()
//
// NewClient does no network I/O. Options are validated once: an empty
// token, an unknown region, a plain http:// URL to a non-loopback host or a
// conflicting pair of options is an error, not a panic.
//
// # Regions and the two API families
//
// Rivery has a console API ({console}/api/...) and a v1 API
// ({api}/v1/accounts/{account}/environments/{environment}/...), on hosts per
// region (RegionUS, the default, RegionEU, RegionIL, RegionAU; the IL and
// AU console hosts are inferred, not documented). WithBaseURL sends both to
// one host, such as a proxy or a test server.
//
// Which family a call uses is decided when the client is built, never by
// what it learns later. A client given WithAccountID and WithEnvironmentID
// uses the v1 API for every call. A client given only a token uses the
// console API for every call it has (Run, GetRun, CancelRun, Rivers.List,
// Rivers.Get) — with a token and a river ID, Run sends exactly
// POST /api/run {"river_id": ...} — and for every v1-only call (run
// history, logs, activities, run detail, connections, variables, river
// definitions, environments, tokens) learns the IDs once through
// GET /api/me. ParseConsoleURL reads the region and both IDs from a river's
// console URL, and Client.Me tells who a token is. See the README's "Auth
// and regions".
//
// # Runs
//
// Rivers.Run triggers a river and returns its Run; RunAndWait triggers and
// polls until the run ends (from 1 s, doubling up to 30 s; see WaitOptions
// and WithPollInterval). Both API families' statuses map onto RunStatus,
// with Run.RawStatus keeping the server's word. A run that ends in any
// status but StatusSucceeded comes back with a *RunError
// (errors.Is(err, ErrRunFailed)). ListRuns finds runs by start time and
// RunLogs reads a run's log. A v1 trigger of a master river starts one run
// per sub-river: the Run then holds them all in Run.Group, and RunAndWait
// (or WaitForGroup) waits for every one. RunSubRiver triggers one
// sub-river and CancelRunGroup cancels a group. See the README's "Runs and
// rivers".
//
// # Activities and run detail
//
// Client.Activities answers "what ran, what failed" for a whole environment
// in one paged call (List, All: one row per river, its runs counted by
// status, with units and last run), with Statistics, per-table Targets, a
// river's RunGroups (where StatusPartial lives) and SubRiverRuns. Each takes
// a Window: both ends required, sent in UTC as yyyy-mm-ddThh:mm:ss;
// AllRunGroups and AllSubRiverRuns walk long windows WindowSplit at a time,
// and a window the server refuses as too large matches ErrWindowTooLarge.
// Rivers.RunTasks, LogicSteps, StepLogContent (fetched from a presigned URL
// without the Rivery token) and RunVariables tell why a run ended as it did.
// See the README's "Activities and run detail".
//
// # Tokens
//
// Client.Tokens lists, views, creates and deletes API tokens (account
// admins only) on the SDK's own token paths, which riverytest serves;
// Rivery's live API has no such endpoints, and answers them with an error
// matching ErrTokensUnavailable. Token.Value holds the secret only in what
// Create returns, the one time it is shown; fmt, slog and encoding/json all
// print it as "[redacted]". See the README's "Tokens".
//
// # Connections, variables and river definitions
//
// Client.Connections reads connections and the catalogs of connection,
// source and target types; a Connection prints with its credentials
// "[redacted]". Client.Variables manages environment variables, and
// Client.RiverVariables a river's: its Set reads every page, merges and
// sends the whole set (the API's PUT replaces it), refusing with
// ErrConcurrentChange when the set changed meanwhile. Rivers.GetDefinition,
// Create, Replace, Update (read, edit, write), Copy, ListVersions,
// GetVersion and Restore manage river definitions, kept field by field in
// a RiverDefinition whose Portable form moves between environments. See the
// README's "Connections, variables and river definitions".
//
// # Boomi sign-in, environments and rate limits
//
// Besides a Rivery API token, a client can sign in with a Boomi platform API
// token: NewBoomiTokenSource exchanges it for a short-lived JWT, cached and
// exchanged again when a call gets 401 (the call is then sent once more),
// and WithTokenSource hands it, or any other TokenSource, to NewClient.
// NewClientFromEnv does this from the BOOMI_* variables when
// RIVERY_API_TOKEN is not set.
//
// Client.Environments lists the account's environments, and
// Client.InEnvironment returns a client for another one that shares the
// parent's transport, sign-in and settings. A 403 inside an environment
// says the token may not be granted there (APIError.Hint).
//
// WithRateLimit makes the client wait rather than exceed Rivery's limits
// (about 15 requests a minute per user): WithRateLimit(4*time.Second, 1)
// stays under them however many goroutines share the client. See the
// README's "Auth and regions", "Environments" and "Rate limits".
//
// # Reading answers: the tolerant reader
//
// The live API sends the same field in many forms (Boomi's reference shows
// an environment's is_deleted as "False"; the console's answers carry
// {"$oid"} IDs and {"$date"} times; one list holds a time as
// "2024-12-25 10:35:09.357430" and the next as "1705132839"). The SDK reads
// the fields it acts on strictly: IDs (a string, {"$oid": "..."} or a
// number), statuses, paging (items, and next_page as a URL or nothing),
// a trigger's runs, error bodies; a wrong one is a clear error. Every other
// field is read leniently: a boolean from true/false, "True"/"False",
// "1"/"0", 1/0 or null; a number from a number or a numeric string; a time
// from RFC 3339, ISO 8601 without a zone (UTC, with a T or a space), epoch
// seconds or milliseconds (number or string) or {"$date": ms}; and a value
// that cannot be read becomes its zero value, never a failed call.
// total_items is never trusted over the items. docs/wire.md has the rule
// in full and how it is tested against every documented answer.
//
// # Errors
//
// A non-2xx answer is an *APIError, which matches the sentinel of its status
// through errors.Is (ErrNotFound, ErrForbidden, ErrRateLimited, ErrServer,
// ...) and keeps the server's message, validation details, Retry-After and
// body. A failure to get a usable answer is a *RequestError; its
// MaybeApplied says whether a non-idempotent request (a run trigger) may
// have reached the server. The function MaybeApplied answers that question
// for any error, 5xx answers to a write included; after a trigger for which
// it is true, Rivers.FindRunSince finds the run instead of triggering
// again. Bad input wraps ErrInvalidArgument and sends nothing. A canceled
// context surfaces as context.Canceled or context.DeadlineExceeded. See the
// README's "Errors".
//
// # Retries, and what is never retried
//
// GET and DELETE calls are retried on 429, 5xx (not 501) and transport
// errors with exponential backoff and jitter (WithRetry, WithoutRetries,
// WithRetryNotify).
// A run trigger — or any POST — is retried only when the first try provably
// never reached the server (the connection could not be made) or was
// answered 429: never after a 5xx, a reset, a timeout or an unreadable
// answer, because the API has no idempotency key and a second trigger starts
// a second billable run. The same holds for every write sent with PUT
// (variables, river updates, restores). A call answered 401 with a
// TokenSource is sent once more with a fresh token (a 401 did nothing).
// Retry-After is honored up to the max wait; a longer one returns the 429
// at once with APIError.RetryAfter set.
//
// # Security
//
// The token never appears in an error, a log record, or any printing of the
// client, even when a server echoes it back. Server text in errors is
// sanitized so it is safe to print. Redirects are followed only for GET and
// only on the same host. Every response body read is bounded. The default
// transport requires TLS 1.2 or later. See the README's "Reliability and
// security".
//
// # Logging
//
// WithLogger takes a *slog.Logger and logs each HTTP attempt at debug level
// with its method, host, path, status, attempt number and duration: never
// headers, query strings or bodies.
//
// # Testing with riverytest
//
// Package github.com/rivery-go/rivery/riverytest runs a fake Rivery in
// process, speaking both API families, with seeded rivers and tokens, a
// deterministic run lifecycle, fault injection and a record of every
// request, so code that triggers rivers can be tested without an account:
//
//	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
//	defer srv.Close()
//	client := srv.Client()
//
// It answers in the shapes of Boomi's reference, string booleans
// included, and riverytest.WithDrift makes every answer carry its optional
// fields in the other forms the live API sends them in.
//
// riverytest.NewServerAt serves the same fake for programs outside Go
// tests, and the rivery command's "rivery fake" serves it from a shell.
// The module github.com/rivery-go/rivery/temporal runs rivers from
// Temporal workflows. See the README's "Testing your code with riverytest",
// "The rivery CLI" and "Durable runs on Temporal".
package rivery
