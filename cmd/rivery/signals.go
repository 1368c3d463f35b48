package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// signalError is the cause of a context ended by SIGINT or SIGTERM.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string {
	switch e.sig {
	case os.Interrupt:
		return "stopped by SIGINT"
	case syscall.SIGTERM:
		return "stopped by SIGTERM"
	}
	return "stopped by " + e.sig.String()
}

// exitCode is the shell's convention for a death by signal: 128 + its number.
func (e signalError) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + 2
}

// withSignals returns a context that SIGINT or SIGTERM cancels with a
// signalError as its cause. After the first signal the default action is
// back, so a second one ends the process at once (during --cancel-on-exit's
// grace period, say). stop releases the signals.
func withSignals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(signalError{s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
