package rivery

import (
	"context"
	"net/http"
)

// Delete deletes a river: DELETE E/rivers/{riverID} (v1 API), as Rivery's
// Terraform provider and console call it. No source shows its answer; any
// 2xx is success. Boomi's tooling leaves deletion to the console.
//
// A delete is retried like any read; a 404 to a retry after an attempt
// whose answer was lost is the delete done, and nil. A 404 to the first
// attempt is an error matching ErrNotFound.
func (s *RiversService) Delete(ctx context.Context, riverID string) (*Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{method: http.MethodDelete, url: s.client.riverURL(sc, riverID), gone: true})
}
