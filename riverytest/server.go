// Package riverytest runs an in-process fake of the Rivery API for tests and
// demos. A Server speaks both API families on one loopback httptest server
// (the console API under /api and the v1 API under /v1), with seeded rivers
// and tokens, a deterministic run lifecycle, per-route fault injection, and
// a record of every request it received.
//
// Runs move one step per status call: the first status call sees the run
// pending, the next River.Polls-1 calls see it running, and the call after
// that sees the river's Outcome. An activities view (GET E/activities)
// that reports a run in progress counts as a status call for it. With
// River.Duration set, the run instead takes that long in real time
// (divided by WithTimeScale's factor). WithRequestLimit and WithRunLimit
// enforce Rivery's rate limits.
//
// Answers follow the live API's shapes (nested console rivers, a
// one-element array for one console river) and those of Boomi's reference
// (environments with "True"/"False" flags, versions with insert_date and
// user_info, operations with their type and result, tasks with
// task_status, logic steps keyed by name); River's knobs (SubRivers,
// NoRuns, SkipWhileRunning, CancelAsFailed, OmitPendingStatus),
// WithoutTokenRoutes and WithDrift (optional fields in every form the
// live API has sent them in) reproduce what the live API does.
package riverytest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/rivery-go/rivery"
)

// Default IDs of the account and environment a Server pretends to be.
const (
	DefaultAccountID     = "64b0c0ffee000000000a0001"
	DefaultEnvironmentID = "64b0c0ffee000000000e0001"
)

// Server is a running fake Rivery. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of both API families, for rivery.WithBaseURL.
	URL string
	// AccountID and EnvironmentID are what GET /api/me reports and what
	// v1 paths must name.
	AccountID, EnvironmentID string

	srv *httptest.Server

	mu       sync.Mutex
	rivers   map[string]*river
	order    []string // river IDs in the order they were added
	runs     map[string]*run
	tokens   map[string]*token // by value
	ops      map[string]*operation
	mg       manage // connections, variables, river definitions
	faults   map[Route][]*pendingFault
	requests []Request
	clients  []*rivery.Client
	admin    string
	envs     []Environment // besides EnvironmentID
	firstEnv *Environment  // EnvironmentID's, once changed
	audit    []AuditEvent  // oldest first
	boomi    boomiPlatform
	seq      int
	closed   bool
	act      activityConfig
	drift    driftState
	lim      limits // rate limits and time scale

	noTokenRoutes bool

	pf platformState // CDC, dataframes, Logicode files, teams, users
}

// Option shapes a new Server.
type Option func(*Server)

// WithRiver seeds a river. Zero fields take defaults: a generated ID, the
// name "river-N", Outcome "succeeded", Polls 2.
func WithRiver(r River) Option {
	return func(s *Server) { s.addRiver(r) }
}

// WithAccount sets the account and environment IDs the server answers for.
func WithAccount(accountID, environmentID string) Option {
	return func(s *Server) { s.AccountID, s.EnvironmentID = accountID, environmentID }
}

// WithoutTokenRoutes makes the server answer the token routes (A/tokens,
// /v1/scopes) as the live API does, which has none: 404 with FastAPI's
// generic {"detail": "Not Found"}.
func WithoutTokenRoutes() Option {
	return func(s *Server) { s.noTokenRoutes = true }
}

// WithToken seeds a token (see Server.AddToken).
func WithToken(t Token) Option {
	return func(s *Server) { s.addToken(t) }
}

// NewServer starts a fake Rivery on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	return s
}

// newServer builds a Server's state, not yet serving.
func newServer(opts []Option) *Server {
	s := &Server{
		AccountID:     DefaultAccountID,
		EnvironmentID: DefaultEnvironmentID,
		rivers:        map[string]*river{},
		runs:          map[string]*run{},
		tokens:        map[string]*token{},
		ops:           map[string]*operation{},
		faults:        map[Route][]*pendingFault{},
	}
	s.admin = s.addToken(Token{Name: "admin", Admin: true}).Value
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	return s
}

// Close shuts the server down and closes the idle connections of every
// client Client made, leaving no goroutine behind.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	clients := s.clients
	s.mu.Unlock()
	for _, c := range clients {
		_ = c.Close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AdminToken returns the value of the account admin's token, which every
// endpoint accepts. Treat it as a secret in output.
func (s *Server) AdminToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admin
}

// Client returns a client of the admin token wired to the server, with
// retry waits and run polling of milliseconds. By default it uses the console API where it
// can; pass rivery.WithAccountID(s.AccountID) and
// rivery.WithEnvironmentID(s.EnvironmentID) (or use ClientV1) for the v1
// API. It panics if an option is invalid.
func (s *Server) Client(opts ...rivery.Option) *rivery.Client {
	return s.ClientFor(s.AdminToken(), opts...)
}

// ClientV1 is Client with the server's account and environment, so every
// call uses the v1 API.
func (s *Server) ClientV1(opts ...rivery.Option) *rivery.Client {
	return s.Client(append([]rivery.Option{rivery.WithAccountID(s.AccountID), rivery.WithEnvironmentID(s.EnvironmentID)}, opts...)...)
}

