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
			GroupName:   words[rng.IntN(len(words))],
		}
		for _, q := range []any{o, &o.ListOptions} {
			want, err := query.Values(q)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := encodeQuery(q); err != nil || got != want.Encode() {
				t.Fatalf("%+v: encodeQuery %q, %v; go-querystring %q", q, got, err, want.Encode())
			}
		}
	}
	// A type that embeds them keeps its own fields.
	s := &SearchRiversOptions{ListOptions: ListOptions{PerPage: 5}, Name: "orders"}
	want, _ := query.Values(s)
	if got, _ := encodeQuery(s); got != want.Encode() {
		t.Errorf("SearchRiversOptions: %q, want %q", got, want.Encode())
	}
}
