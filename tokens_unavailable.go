package rivery

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrTokensUnavailable is matched by the error a TokensService call returns
// when the API has no token routes at all: Rivery's live API answers them
// with FastAPI's generic 404 {"detail": "Not Found"}. It also matches
// ErrNotFound, and the *APIError stays reachable with errors.As. A token
// that does not exist, on a server that has the routes (riverytest), is a
// plain *APIError matching ErrNotFound only.
var ErrTokensUnavailable error = tokensUnavailable{}

type tokensUnavailable struct{}

func (tokensUnavailable) Error() string {
	return "rivery: token management is not available on this API"
}

// Is matches ErrNotFound too.
func (tokensUnavailable) Is(target error) bool { return target == ErrNotFound }

// tokensErr turns the live API's "no such route" answer to a token call
// into an error that says so; any other error passes as it is.
func tokensErr(err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || !genericNotFound(apiErr.Body) {
		return err
	}
	return fmt.Errorf("%w (Rivery publishes no token endpoints; tokens are made per user in the console): %w", ErrTokensUnavailable, err)
}

// genericNotFound reports whether body is exactly {"detail": "Not Found"},
// what FastAPI answers for a path it has no route for.
func genericNotFound(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || len(m) != 1 {
		return false
	}
	s, ok := jsonString(m["detail"])
	return ok && s == "Not Found"
}