// ClientFor is Client with another token, such as one from AddToken.
func (s *Server) ClientFor(token string, opts ...rivery.Option) *rivery.Client {
	base := []rivery.Option{
		rivery.WithBaseURL(s.URL),
		rivery.WithRetry(3, time.Millisecond, 10*time.Millisecond),
		rivery.WithPollInterval(time.Millisecond, 10*time.Millisecond),
	}
	c, err := rivery.NewClient(token, append(base, opts...)...)
	if err != nil {
		panic("riverytest: " + err.Error())
	}
	s.mu.Lock()
	s.clients = append(s.clients, c)
	s.mu.Unlock()
	return c
}

// River is a seeded river and how its runs behave.
type River struct {
	ID          string // 24 hex digits; generated when empty
	Name        string
	Type        string // "source_to_target" when empty
	GroupID     string
	GroupName   string
	Description string
	Disabled    bool // triggers get 400 "Data Flow <id> is disabled"

	// Outcome is the final status of its runs, as the v1 API says it:
	// "succeeded" (default), "failed", "canceled", "skipped",
	// "partially succeeded", or anything else to test unknown statuses.
	Outcome string
	// Message is the run's error description when the outcome is not
	// "succeeded".
	Message string
	// Polls is how many status calls see a run in progress (the first
	// pending, the rest running) before the outcome; 0 means 2. Negative
	// means none: the first status call sees the outcome. An activities
	// view that reports the run in progress counts as a status call.
	Polls int
	// Duration, if set, makes runs take this long in real time instead
	// (divided by WithTimeScale's factor): pending for the first quarter of
	// it (one second at most, scaled likewise), then running.
	Duration time.Duration
	// OperationError, if set, makes activate and disable operations end in
	// status E with this message.
	OperationError string

	// The knobs below reproduce what the live API does (API.md section 6).

	// SubRivers makes it a master river: a v1 trigger starts one run per
	// sub-river, in one run group, each ending in its sub-river's Outcome;
	// POST E/rivers/{id}/sub_rivers/{sub}/run starts one. The console API,
	// which has no groups, answers the first run. The activity views serve
	// these runs: run groups (with "partially succeeded" when some failed)
	// and sub-river runs (GET E/rivers/{id}/activities_sub_rivers).
	SubRivers []SubRiver
	// NoRuns makes a trigger answer 2xx naming no run: v1 {"runs": []},
	// console an answer without run_id.
	NoRuns bool
	// SkipWhileRunning makes a trigger while a run is in flight answer a
	// skipped run whose message names the run in flight.
	SkipWhileRunning bool
	// CancelAsFailed makes a canceled run settle as failed (console E) with
	// the message "Run canceled", as the live API can.
	CancelAsFailed bool
	// OmitPendingStatus makes the console's check_run leave out
	// river_run_status while the run waits, as the live API can.
	OmitPendingStatus bool
	// Schedule is the river's cron expression; the river is scheduled when
	// it is set.
	Schedule string
}

// SubRiver is one sub-river of a master river (River.SubRivers).
type SubRiver struct {
	ID   string // 24 hex digits; required
	Name string // as the sub-river runs view reports it
	// Outcome is the final status of its runs, as River.Outcome; when
	// empty, the master river's Outcome ("succeeded" unless set).
	Outcome string
	// Message is its runs' error description when they do not succeed;
	// when empty, the master river's Message.
	Message string
}

// Token is a seeded API token.
type Token struct {
	ID     string // generated when empty
	Name   string
	Value  string // the secret; generated when empty
	Admin  bool   // admins may call every endpoint, tokens management included
	Scopes []rivery.Scope
	// Environments, if set, are the only environments the token is granted:
	// calls inside others get 403.
	Environments []string
}

// AddToken adds a token and returns it with its ID and Value filled in.
// Non-admin tokens get 403 on token management and on endpoints whose
// scope they lack.
func (s *Server) AddToken(t Token) Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addToken(t)
}

func (s *Server) addToken(t Token) Token {
	s.seq++
	if t.ID == "" {
		t.ID = fmt.Sprintf("65%022x", s.seq)
	}
	if t.Value == "" {
		t.Value = "rvt_" + randomHex(20)
	}
	if t.Name == "" {
		t.Name = fmt.Sprintf("token-%d", s.seq)
	}
	s.tokens[t.Value] = &token{Token: t, created: time.Now().UTC().Truncate(time.Second), createdBy: "admin@example.com"}
	return t
}

// AddRiver adds a river and returns it with defaults filled in.
func (s *Server) AddRiver(r River) River {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addRiver(r)
}

func (s *Server) addRiver(r River) River {
	s.seq++
	if r.ID == "" {
		r.ID = fmt.Sprintf("63%022x", s.seq)
	}
	if r.Name == "" {
		r.Name = fmt.Sprintf("river-%d", s.seq)
	}
	if r.Type == "" {
		r.Type = "source_to_target"
	}
	if r.Outcome == "" {
		r.Outcome = "succeeded"
	}
	if r.Polls == 0 {
		r.Polls = 2
	}
	if _, ok := s.rivers[r.ID]; !ok {
		s.order = append(s.order, r.ID)
	}
	s.rivers[r.ID] = &river{River: r}
	return r
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
