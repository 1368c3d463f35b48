package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

// Options at their exact limits: zero timeout, a user agent with spaces,
// and error text of exactly 64 bytes (the cut starts at 65).
func TestOptionLimits(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opt     rivery.Option
		wantErr string
	}{
		"timeout 0 means no limit": {rivery.WithTimeout(0), ""},
		"timeout -1ns":             {rivery.WithTimeout(-1), "negative timeout"},
		"user agent with a space":  {rivery.WithUserAgent("my tool/1.0 (ops team)"), ""},
		"user agent with a tab":    {rivery.WithUserAgent("my\ttool"), "control characters"},
		"user agent with DEL":      {rivery.WithUserAgent("my\x7ftool"), "control characters"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := rivery.NewClient(testToken, tc.opt)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("NewClient = %v; want it accepted", err)
				}
				c.Close()
				return
			}
			if err == nil {
				c.Close()
				t.Fatalf("NewClient accepted it; want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewClient = %v; want %q", err, tc.wantErr)
			}
		})
	}
}

// A user agent with spaces is sent as given, after the SDK's own product.
func TestUserAgentWithSpacesIsSent(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.UserAgent())
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, runStatusJSON)
	}))
	defer srv.Close()
	c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithUserAgent("my tool/1.0"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	if ua, _ := got.Load().(string); !strings.Contains(ua, "my tool/1.0") {
		t.Errorf("User-Agent %q; want it to contain %q", ua, "my tool/1.0")
	}
}

// Text quoted in an error is kept whole up to 64 bytes and cut after.
func TestErrorTextCutAfter64Bytes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{63, 64, 65} {
		region := strings.Repeat("x", n)
		_, err := rivery.NewClient(testToken, rivery.WithRegion(rivery.Region(region)))
		if err == nil {
			t.Fatalf("region of %d bytes accepted", n)
		}
		whole := strings.Contains(err.Error(), strconv.Quote(region))
		cut := strings.Contains(err.Error(), strconv.Quote(strings.Repeat("x", 64)+"..."))
		if want := n <= 64; whole != want || cut == want {
			t.Errorf("%d bytes: %v; want it whole: %v", n, err, want)
		}
	}
}

// A GET makes at most 10 requests for a chain of distinct redirects, as
// net/http's default does: 9 redirects are followed, the 10th is an error
// naming the limit, not retried.
func TestRedirectChainLimit(t *testing.T) {
	t.Parallel()
	for _, hops := range []int{8, 9, 10} {
		t.Run(strconv.Itoa(hops), func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				n, _ := strconv.Atoi(r.URL.Query().Get("hop"))
				if n < hops {
					q := r.URL.Query()
					q.Set("hop", strconv.Itoa(n+1))
					http.Redirect(w, r, r.URL.Path+"?"+q.Encode(), http.StatusFound)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = fmt.Fprint(w, runStatusJSON)
			}))
			defer srv.Close()
			c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithRetry(3, time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
			if hops < 10 {
				if err != nil || run.ID != runID || requests.Load() != int32(hops+1) {
					t.Fatalf("%d redirects: GetRun = %+v, %v after %d requests; want the run after %d", hops, run, err, requests.Load(), hops+1)
				}
				return
			}
			var reqErr *rivery.RequestError
			if !errors.As(err, &reqErr) || !strings.Contains(err.Error(), "stopped after 10 redirects") || reqErr.Attempts != 1 || requests.Load() != 10 {
				t.Errorf("%d redirects: error %v after %d requests; want \"stopped after 10 redirects\" after 10 requests, 1 attempt", hops, err, requests.Load())
			}
		})
	}
}

// A client with no time limit (WithTimeout(0)) calls a real server: its
// own transport puts no deadline on the connection.
func TestZeroTimeoutClientCalls(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, runStatusJSON)
	}))
	defer srv.Close()
	c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithTimeout(0), rivery.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil || run.ID != runID {
		t.Errorf("GetRun = %+v, %v", run, err)
	}
}
