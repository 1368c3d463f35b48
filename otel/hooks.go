package riveryotel

import (
	"context"

	"go.opentelemetry.io/otel/trace"

	"github.com/rivery-go/rivery"
)

// CallStart starts the call's span (kind client), a child of ctx's span.
func (o *Observer) CallStart(ctx context.Context, e rivery.CallEvent) context.Context {
	var buf [12]rivery.Attr
	return o.start(ctx, e.SpanName(), trace.SpanKindClient, e.Start, e.StartAttrs(buf[:0]))
}

// CallEnd ends the call's span with its status, error type and resend
// count.
func (o *Observer) CallEnd(ctx context.Context, e rivery.CallEvent) {
	var buf [8]rivery.Attr
	end(o.spanOf(ctx), e.EndAttrs(buf[:0]), e.ErrorType, e.Start.Add(e.Duration))
}

// AttemptStart starts the attempt's span (kind client), a child of the
// call's, and writes its trace context into the request when
// WithPropagators asked for it.
func (o *Observer) AttemptStart(ctx context.Context, e rivery.AttemptEvent) context.Context {
	var buf [12]rivery.Attr
	ctx = o.start(ctx, e.SpanName(), trace.SpanKindClient, e.Start, e.StartAttrs(buf[:0]))
	if o.prop != nil && e.Header != nil {
		o.prop.Inject(ctx, e.Header)
	}
	return ctx
}

// AttemptEnd ends the attempt's span and records its duration, a 429 and
// a retry.
func (o *Observer) AttemptEnd(ctx context.Context, e rivery.AttemptEvent) {
	var buf [4]rivery.Attr
	end(o.spanOf(ctx), e.EndAttrs(buf[:0]), e.ErrorType, e.Start.Add(e.Duration))
	o.inst.attemptEnded(ctx, &e)
}

// WaitStart starts the wait's span (kind internal), a child of ctx's span,
// and counts the wait in flight.
func (o *Observer) WaitStart(ctx context.Context, e rivery.WaitEvent) context.Context {
	var buf [8]rivery.Attr
	ctx = o.start(ctx, e.SpanName(), trace.SpanKindInternal, e.Start, e.StartAttrs(buf[:0]))
	o.inst.waits.Add(ctx, 1)
	return ctx
}

// WaitStatus adds a rivery.run.status event to the wait's span when the
// status changed.
func (o *Observer) WaitStatus(ctx context.Context, e rivery.WaitEvent) {
	if !e.Changed {
		return
	}
	span := o.spanOf(ctx)
	if !span.IsRecording() {
		return
	}
	var buf [4]rivery.Attr
	span.AddEvent(rivery.EventRunStatus, trace.WithTimestamp(e.SeenAt), trace.WithAttributes(kvs(e.StatusAttrs(buf[:0]))...))
}

// WaitEnd ends the wait's span with the run's outcome (status Error unless
// it succeeded) and records the run's duration.
func (o *Observer) WaitEnd(ctx context.Context, e rivery.WaitEvent) {
	var buf [12]rivery.Attr
	failure := ""
	if e.Outcome() != string(rivery.StatusSucceeded) {
		failure = e.Outcome()
	}
	end(o.spanOf(ctx), e.EndAttrs(buf[:0]), failure, e.Start.Add(e.Duration))
	o.inst.waits.Add(ctx, -1)
	o.inst.waitEnded(ctx, &e)
}
