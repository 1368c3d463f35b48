package rivery_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestWithRetryNotify(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer()
	defer srv.Close()
	srv.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 503})
	srv.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Delay: time.Minute}) // the attempt times out

	var mu sync.Mutex
	var got []rivery.RetryInfo
	c := srv.Client(rivery.WithTimeout(50*time.Millisecond), rivery.WithRetry(3, time.Millisecond, 10*time.Millisecond), rivery.WithRetryNotify(func(i rivery.RetryInfo) {
		mu.Lock()
		got = append(got, i)
		mu.Unlock()
	}))
	if _, _, err := c.Rivers.List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("notified %d times, want 2: %+v", len(got), got)
	}
	for i, want := range []rivery.RetryInfo{{Attempt: 2, MaxAttempts: 4, StatusCode: 503}, {Attempt: 3, MaxAttempts: 4}} {
		w := got[i].Wait
		got[i].Wait = 0
		if got[i] != want || w <= 0 || w > 10*time.Millisecond {
			t.Errorf("retry %d: %+v (wait %v), want %+v", i, got[i], w, want)
		}
	}
}

func TestWithRetryNotifyNil(t *testing.T) {
	t.Parallel()
	if _, err := rivery.NewClient("x", rivery.WithRetryNotify(nil)); err == nil {
		t.Fatal("nil func accepted")
	}
}
