package rivery_test

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/rivery-go/rivery"
)

// observed is one event a recorder saw: its kind, the event, the tag of
// the context it came with, and the tag of the context a Start returned.
type observed struct {
	kind    string // call-start, call-end, attempt-start, attempt-end, wait-start, wait-status, wait-end
	call    rivery.CallEvent
	attempt rivery.AttemptEvent
	wait    rivery.WaitEvent
	in, out string
}

type tagKey struct{ name string }

// eventLog is an Observer that keeps every event in order. Each Start
// returns a context tagged with a new name, so tests can follow which
// context each event came with. setHeader, if set, runs in AttemptStart.
type eventLog struct {
	name      string
	setHeader func(e rivery.AttemptEvent)

	mu     sync.Mutex
	seq    int
	events []observed
}

func (l *eventLog) tag(ctx context.Context) string {
	s, _ := ctx.Value(tagKey{l.name}).(string)
	return s
}

func (l *eventLog) add(ctx context.Context, ev observed, start bool) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev.in = l.tag(ctx)
	if start {
		l.seq++
		ev.out = fmt.Sprintf("%s#%d", ev.kind, l.seq)
		ctx = context.WithValue(ctx, tagKey{l.name}, ev.out)
	}
	l.events = append(l.events, ev)
	return ctx
}

func (l *eventLog) CallStart(ctx context.Context, e rivery.CallEvent) context.Context {
	return l.add(ctx, observed{kind: "call-start", call: e}, true)
}

func (l *eventLog) CallEnd(ctx context.Context, e rivery.CallEvent) {
	l.add(ctx, observed{kind: "call-end", call: e}, false)
}

func (l *eventLog) AttemptStart(ctx context.Context, e rivery.AttemptEvent) context.Context {
	if l.setHeader != nil {
		l.setHeader(e)
	}
	e.Header = nil // valid only during the call
	return l.add(ctx, observed{kind: "attempt-start", attempt: e}, true)
}

func (l *eventLog) AttemptEnd(ctx context.Context, e rivery.AttemptEvent) {
	l.add(ctx, observed{kind: "attempt-end", attempt: e}, false)
}

func (l *eventLog) WaitStart(ctx context.Context, e rivery.WaitEvent) context.Context {
	return l.add(ctx, observed{kind: "wait-start", wait: e}, true)
}

func (l *eventLog) WaitStatus(ctx context.Context, e rivery.WaitEvent) {
	l.add(ctx, observed{kind: "wait-status", wait: e}, false)
}

func (l *eventLog) WaitEnd(ctx context.Context, e rivery.WaitEvent) {
	l.add(ctx, observed{kind: "wait-end", wait: e}, false)
}

func (l *eventLog) all() []observed {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]observed(nil), l.events...)
}

// kinds returns the kinds of the events, in order, as one string.
func (l *eventLog) kinds() string {
	var ks []string
	all := l.all()
	for i := range all {
		ks = append(ks, all[i].kind)
	}
	return strings.Join(ks, " ")
}

// of returns the events of one kind, in order.
func (l *eventLog) of(kind string) []observed {
	var out []observed
	all := l.all()
	for i := range all {
		if all[i].kind == kind {
			out = append(out, all[i])
		}
	}
	return out
}
