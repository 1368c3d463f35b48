package riverytest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// limits are the live API's rate limits, enforced when asked (API.md
// section 6: about 15 requests a minute per user, 2 runs a minute per
// river), and the time scale.
type limits struct {
	requests int                    // per minute per token; 0: none
	runs     int                    // per minute per river; 0: none
	scale    float64                // every duration is divided by it; 0: 1
	sent     map[string][]time.Time // by token ID: requests accepted in the last minute
	started  map[string][]time.Time // by river ID: triggers that started runs in the last minute
}

// WithRequestLimit makes the server accept at most n requests a minute
// per token, as Rivery does (about 15): a request beyond that is answered
// 429 in its family's error style, with a Retry-After saying in whole
// seconds (at least 1) when a request will be accepted again. The minute
// slides (any span of a minute holds at most n accepted requests), and
// refused requests do not count. Requests without a valid token and the
// Boomi platform's are not limited. n <= 0 means no limit (the default).
func WithRequestLimit(n int) Option {
	return func(s *Server) { s.lim.requests = max(n, 0) }
}

// WithRunLimit makes the server start at most n runs a minute per river,
// as Rivery does (2): a trigger beyond that (of the river or one of its
// sub-rivers) is answered 429 with a Retry-After, and starts nothing.
// n <= 0 means no limit (the default).
func WithRunLimit(n int) Option {
	return func(s *Server) { s.lim.runs = max(n, 0) }
}

// WithTimeScale makes time pass factor times faster for the server's
// rules: every duration, interval and rate window is divided by factor.
// River.Duration, Fault.Delay, WithMaxWindow, WithJWTExpiry's lifetime,
// RecordedRun's default length and the minute of WithRequestLimit and
// WithRunLimit all shrink by the same factor, so that 100 runs of 5 to 30
// minutes under Rivery's limits play out in seconds with factor 60 (a
// minute lasts a second). Timestamps stay real: a run of River.Duration 10
// minutes at factor 60 reports a start and an end 10 seconds apart.
// Retry-After is sent in whole seconds, as HTTP has it: at least 1 s, so
// at factor 60 a 429 asks for at least a scaled minute. Give the client
// the same scale (WithPollInterval, WithRetry, WithRequestBudget) to
// keep its behavior in proportion. A factor that is not positive and
// finite means 1.
func WithTimeScale(factor float64) Option {
	return func(s *Server) {
		if factor > 0 && !math.IsInf(factor, 0) {
			s.lim.scale = factor
		}
	}
}

// scaled is d divided by the time scale.
func (s *Server) scaled(d time.Duration) time.Duration {
	if s.lim.scale == 0 || s.lim.scale == 1 {
		return d
	}
	return time.Duration(float64(d) / s.lim.scale)
}

// minute is a minute, scaled.
func (s *Server) minute() time.Duration { return s.scaled(time.Minute) }

// admit counts a request of tokenID against the request limit; it
// returns 0 when the request is accepted, else how long until one would
// be.
func (s *Server) admit(tokenID string, now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lim.requests == 0 || tokenID == "" {
		return 0
	}
	if s.lim.sent == nil {
		s.lim.sent = map[string][]time.Time{}
	}
	recent, wait := slide(s.lim.sent[tokenID], now, s.minute(), s.lim.requests)
	if wait == 0 {
		recent = append(recent, now)
	}
	s.lim.sent[tokenID] = recent
	return wait
}

// runWait returns how long until riverID may start another run under the
// run limit (0: now); the caller holds s.mu.
func (s *Server) runWait(riverID string, now time.Time) time.Duration {
	if s.lim.runs == 0 {
		return 0
	}
	recent, wait := slide(s.lim.started[riverID], now, s.minute(), s.lim.runs)
	if len(recent) > 0 {
		s.lim.started[riverID] = recent
	}
	return wait
}

// limitedTrigger is trigger under the run limit: when rv has started its
// runs of the minute, it answers 429 and reports false. A trigger that
// started runs counts once. The caller holds s.mu.
func (s *Server) limitedTrigger(w http.ResponseWriter, fam family, rv *river, sub string) ([]*run, bool) {
	now := time.Now()
	if wait := s.runWait(rv.ID, now); wait > 0 {
		tooMany(w, fam, wait, "river "+rv.ID+" has started its runs of the minute")
		return nil, false
	}
	runs := s.trigger(rv, sub)
	for _, r := range runs {
		if r.skippedFor == "" && s.lim.runs > 0 {
			if s.lim.started == nil {
				s.lim.started = map[string][]time.Time{}
			}
			s.lim.started[rv.ID] = append(s.lim.started[rv.ID], now)
			break
		}
	}
	return runs, true
}

// slide drops the times of recent that are a window or more before now,
// and returns the rest with how long until fewer than n remain (0: now).
func slide(recent []time.Time, now time.Time, window time.Duration, n int) ([]time.Time, time.Duration) {
	from := now.Add(-window)
	i := 0
	for i < len(recent) && !recent[i].After(from) {
		i++
	}
	recent = recent[i:]
	if len(recent) < n {
		return recent, 0
	}
	return recent, recent[len(recent)-n].Sub(from)
}

// tooMany answers 429 in fam's style, asking the client to come back after
// wait (in whole seconds, at least 1).
func tooMany(w http.ResponseWriter, fam family, wait time.Duration, what string) {
	secs := max(int64(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeError(w, fam, http.StatusTooManyRequests, fmt.Sprintf("Too many requests: %s", what))
}
