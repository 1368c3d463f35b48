package rivery_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// Rule 4: a success body is read up to a bound, never whole.
func TestSuccessBodyBounded(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithoutRetries())
	huge := `{"run_id":"` + strings.Repeat("a", 300<<10) + `"}`
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", httpmock.NewStringResponder(200, huge))
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if reqErr := asRequestError(t, err); !strings.Contains(reqErr.Error(), "response body exceeds 262144 bytes") {
		t.Errorf("error = %v", err)
	}
}
