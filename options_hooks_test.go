package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
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
		w, err := got[i].Wait, got[i].Err
		got[i].Wait, got[i].Err = 0, nil
		if got[i] != want || w <= 0 || w > 5*time.Millisecond {
			t.Errorf("retry %d: %+v (wait %v), want %+v", i, got[i], w, want)
		}
		// The 503 got an answer; the reset did not, and Err says why,
		// without the URL net/http wraps around it.
		if wantErr := i == 1; (err != nil) != wantErr || wantErr && (err.Error() != "connection reset" || strings.Contains(err.Error(), "http")) {
			t.Errorf("retry %d: Err = %v, want it only for the transport error, as its bare cause", i, err)
		}
	}
}

// A refused connection is named in RetryInfo.Err, which errors.Is sees
// through; the token never reaches its text.
func TestWithRetryNotifyNamesTheTransportError(t *testing.T) {
	t.Parallel()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now: connections are refused
	var mu sync.Mutex
	var got []rivery.RetryInfo
	c, err := rivery.NewClient("tok-retry-secret", rivery.WithBaseURL("http://"+addr), rivery.WithRetry(2, time.Millisecond, time.Millisecond),
		rivery.WithRetryNotify(func(i rivery.RetryInfo) {
			mu.Lock()
			got = append(got, i)
			mu.Unlock()
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Rivers.List(context.Background(), nil); err == nil {
		t.Fatal("a refused connection succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("notified %d times, want 2", len(got))
	}
	for _, i := range got {
		if !errors.Is(i.Err, syscall.ECONNREFUSED) || i.StatusCode != 0 || strings.Contains(fmt.Sprint(i.Err), "tok-retry-secret") {
			t.Errorf("RetryInfo = %+v (Err %v); want a refused connection", i, i.Err)
		}
	}
}

func TestWithRetryNotifyNil(t *testing.T) {
	t.Parallel()
	if _, err := rivery.NewClient("x", rivery.WithRetryNotify(nil)); err == nil {
		t.Fatal("nil func accepted")
	}
}
