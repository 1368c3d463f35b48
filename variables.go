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
	return variableValues(w.Variables), resp, nil
}

// variableValues reads variables' values: a string as itself, anything
// else (a number, a list, an object) as its JSON text, null as "".
func variableValues(raw map[string]json.RawMessage) map[string]string {
	vars := make(map[string]string, len(raw))
	for k, v := range raw {
		var str string
		switch {
		case json.Unmarshal(v, &str) == nil:
			vars[k] = str
		default:
			vars[k] = string(v)
		}
	}
	return vars
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
// server says the environment does not have. It matches ErrNotFound too.
var ErrNoSuchVariable = fmt.Errorf("%w: no such variable", ErrNotFound)

// Delete removes one variable: DELETE E/variables?variable_key={name}, one
// request, as Boomi's own tooling sends it (Rivery allows about 15
// requests a minute).
//
// The error matches ErrNoSuchVariable (and ErrNotFound) when the server's
// answer says the name is missing: a 404, or a 2xx whose message says it
// was not found. The live API answers success even for a name it does not
// have, so a nil error does not prove the name existed; List tells what is
// set.
func (s *VariablesService) Delete(ctx context.Context, name string) (*Response, error) {
	if err := validateVariableName(name); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	var answer []byte
	q := url.Values{"variable_key": {name}}
	resp, err := s.client.do(ctx, call{method: http.MethodDelete, url: s.client.envURL(sc, "variables"), query: q, out: &answer})
	switch {
	case statusOf(err) == http.StatusNotFound:
		return resp, fmt.Errorf("%w: the environment has no variable %q: %w", ErrNoSuchVariable, name, err)
	case err != nil:
		return resp, err
	}
	if msg, _ := readErrorBody(answer); saysNotFound(msg) {
		return resp, fmt.Errorf("%w: the environment has no variable %q (the server said %q)", ErrNoSuchVariable, name, clip(safeText(msg), maxMessage))
	}
	return resp, nil
}

// saysNotFound reports whether a server's message says that what it was
// asked about does not exist.
func saysNotFound(msg string) bool {
	m := strings.ToLower(msg)
	for _, s := range []string{"not found", "not exist", "no such", "doesn't exist"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
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
