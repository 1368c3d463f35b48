package riverytest_test

import (
	"context"
	"math"
	"net/http"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Page numbers near the integer limit answer an empty page (or 422 past
// it), never a panic or a page that wraps around to the first items.
func TestPageNumbersNearIntegerLimit(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{Name: "second"}))
	c := s.ClientV1()
	for _, page := range []int{math.MaxInt, math.MaxInt - 1, math.MaxInt/20 + 2, math.MaxInt / 500} {
		for _, per := range []int{0, 1, 500} {
			rivers, resp, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{Page: page, PerPage: per}})
			if err != nil || len(rivers) != 0 || resp.NextPage != "" {
				t.Errorf("page %d of %d: %d rivers, next %q, %v; want an empty last page", page, per, len(rivers), resp.NextPage, err)
			}
		}
	}
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	for _, page := range []string{"9223372036854775808", "-9223372036854775808", "0"} {
		u := s.URL + "/v1/accounts/" + s.AccountID + "/environments/" + s.EnvironmentID + "/rivers?page=" + page
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, http.NoBody)
		req.Header.Set("Authorization", "Bearer "+s.AdminToken())
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("page %s: status %d, want 422", page, resp.StatusCode)
		}
	}
}
