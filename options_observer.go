package rivery

import (
	"context"
	"errors"
	"slices"
)

// Observer follows what a client does, for traces, metrics or logs: each
// API call (CallStart, CallEnd), each HTTP attempt of a call (AttemptStart,
// AttemptEnd), and each wait for a run (WaitStart, WaitStatus, WaitEnd).
// Give one to NewClient with WithObserver. The module
// github.com/rivery-go/rivery/otel (package riveryotel) implements it with
// OpenTelemetry; docs/observability.md shows both.
//
// A Start method returns the context the work it starts runs in: ctx
// itself, or a context derived from it (one carrying a span, say); nil
// stands for ctx. The
// matching End method gets that context, and so does the work inside: the
// attempts of a call, and the calls a wait makes (its trigger and status
// calls), whose own Start methods get it as their ctx. A call inside
// another (the Boomi token exchange a call needs first) starts in the
// outer call's context.
//
// The methods run on the goroutine making the call. They must return
// quickly, must not panic, and must be safe for concurrent use: calls
// running at once report at once. Events carry no secret: no token, JWT
// or credential, no header, no query string, no body and no server
// message (a run's error may echo a connection string); the route keeps
// the path's shape, with each ID replaced by a placeholder, and the IDs
// apart.
//
// Embed NopObserver to implement only some of the methods: methods added
// to Observer later get a no-op there, so such a type keeps compiling.
type Observer interface {
	// CallStart is called when an API call begins, before it takes a
	// token, waits for the rate limiter or sends anything.
	CallStart(ctx context.Context, e CallEvent) context.Context
	// CallEnd is called when the call returns, with its outcome.
	CallEnd(ctx context.Context, e CallEvent)
	// AttemptStart is called before each HTTP attempt of a call is sent.
	AttemptStart(ctx context.Context, e AttemptEvent) context.Context
	// AttemptEnd is called when the attempt has its answer (its body
	// read) or has failed, before any wait for the next attempt.
	AttemptEnd(ctx context.Context, e AttemptEvent)
	// WaitStart is called when RunAndWait, WaitForRun or WaitForGroup
	// begins (RunAndWait before its trigger).
	WaitStart(ctx context.Context, e WaitEvent) context.Context
	// WaitStatus is called each time the wait sees the run's status: the
	// trigger's answer and every status call's.
	WaitStatus(ctx context.Context, e WaitEvent)
	// WaitEnd is called when the wait returns: the run ended, or the wait
	// stopped before (ctx ended, a status call failed for good).
	WaitEnd(ctx context.Context, e WaitEvent)
}

// NopObserver is an Observer that does nothing. Embed it in a type to
// implement only the Observer methods that type needs.
type NopObserver struct{}

// CallStart returns ctx.
func (NopObserver) CallStart(ctx context.Context, _ CallEvent) context.Context { return ctx }

// CallEnd does nothing.
func (NopObserver) CallEnd(context.Context, CallEvent) {}

// AttemptStart returns ctx.
func (NopObserver) AttemptStart(ctx context.Context, _ AttemptEvent) context.Context { return ctx }

// AttemptEnd does nothing.
func (NopObserver) AttemptEnd(context.Context, AttemptEvent) {}

// WaitStart returns ctx.
func (NopObserver) WaitStart(ctx context.Context, _ WaitEvent) context.Context { return ctx }

// WaitStatus does nothing.
func (NopObserver) WaitStatus(context.Context, WaitEvent) {}

// WaitEnd does nothing.
func (NopObserver) WaitEnd(context.Context, WaitEvent) {}

// WithObserver makes the client report its calls, their attempts and its
// waits to o (see Observer). Given more than once, every observer sees
// every event, in the order given, each Start method getting the context
// the one before returned. Without an observer the client spends nothing
// on this: no allocation, no clock read.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		if o == nil {
			return errors.New("rivery: WithObserver: nil Observer")
		}
		if c.observer == nil {
			c.observer = o
			return nil
		}
		list, ok := c.observer.(observers)
		if !ok {
			list = observers{c.observer}
		}
		c.observer = append(slices.Clip(list), o)
		return nil
	}
}

// observers is several observers given to one client, called in order.
type observers []Observer

// CallStart calls each observer's, in order, each with the context the
// one before returned (the one before's own when that returned nil).
func (m observers) CallStart(ctx context.Context, e CallEvent) context.Context {
	for _, o := range m {
		ctx = orCtx(o.CallStart(ctx, e), ctx)
	}
	return ctx
}

// CallEnd calls each observer's.
func (m observers) CallEnd(ctx context.Context, e CallEvent) {
	for _, o := range m {
		o.CallEnd(ctx, e)
	}
}

// AttemptStart calls each observer's, as CallStart does.
func (m observers) AttemptStart(ctx context.Context, e AttemptEvent) context.Context {
	for _, o := range m {
		ctx = orCtx(o.AttemptStart(ctx, e), ctx)
	}
	return ctx
}

// AttemptEnd calls each observer's.
func (m observers) AttemptEnd(ctx context.Context, e AttemptEvent) {
	for _, o := range m {
		o.AttemptEnd(ctx, e)
	}
}

// WaitStart calls each observer's, as CallStart does.
func (m observers) WaitStart(ctx context.Context, e WaitEvent) context.Context {
	for _, o := range m {
		ctx = orCtx(o.WaitStart(ctx, e), ctx)
	}
	return ctx
}

// WaitStatus calls each observer's.
func (m observers) WaitStatus(ctx context.Context, e WaitEvent) {
	for _, o := range m {
		o.WaitStatus(ctx, e)
	}
}

// WaitEnd calls each observer's.
func (m observers) WaitEnd(ctx context.Context, e WaitEvent) {
	for _, o := range m {
		o.WaitEnd(ctx, e)
	}
}
