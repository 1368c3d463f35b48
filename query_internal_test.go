package rivery

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-querystring/query"
)

// The list options that write their own query write what go-querystring
// and url.Values.Encode would.
func TestQueryAppendersMatchQuerystring(t *testing.T) {
	t.Parallel()
	words := []string{"", "orders", "a b&c=d", "100%", "é/?#", "x+y"}
	nums := []int{0, 1, 20, 500, -3}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		o := &ListRiversOptions{
			ListOptions: ListOptions{Page: nums[rng.IntN(len(nums))], PerPage: nums[rng.IntN(len(nums))]},
			Name:        words[rng.IntN(len(words))],
			GroupID:     words[rng.IntN(len(words))],
		}
		for _, q := range []any{o, &o.ListOptions} {
			want, err := query.Values(q)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(q.(queryAppender).appendQuery(nil)); got != want.Encode() {
				t.Fatalf("%+v: appendQuery %q, go-querystring %q", q, got, want.Encode())
			}
		}
	}
}
