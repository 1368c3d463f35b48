package rivery

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/rivery-go/rivery/internal/wire"
)

// EnvironmentsService lists the environments of the client's account. A
// token may see every environment but be granted only some: calls inside
// an environment it is not granted there answer 403 (ErrForbidden), and the
// error's message says so. Get it from Client.Environments; use
// Client.InEnvironment to work in another environment. Its calls use the v1
// API and need the environment:list scope.
type EnvironmentsService service

// Environment is an environment of a Rivery account.
type Environment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Deleted is set for an environment deleted but still readable.
	Deleted bool `json:"deleted,omitempty"`
}

func environmentFromWire(w *wire.Environment) *Environment {
	return &Environment{
		ID:          firstNonEmpty(w.ID, w.MongoID, w.EnvironmentID),
		Name:        firstNonEmpty(w.Name, w.EnvironmentName),
		Description: w.Description,
		Deleted:     w.IsDeleted,
	}
}

// environmentsURL is A/environments[/{id}].
func (c *Client) environmentsURL(account string, environmentID ...string) string {
	return joinURL([]string{c.v1, pathAccounts, url.PathEscape(account), "/environments"}, environmentID)
}

// List returns one page of the account's environments: GET A/environments.
func (s *EnvironmentsService) List(ctx context.Context, opts *ListOptions) ([]*Environment, *Response, error) {
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.list(ctx, s.client.environmentsURL(sc.account), opts)
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

// All iterates over every environment, page after page (GET
// A/environments, then each next_page), from the page opts selects (opts is
// copied). It stops at the first error, which it yields.
func (s *EnvironmentsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Environment, error] {
	first := func(sc scope) string { return s.client.environmentsURL(sc.account) }
	return allScoped(ctx, s.client, opts, first, s.list)
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
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.environmentsURL(sc.account, environmentID), out: &w})
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
