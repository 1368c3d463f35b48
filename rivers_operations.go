package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// Operation is an asynchronous change to a river (activation, disabling).
// Operation values are comparable with ==.
type Operation struct {
	ID           string
	Status       OperationStatus
	ErrorMessage string

	// Type is the operation's type as the server names it, e.g.
	// "activate_river", "disable_river", "enable"; empty when not sent.
	Type string
	// RunID is the run the operation started, when it names one.
	RunID string
	// UpdatedAt is when the server last changed it (last_update_date);
	// zero when not sent.
	UpdatedAt time.Time
	// Result is the operation's result as the server sent it, as compact
	// JSON text (a string, a list or an object, depending on Type); empty
	// when there is none. A done operation may also carry an ErrorMessage.
	Result string
}

// OperationStatus is an operation's state, as the API's letters.
type OperationStatus string

// The states of an operation.
const (
	OperationWaiting OperationStatus = "W"
	OperationRunning OperationStatus = "R"
	OperationDone    OperationStatus = "D"
	OperationFailed  OperationStatus = "E"
)

// Done reports whether the operation has ended, well or not. Unknown
// states count as ended, so a waiter never hangs on them.
func (s OperationStatus) Done() bool {
	return s != OperationWaiting && s != OperationRunning
}

// OperationError is returned by WaitForOperation when an operation ends in
// any state but D; it carries the server's message.
type OperationError struct {
	Operation *Operation

	scrub secret // the client's token, scrubbed from Error
}

// Error reports the operation and the server's message.
func (e *OperationError) Error() string {
	msg := "rivery: operation " + e.Operation.ID + " ended " + string(e.Operation.Status)
	if e.Operation.ErrorMessage != "" {
		msg += ": " + clip(e.Operation.ErrorMessage, maxMessage)
	}
	return e.scrub.printable(msg)
}

func operationFromWire(w *wire.Operation) *Operation {
	op := &Operation{
		ID:           string(w.OperationID),
		Status:       OperationStatus(w.Status),
		ErrorMessage: string(w.ErrorMessage),
		Type:         string(w.OperationType),
		RunID:        string(w.RunID),
		UpdatedAt:    w.LastUpdateDate.Time,
	}
	var compact bytes.Buffer
	if r := bytes.TrimSpace(w.Result); len(r) > 0 && string(r) != "null" && json.Compact(&compact, r) == nil {
		op.Result = compact.String()
	}
	return op
}

// Activate makes a disabled river runnable again:
// POST E/rivers/{riverID}/activate_river (v1 API only). It returns the
// operation to pass to WaitForOperation; a river already active comes back
// as a finished operation: the server answers that with an empty 2xx
// (204, or a 200 or 202 without a body or with {} or null).
func (s *RiversService) Activate(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.setActive(ctx, riverID, "activate_river")
}

// Disable stops a river from running: POST E/rivers/{riverID}/disable_river
// (v1 API only). See Activate.
func (s *RiversService) Disable(ctx context.Context, riverID string) (*Operation, *Response, error) {
	return s.setActive(ctx, riverID, "disable_river")
}

func (s *RiversService) setActive(ctx context.Context, riverID, action string) (*Operation, *Response, error) {
	if err := validateID("river ID", riverID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	op, resp, err := s.client.startOperation(ctx, call{method: http.MethodPost, url: s.client.riverURL(sc, riverID, action), body: emptyObject})
	if err == nil && op == nil { // empty: already in that state
		op = &Operation{Status: OperationDone}
	}
	return op, resp, err
}

// startOperation makes cl, a call that starts an asynchronous operation,
// and reads the operation it answers; nil (with no error) when the answer
// is empty (a 204, or a 2xx without a body or with {} or null).
func (c *Client) startOperation(ctx context.Context, cl call) (*Operation, *Response, error) {
	var w wire.Operation
	cl.out, cl.empty = &w, true
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, resp, err
	}
	if w.OperationID == "" && w.Status == "" {
		return nil, resp, nil
	}
	return operationFromWire(&w), resp, nil
}

// followable makes cl, which starts an operation, and returns the
// operation to follow: a 202 must name one (an acceptance with nothing to
// follow is an error: nothing tells when the change is made); any other
// empty 2xx (a 204) says there was nothing to do, and comes back as an
// operation already ended D.
func (c *Client) followable(ctx context.Context, cl call) (*Operation, *Response, error) {
	op, resp, err := c.startOperation(ctx, cl)
	switch {
	case err != nil:
		return nil, resp, err
	case op == nil && resp.StatusCode == http.StatusAccepted:
		return nil, resp, &RequestError{Method: cl.method, URL: cl.url, Attempts: 1, MaybeApplied: cl.method != http.MethodGet && !cl.idempotent,
			Err: errors.New("accepted (202) with no operation to follow")}
	case op == nil:
		return &Operation{Status: OperationDone}, resp, nil
	}
	return op, resp, nil
}

// WaitForOperation polls GET E/operations/{id} until op ends, with the
// same intervals as WaitForRun. The error is nil only when it ended D; an
// E comes back as an *OperationError with the server's message. An op that
// has already ended (such as Activate's answer to an active river) returns
// at once.
func (s *RiversService) WaitForOperation(ctx context.Context, op *Operation, opts *WaitOptions) (*Operation, error) {
	return waitOperation(ctx, s.client, op, opts)
}

// waitOperation is WaitForOperation, for every service whose calls answer
// an operation.
func waitOperation(ctx context.Context, c *Client, op *Operation, opts *WaitOptions) (*Operation, error) {
	if op == nil {
		return nil, fmt.Errorf("%w: nil operation", ErrInvalidArgument)
	}
	if op.Status.Done() && op.Status != "" {
		return op, c.sealed(operationOutcome(op))
	}
	if err := validateID("operation ID", op.ID); err != nil {
		return nil, err
	}
	minI, maxI, err := opts.intervals(c)
	if err != nil {
		return nil, err
	}
	sc, err := c.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	u := c.envURL(sc, "operations", op.ID)
	done, err := pollUntil(ctx, c.clock, op, false, doubling(minI, maxI), nil, func() (*Operation, bool, error) {
		var w wire.Operation
		if _, err := c.do(ctx, call{method: http.MethodGet, url: u, out: &w}); err != nil {
			return nil, false, err
		}
		next := operationFromWire(&w)
		return next, next.Status.Done(), nil
	})
	if err != nil {
		return done, err
	}
	return done, c.sealed(operationOutcome(done))
}

func operationOutcome(op *Operation) error {
	if op.Status == OperationDone {
		return nil
	}
	return &OperationError{Operation: op}
}
