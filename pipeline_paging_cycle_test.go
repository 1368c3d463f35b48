package rivery_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A next_page that revisits a URL already fetched (A, B, A) stops the
// iterator with an error, whether the pages carry numbers or not and
// however the revisited URL is spelled (a fragment is not sent).
func TestPaginationCycleStops(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		numbered bool
		back     string // how B points back to A
	}{
		"A, B, A":                       {false, ""},
		"A, B, A#":                      {false, "#"},
		"A, B, A# with rising pages":    {true, "#"},
		"A, B, A#top with rising pages": {true, "#top"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := jsonServer(t, func(r *http.Request) string {
				n := hits.Add(1)
				a := "http://" + r.Host + "/v1/accounts/" + accountID + "/tokens"
				next := a + "?page=2"
				if r.URL.Query().Get("page") == "2" {
					next = a + tc.back
				}
				page := 0
				if tc.numbered {
					page = int(n)
				}
				return `{"items":[{"token_id":"t` + string(rune('0'+n)) + `","name":"n"}],"page":` + string(rune('0'+page)) + `,"next_page":"` + next + `"}`
			})
			c := newTestClient(t, srv.URL, v1()...)
			var got int
			var last error
			for tok, err := range c.Tokens.All(context.Background(), nil) {
				if err != nil {
					last = err
					continue
				}
				if tok != nil {
					got++
				}
				if got > 10 { // the cycle went unnoticed
					break
				}
			}
			if last == nil || !strings.Contains(last.Error(), "already fetched") {
				t.Fatalf("iterator ended with %v after %d tokens and %d requests; want a cycle error", last, got, hits.Load())
			}
			if got != 2 || hits.Load() != 2 {
				t.Errorf("%d tokens in %d requests, want 2 in 2", got, hits.Load())
			}
		})
	}
}
