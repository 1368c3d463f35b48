package rivery

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/rivery-go/rivery/internal/wire"
)

// CreateEnvironmentRequest is what Environments.Create sends: a name, and
// optionally the console's color token, a description and whether the
// new environment becomes the account's default.
type CreateEnvironmentRequest struct {
	Name        string
	Color       string // e.g. "Gray", "yellow.200"; empty leaves the server's default
	Description string
	Default     bool
}

// UpdateEnvironmentRequest is what Environments.Update changes. Empty
// fields (and a nil Default) are not sent and stay as they are, as the
// console does; the API offers no way to clear a description.
type UpdateEnvironmentRequest struct {
	Name        string // sent as environment_name, as Boomi's tooling and the console send it
	Color       string
	Description string
	Default     *bool
}

func checkName(what, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: %s name is empty", ErrInvalidArgument, what)
	case hasControl(name):
		return fmt.Errorf("%w: %s name %q contains control characters", ErrInvalidArgument, what, name)
	}
	return nil
}

// Create makes an environment: POST A/environments with {"name", "color",
// "description", "is_default"} (empty ones left out). It returns the
// environment as the server answers it. No source shows that answer: it is
// read leniently, as an environment of the list is, and whatever it holds
// stays in Environment.Raw.
//
// A create is never sent twice (a retried create could make two
// environments): if the outcome is unknown the error satisfies
// MaybeApplied; look for the environment with FindByName before creating it
// again.
func (s *EnvironmentsService) Create(ctx context.Context, req *CreateEnvironmentRequest) (*Environment, *Response, error) {
	if req == nil {
		return nil, nil, fmt.Errorf("%w: nil CreateEnvironmentRequest", ErrInvalidArgument)
	}
	if err := checkName("environment", req.Name); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	body := wire.CreateEnvironment{Name: req.Name, Color: req.Color, Description: req.Description, IsDefault: req.Default}
	return s.write(ctx, call{method: http.MethodPost, url: s.client.accountURL(sc.account, "environments"), body: body})
}

// Update changes an environment: PUT A/environments/{environmentID} with
// the fields req sets ({"environment_name", "color", "description",
// "is_default"}). It returns the environment as the server answers it (read
// as Create's answer is). It is never sent twice: if the outcome is
// unknown the error satisfies MaybeApplied (Get tells what happened).
func (s *EnvironmentsService) Update(ctx context.Context, environmentID string, req *UpdateEnvironmentRequest) (*Environment, *Response, error) {
	if err := validateID("environment ID", environmentID); err != nil {
		return nil, nil, err
	}
	switch {
	case req == nil:
		return nil, nil, fmt.Errorf("%w: nil UpdateEnvironmentRequest", ErrInvalidArgument)
	case req.Name == "" && req.Color == "" && req.Description == "" && req.Default == nil:
		return nil, nil, fmt.Errorf("%w: UpdateEnvironmentRequest changes nothing", ErrInvalidArgument)
	case req.Name != "":
		if err := checkName("environment", req.Name); err != nil {
			return nil, nil, err
		}
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	body := wire.UpdateEnvironment{EnvironmentName: req.Name, Color: req.Color, Description: req.Description, IsDefault: req.Default}
	return s.write(ctx, call{method: http.MethodPut, url: s.client.accountURL(sc.account, "environments", environmentID), body: body, write: true})
}

// write sends a write whose answer is an environment; an empty answer
// gives an Environment without fields but Raw.
func (s *EnvironmentsService) write(ctx context.Context, cl call) (*Environment, *Response, error) {
	var raw []byte
	cl.out, cl.empty = &raw, true
	resp, err := s.client.do(ctx, cl)
	if err != nil {
		return nil, resp, err
	}
	var w wire.Lax[wire.Environment]
	_ = w.UnmarshalJSON(raw)
	e := environmentFromWire(&w.V)
	if e.data == nil {
		e.data = &envData{}
	}
	e.data.raw = func() []byte { return raw }
	return e, resp, nil
}

// Delete deletes an environment: DELETE A/environments/{environmentID}.
// The console reads the answer as an operation to wait for (pass it to
// Rivers.WaitForOperation, which polls GET E/operations/{id} in the
// client's own environment, as the console does); an answer that is not
// one (empty, or no operation ID) comes back as a finished operation.
// The environment stays readable with Deleted set.
//
// A delete is retried like any read; a 404 to a retry after an attempt
// whose answer was lost is the delete done, and returns a finished
// operation. Rivery's Terraform provider saw a second delete of a deleted
// environment answer 500: that comes back as the error it is (Get tells
// whether the environment reads Deleted).
func (s *EnvironmentsService) Delete(ctx context.Context, environmentID string) (*Operation, *Response, error) {
	if err := validateID("environment ID", environmentID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var w wire.Operation
	resp, err := s.client.do(ctx, call{method: http.MethodDelete, url: s.client.accountURL(sc.account, "environments", environmentID), out: &w, empty: true, gone: true})
	if err != nil {
		return nil, resp, err
	}
	if w.OperationID == "" {
		return &Operation{Status: OperationDone, Type: string(w.OperationType)}, resp, nil
	}
	return operationFromWire(&w), resp, nil
}

// FindByName returns the first environment named name (deleted ones left
// out), walking the list (GET A/environments) until it finds one: how to
// find what a Create whose outcome is unknown made. None is an error
// matching ErrNotFound.
func (s *EnvironmentsService) FindByName(ctx context.Context, name string) (*Environment, error) {
	if err := checkName("environment", name); err != nil {
		return nil, err
	}
	for e, err := range s.All(ctx, &ListOptions{PerPage: maxPerPage}) {
		if err != nil {
			return nil, err
		}
		if e.Name == name && !e.Deleted {
			return e, nil
		}
	}
	return nil, fmt.Errorf("%w: no environment named %q", ErrNotFound, name)
}
