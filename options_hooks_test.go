package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestWithRetryNotify(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []rivery.RetryInfo
	c, mock := setup(t, rivery.WithRetryNotify(func(i rivery.RetryInfo) {
		mu.Lock()
		got = append(got, i)
		mu.Unlock()
	}))
	calls := 0
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", func(*http.Request) (*http.Response, error) {
		calls++
		switch calls {
		case 1:
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, `{"detail": "busy"}`), nil
		case 2:
			return nil, errors.New("connection reset")
		}
		return httpmock.NewStringResponse(http.StatusOK, `[]`), nil
	})
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
		if got[i] != want || w <= 0 || w > 5*time.Millisecond {
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
