package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"net/http"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// EnvironmentsService lists the environments of the client's account. A
// token may see every environment but be granted only some: calls inside
// an environment it is not granted there answer 403 (ErrForbidden), and the
// error's message says so. Get it from Client.Environments; use
// Client.InEnvironment to work in another environment. Its calls use the v1
// API and need the environment:list scope.
type EnvironmentsService service

// Environment is an environment of a Rivery account. Environment values
// are comparable with == (their variables and Raw compare by identity).
type Environment struct {
	// ID is the environment's cross_id, the ID the console addresses it
	// by, when the server sends one; otherwise its id or _id.
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Deleted is set for an environment deleted but still readable.
	Deleted bool `json:"deleted,omitempty"`

	// CrossID is the environment's cross_id as sent (also in ID).
	CrossID string `json:"cross_id,omitempty"`
	// Color is the console's color token for it, e.g. "Gray" or
	// "yellow.200".
	Color string `json:"color,omitempty"`
	// Default reports whether it is the account's default environment.
	Default bool `json:"default,omitempty"`
	// CreatedAt and UpdatedAt are zero when the server does not say.
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`

	data *envData // Variables and Raw
}

// envData holds what an Environment carries besides its fields: its
// variables, which may hold secrets, and the raw answer of a write. Each
// is held in a closure, which fmt prints as an address whatever the verb
// (a pointer to a map or a slice it would print whole).
type envData struct {
	vars func() map[string]string
	raw  func() []byte
}

// Raw returns the answer of the Create or Update that returned e, as the
// server sent it (no source shows that answer's shape), or nil for an
// environment read by List, All or Get. It may hold the environment's
// variables.
func (e *Environment) Raw() json.RawMessage {
	if e == nil || e.data == nil || e.data.raw == nil {
		return nil
	}
	return append(json.RawMessage(nil), e.data.raw()...)
}

// Variables returns the environment's variables as the environment list
// carries them (a copy; values that are not strings as their JSON text),
// or nil when the answer had none. Variables.List reads the current
// environment's variables by themselves.
func (e *Environment) Variables() map[string]string {
	if e == nil || e.data == nil || e.data.vars == nil {
		return nil
	}
	return maps.Clone(e.data.vars())
}

func environmentFromWire(w *wire.Environment) *Environment {
	e := &Environment{
		ID:          firstNonEmpty(string(w.CrossID), string(w.ID), string(w.MongoID), string(w.EnvironmentID)),
		Name:        firstNonEmpty(string(w.Name), string(w.EnvironmentName)),
		Description: string(w.Description),
		Deleted:     bool(w.IsDeleted),
		CrossID:     string(w.CrossID),
		Color:       string(w.Color),
		Default:     bool(w.IsDefault),
		CreatedAt:   w.CreatedAt.Time,
		UpdatedAt:   w.UpdatedAt.Time,
	}
	if w.Variables.V != nil {
		vars := variableValues(w.Variables.V)
		e.data = &envData{vars: func() map[string]string { return vars }}
	}
	return e
}

// ListEnvironmentsOptions filters and pages Environments.ListFiltered.
type ListEnvironmentsOptions struct {
	ListOptions
	// IncludeDeleted lists deleted environments too (include_deleted).
	IncludeDeleted bool `url:"include_deleted,omitempty"`
	// Deployable lists only the environments a deployment can target
	// (is_deployable_environments).
	Deployable bool `url:"is_deployable_environments,omitempty"`
}

func (o *ListEnvironmentsOptions) validate() error {
	if o == nil {
		return nil
	}
	return o.ListOptions.validate()
}

// List returns one page of the account's environments: GET A/environments.
func (s *EnvironmentsService) List(ctx context.Context, opts *ListOptions) ([]*Environment, *Response, error) {
	return s.ListFiltered(ctx, filtered(opts))
}

// filtered is opts with no filter set.
func filtered(opts *ListOptions) *ListEnvironmentsOptions {
	if opts == nil {
		return nil
	}
	return &ListEnvironmentsOptions{ListOptions: *opts}
}

func (s *EnvironmentsService) list(ctx context.Context, u string, q any) ([]*Environment, *Response, error) {
	ws, resp, err := listPage[*wire.Environment](ctx, s.client, u, q)
	if err != nil {
		return nil, resp, err
	}
	out := make([]*Environment, 0, len(ws))
	for _, w := range ws {
		if w != nil {
			out = append(out, environmentFromWire(w))
		}
	}
	return out, resp, nil
}

// ListFiltered is List with the environment list's filters:
// GET A/environments[?include_deleted=true][&is_deployable_environments=true].
func (s *EnvironmentsService) ListFiltered(ctx context.Context, opts *ListEnvironmentsOptions) ([]*Environment, *Response, error) {
	return scopedPage(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "environments") }, s.list)
}

// AllFiltered is All with the environment list's filters (see
// ListFiltered; opts is copied).
func (s *EnvironmentsService) AllFiltered(ctx context.Context, opts *ListEnvironmentsOptions) iter.Seq2[*Environment, error] {
	return scopedPages(ctx, s.client, opts, func(sc scope) string { return s.client.accountURL(sc.account, "environments") }, s.list)
}

// All iterates over every environment, page after page (GET
// A/environments, then each next_page), from the page opts selects (opts is
// copied). It stops at the first error, which it yields.
func (s *EnvironmentsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Environment, error] {
	return s.AllFiltered(ctx, filtered(opts))
}

// Get returns one environment: GET A/environments/{environmentID}.
func (s *EnvironmentsService) Get(ctx context.Context, environmentID string) (*Environment, *Response, error) {
	if err := validateID("environment ID", environmentID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.Environment
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.accountURL(sc.account, "environments", environmentID), out: &w})
	if err != nil {
		return nil, resp, err
	}
	return environmentFromWire(&w), resp, nil
}

// envClient is a Client made by InEnvironment with its scope, in one
// allocation.
type envClient struct {
	Client
	s scope
}

// InEnvironment returns a client for another environment of the client's
// account. It shares everything else with c: the transport and its
// connection pool, the token or token source, the retry, timeout, polling,
// logging and rate limit settings. It makes no request and is cheap (one
// allocation), so it may be made per call; like c it is safe for concurrent
// use, and closing either closes the idle connections of both.
//
// c must know its account (WithAccountID and WithEnvironmentID, or
// RIVERY_ACCOUNT_ID and RIVERY_ENVIRONMENT_ID): every call of the returned
// client uses the v1 API. An empty or malformed ID, or a client without an
// account, is an error wrapping ErrInvalidArgument.
func (c *Client) InEnvironment(environmentID string) (*Client, error) {
	if err := validateID("environment ID", environmentID); err != nil {
		return nil, err
	}
	if c.fixed == nil {
		return nil, fmt.Errorf("%w: InEnvironment needs a client with an account ID (WithAccountID and WithEnvironmentID)", ErrInvalidArgument)
	}
	e := &envClient{Client: *c, s: scope{c.fixed.account, environmentID}}
	e.fixed = &e.s
	e.bindServices()
	return &e.Client, nil
}
