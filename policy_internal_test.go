package rivery

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// recordBackoff makes c record each wait its policy computes, and wait 1 ms
// instead, so storms of long waits run fast.
func recordBackoff(c *Client) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	policy := c.rc.Backoff
	c.rc.Backoff = func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		w := policy(minWait, maxWait, attempt, resp)
		mu.Lock()
		waits = append(waits, w)
		mu.Unlock()
		return time.Millisecond
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

// A 429 storm: exactly maxRetries+1 attempts, every wait honors
// Retry-After in each of its forms and none exceeds the max wait.
func TestRateLimitStorm(t *testing.T) {
	t.Parallel()
	const maxRetries, minWait, maxWait = 4, 100 * time.Millisecond, 5 * time.Second
	forms := []struct {
		name       string
		retryAfter func(now time.Time) string
		lo, hi     time.Duration // bounds of each computed wait
	}{
		{"none", func(time.Time) string { return "" }, minWait / 2, maxWait},
		{"seconds", func(time.Time) string { return "2" }, 2 * time.Second, 2 * time.Second},
		// A date 4 s ahead, in whole seconds, is between 3 and 4 s ahead when
		// written, and a little less by the time the policy reads it: the
		// bounds leave a second for that, however slow the machine.
		{"IMF-fixdate", func(now time.Time) string { return now.Add(4 * time.Second).UTC().Format(http.TimeFormat) }, 2 * time.Second, 4 * time.Second},
		{"RFC 850", func(now time.Time) string {
			return now.Add(4 * time.Second).UTC().Format("Monday, 02-Jan-06 15:04:05 GMT")
		}, 2 * time.Second, 4 * time.Second},
		{"asctime", func(now time.Time) string { return now.Add(4 * time.Second).UTC().Format(time.ANSIC) }, 2 * time.Second, 4 * time.Second},
		{"date in the past", func(now time.Time) string { return now.Add(-time.Hour).UTC().Format(http.TimeFormat) }, minWait, minWait},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			attempts := 0
			mock.RegisterResponder(http.MethodPost, "https://console.rivery.io/api/run", func(*http.Request) (*http.Response, error) {
				attempts++
				resp := httpmock.NewStringResponse(429, `{"message":"Too many requests"}`)
				if v := f.retryAfter(time.Now()); v != "" {
					resp.Header.Set("Retry-After", v)
				}
				return resp, nil
			})
			c, err := NewClient("t", WithHTTPClient(&http.Client{Transport: mock}), WithRetry(maxRetries, minWait, maxWait))
			if err != nil {
				t.Fatal(err)
			}
			waits := recordBackoff(c)
			_, _, err = c.Rivers.Run(context.Background(), "63b724fc690def001131d242")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
				t.Fatalf("error = %v, want the last 429", err)
			}
			if attempts != maxRetries+1 {
				t.Errorf("attempts = %d, want %d", attempts, maxRetries+1)
			}
			got := waits()
			if len(got) != maxRetries {
				t.Fatalf("waits = %v, want %d", got, maxRetries)
			}
			for i, w := range got {
				if w < f.lo || w > f.hi || w > maxWait {
					t.Errorf("wait %d = %v, want within [%v, %v] and at most %v", i, w, f.lo, f.hi, maxWait)
				}
			}
		})
	}
}

// A Retry-After above the max wait returns the 429 at once.
func TestRetryAfterAboveCapInStorm(t *testing.T) {
	t.Parallel()
	for _, ra := range []string{"31", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)} {
		mock := httpmock.NewMockTransport()
		mock.RegisterResponder(http.MethodPost, "https://console.rivery.io/api/run",
			httpmock.NewStringResponder(429, "").HeaderSet(http.Header{"Retry-After": {ra}}))
		c, _ := NewClient("t", WithHTTPClient(&http.Client{Transport: mock}), WithRetry(4, time.Millisecond, 30*time.Second))
		waits := recordBackoff(c)
		_, _, err := c.Rivers.Run(context.Background(), "63b724fc690def001131d242")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.RetryAfter <= 30*time.Second {
			t.Errorf("Retry-After %q: error = %v", ra, err)
		}
		if n := mock.GetTotalCallCount(); n != 1 || len(waits()) != 0 {
			t.Errorf("Retry-After %q: %d attempts, waits %v; want 1 and none", ra, n, waits())
		}
	}
}
