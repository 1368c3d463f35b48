package rivery

import (
	"context"
	"net/http"
	"testing"
)

// BenchmarkInEnvironment measures making a client for another environment
// (what=make), and a status call through a client made for it each time
// (what=getrun-per-call) against one through the parent (what=getrun), in
// memory.
func BenchmarkInEnvironment(b *testing.B) {
	const other = "6a7b8c9d0e1f2a3b4c5d6e80"
	rt := canned{200, fixed(benchV1RunBody)}
	ctx := context.Background()
	c := benchV1Client(b, rt)
	b.Run("what=make", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if child, err := c.InEnvironment(other); err != nil || child.fixed.environment != other {
				b.Fatal(err)
			}
		}
	})
	b.Run("what=getrun", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := c.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("what=getrun-per-call", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			child, err := c.InEnvironment(other)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := child.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type benchSource string

func (s benchSource) Token(context.Context) (string, error)           { return string(s), nil }
func (s benchSource) Refresh(context.Context, string) (string, error) { return string(s), nil }

// BenchmarkGetRunTokenSource is BenchmarkGetRun with the token from a
// TokenSource (such as a Boomi JWT already cached) instead of NewClient's.
func BenchmarkGetRunTokenSource(b *testing.B) {
	c, err := NewClient("", WithTokenSource(benchSource(benchToken)), WithBaseURL(benchBase),
		WithHTTPClient(&http.Client{Transport: canned{200, fixed(benchV1RunBody)}}),
		WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil {
			b.Fatal(err)
		}
	}
}
