package rivery_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

func badIDs() []string {
	return []string{
		"", ".", "..", "a/b", "../tokens", "%2e%2e", "a?b", "a#b", "a b", "a\tb", "a\r\nX-Evil: 1",
		"a\x00b", "a\\b", "\x7f", strings.Repeat("a", 10_000), "a\uFFFDb",
	}
}

// Every method given a bad ID fails with ErrInvalidArgument and sends
// nothing.
func TestInvalidIDsRejectedWithoutRequest(t *testing.T) {
	t.Parallel()
	calls := map[string]func(c *rivery.Client, id string) error{
		"Rivers.Run": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.Run(context.Background(), id)
			return err
		},
		"Rivers.GetRun river": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.GetRun(context.Background(), id, runID)
			return err
		},
		"Rivers.GetRun run": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.GetRun(context.Background(), riverID, id)
			return err
		},
		"Rivers.CancelRun river": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.CancelRun(context.Background(), id, runID)
			return err
		},
		"Rivers.CancelRun run": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.CancelRun(context.Background(), riverID, id)
			return err
		},
		"Rivers.WaitForRun river": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.WaitForRun(context.Background(), id, runID, nil)
			return err
		},
		"Rivers.WaitForRun run": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.WaitForRun(context.Background(), riverID, id, nil)
			return err
		},
		"Rivers.RunAndWait": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.RunAndWait(context.Background(), id, nil)
			return err
		},
		"Rivers.Get": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.Get(context.Background(), id)
			return err
		},
		"Rivers.ListRuns": func(c *rivery.Client, id string) error {
			now := time.Now()
			_, _, err := c.Rivers.ListRuns(context.Background(), id, &rivery.ListRunsOptions{StartTime: now, EndTime: now})
			return err
		},
		"Rivers.RunLogs river": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.RunLogs(context.Background(), id, runID)
			return err
		},
		"Rivers.RunLogs run": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.RunLogs(context.Background(), riverID, id)
			return err
		},
		"Rivers.Activate": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.Activate(context.Background(), id)
			return err
		},
		"Rivers.Disable": func(c *rivery.Client, id string) error {
			_, _, err := c.Rivers.Disable(context.Background(), id)
			return err
		},
		"Rivers.WaitForOperation": func(c *rivery.Client, id string) error {
			_, err := c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: id, Status: rivery.OperationWaiting}, nil)
			return err
		},
		"Tokens.Get": func(c *rivery.Client, id string) error {
			_, _, err := c.Tokens.Get(context.Background(), id)
			return err
		},
		"Tokens.Delete": func(c *rivery.Client, id string) error {
			_, err := c.Tokens.Delete(context.Background(), id)
			return err
		},
	}
	for name, call := range calls {
		for _, family := range [][]rivery.Option{nil, v1()} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				c, mock := setup(t, family...)
				for _, id := range badIDs() {
					err := call(c, id)
					if !errors.Is(err, rivery.ErrInvalidArgument) {
						t.Errorf("id %q: error = %v, want ErrInvalidArgument", id, err)
					}
					if err != nil && len(err.Error()) > 300 {
						t.Errorf("id of %d bytes: error text is %d bytes", len(id), len(err.Error()))
					}
				}
				if n := mock.GetTotalCallCount(); n != 0 {
					t.Errorf("%d requests sent for bad IDs", n)
				}
			})
		}
	}
}

func TestInvalidIDErrorNamesTheProblem(t *testing.T) {
	t.Parallel()
	c, _ := setup(t)
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, "a/b")
	if got, want := err.Error(), `rivery: invalid argument: run ID "a/b" contains '/'`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	_, _, err = c.Rivers.Run(context.Background(), "")
	if got, want := err.Error(), "rivery: invalid argument: river ID is empty"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestNilContextRejected(t *testing.T) {
	t.Parallel()
	for _, family := range [][]rivery.Option{nil, v1()} {
		c, mock := setup(t, family...)
		//nolint:staticcheck // SA1012: a nil context is the input under test.
		_, _, err := c.Rivers.Run(nil, riverID)
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Run(nil ctx) error = %v", err)
		}
		//nolint:staticcheck // SA1012: a nil context is the input under test.
		_, _, err = c.Tokens.List(nil, nil)
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Tokens.List(nil ctx) error = %v", err)
		}
		//nolint:staticcheck // SA1012: a nil context is the input under test.
		_, err = c.Rivers.WaitForRun(nil, riverID, runID, nil)
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("WaitForRun(nil ctx) error = %v", err)
		}
		if n := mock.GetTotalCallCount(); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	}
}

func TestListOptionsValidated(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	for _, o := range []*rivery.ListOptions{{Page: -1}, {PerPage: -1}, {PerPage: 501}} {
		if _, _, err := c.Tokens.List(context.Background(), o); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("List(%+v) error = %v", o, err)
		}
		for _, err := range c.Tokens.All(context.Background(), o) {
			if !errors.Is(err, rivery.ErrInvalidArgument) {
				t.Errorf("All(%+v) error = %v", o, err)
			}
		}
	}
	if n := mock.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
