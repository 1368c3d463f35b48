package rivery

import (
	"fmt"
	"time"
)

// WithRequestBudget keeps every request of the client within n in any span
// of per: each attempt (first tries, retries, the waits' status calls)
// waits until fewer than n were answered in the last per and none is
// still on its way beyond that. Unlike WithRateLimit's steady pace it
// counts the way a server's "n a minute" does, so WithRequestBudget(15,
// time.Minute) keeps a program within Rivery's documented limit without a
// 429, whatever its calls, with no margin to add.
//
// Calls and waits share it by priority: the calls a program makes go
// first, and the status calls of the shared poller (see Rivers.WaitForRun)
// take what they leave, plus a reserve of a fifth of n (at least 1) per
// span so that waits still notice ends while calls queue. After a 429 of
// any call the shared poller pauses for the answer's Retry-After, and its
// share is halved, growing back by one request per span.
//
// Without this option calls are not held (WithRateLimit paces them, if
// given), and the shared poller keeps the client within
// DefaultRequestBudget requests per twice its interval unit (a minute with
// the default intervals; see WaitOptions), counting the calls of the
// program too from the first time a poller starts. Clients made with
// InEnvironment share the budget. n is from 1 to 10,000. Requests outside
// Rivery's API (presigned URLs, the Boomi token exchange) are not counted.
func WithRequestBudget(n int, per time.Duration) Option {
	return func(c *config) error {
		switch {
		case n < 1 || n > maxRequestBudget:
			return fmt.Errorf("rivery: WithRequestBudget: n must be from 1 to %d, not %d", maxRequestBudget, n)
		case per <= 0:
			return fmt.Errorf("rivery: WithRequestBudget: per must be positive, not %v", per)
		}
		c.budgetN, c.budgetPer = n, per
		return nil
	}
}

// maxRequestBudget bounds WithRequestBudget's n: the budget keeps a slot
// for each request of its span, and looks at every slot on each request.
const maxRequestBudget = 10_000

// WithoutSharedPolling makes every wait (WaitForRun, RunAndWait,
// WaitForGroup) poll its own runs with GetRun, as 0.2.x did, however many
// are active at once. By default, waits of a v1 client in one environment
// are polled together once there are two or more (see Rivers.WaitForRun).
func WithoutSharedPolling() Option {
	return func(c *config) error {
		c.noSharedPolling = true
		return nil
	}
}
