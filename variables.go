package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rivery-go/rivery/internal/wire"
)

// VariablesService manages the environment's variables (a flat map of
// names to values). Get it from Client.Variables. Its calls use the v1 API.
// Values are stored and returned in plain text: keep secrets in
// connections or encrypted river variables, not here.
type VariablesService service

// List returns every variable of the environment: GET E/variables (not
// paged). A value the server sends as a JSON number, list or object is
// returned as its JSON text.
func (s *VariablesService) List(ctx context.Context) (map[string]string, *Response, error) {
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.list(ctx, sc)
}

func (s *VariablesService) list(ctx context.Context, sc scope) (map[string]string, *Response, error) {
	var w wire.EnvVariables
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.envURL(sc, "variables"), out: &w, limit: limitLarge})
	if err != nil {
		return nil, resp, err
	}
	vars := make(map[string]string, len(w.Variables))
	for k, v := range w.Variables {
		var str string
		if json.Unmarshal(v, &str) == nil {
			vars[k] = str
		} else {
			vars[k] = string(v)
		}
	}
	return vars, resp, nil
}

// Set adds or updates the given variables and leaves every other one as it
// is: PUT E/variables with {"variables": vars}. It is never sent twice: if
// the outcome is unknown, the *RequestError has MaybeApplied set (List
// tells what happened).
func (s *VariablesService) Set(ctx context.Context, vars map[string]string) (*Response, error) {
	if len(vars) == 0 {
		return nil, fmt.Errorf("%w: no variables to set", ErrInvalidArgument)
	}
	for k := range vars {
		if err := validateVariableName(k); err != nil {
			return nil, err
		}
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodPut, url: s.client.envURL(sc, "variables"),
		body: wire.SetEnvVariables{Variables: vars}, write: true})
}

// ErrNoSuchVariable is what Delete returns, wrapped, for a variable the
// environment does not have. It matches ErrNotFound too.
var ErrNoSuchVariable = fmt.Errorf("%w: no such variable", ErrNotFound)

// Delete removes one variable: DELETE E/variables?variable_key={name}.
//
// The API answers success even for a name it does not have, so Delete
// checks: it reads the variables first, and returns an error matching
// ErrNoSuchVariable (and ErrNotFound) without deleting anything when name
// is not set; after the DELETE it reads them again and returns an error if
// name is still there. That is three requests. The *Response is the
// DELETE's.
func (s *VariablesService) Delete(ctx context.Context, name string) (*Response, error) {
	if err := validateVariableName(name); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	before, resp, err := s.list(ctx, sc)
	if err != nil {
		return resp, err
	}
	if _, ok := before[name]; !ok {
		return nil, fmt.Errorf("%w: the environment has no variable %q: nothing deleted", ErrNoSuchVariable, name)
	}
	q := url.Values{"variable_key": {name}}
	resp, err = s.client.do(ctx, call{method: http.MethodDelete, url: s.client.envURL(sc, "variables"), query: q})
	if err != nil {
		return resp, err
	}
	after, _, err := s.list(ctx, sc)
	if err != nil {
		return resp, fmt.Errorf("rivery: variable %q was deleted, but checking it failed: %w", name, err)
	}
	if _, ok := after[name]; ok {
		return resp, fmt.Errorf("rivery: the API answered the DELETE of variable %q with success, but it is still set", name)
	}
	return resp, nil
}

// validateVariableName refuses an empty name or one with control
// characters.
func validateVariableName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("%w: variable name is empty", ErrInvalidArgument)
	case hasControl(name):
		return fmt.Errorf("%w: variable name %q contains control characters", ErrInvalidArgument, name)
	}
	return nil
}
