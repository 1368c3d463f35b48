package riverytemporal

import (
	"errors"
	"slices"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery"
)

func TestActivityErrorClassification(t *testing.T) {
	for _, tc := range []struct {
		name      string
		kind      callKind
		err       error
		typ       string
		retryable bool
		delay     time.Duration
	}{
		{"trigger 429", triggerCall, &rivery.APIError{StatusCode: 429, RetryAfter: 42 * time.Second}, ErrTypeRateLimited, true, 42 * time.Second},
		{"read 429 without Retry-After", readCall, &rivery.APIError{StatusCode: 429}, ErrTypeRateLimited, true, minRetryAfter},
		{"trigger 502", triggerCall, &rivery.APIError{StatusCode: 502}, ErrTypeOutcomeUnknown, false, 0},
		{"read 502", readCall, &rivery.APIError{StatusCode: 502}, ErrTypeUnavailable, true, 0},
		{"trigger 404", triggerCall, &rivery.APIError{StatusCode: 404}, ErrTypeRejected, false, 0},
		{"trigger maybe applied", triggerCall, &rivery.RequestError{MaybeApplied: true, Err: errors.New("EOF")}, ErrTypeOutcomeUnknown, false, 0},
		{"trigger never sent", triggerCall, &rivery.RequestError{Err: errors.New("dial tcp: refused")}, ErrTypeUnavailable, true, 0},
		{"trigger other error", triggerCall, errors.New("something else"), ErrTypeOutcomeUnknown, false, 0},
		{"cancel maybe applied", cancelCall, &rivery.RequestError{MaybeApplied: true, Err: errors.New("EOF")}, ErrTypeUnavailable, true, 0},
		{"bad input", triggerCall, rivery.ErrInvalidArgument, ErrTypeInvalidArgument, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var appErr *temporal.ApplicationError
			if !errors.As(activityError(tc.kind, tc.err), &appErr) {
				t.Fatal("not an ApplicationError")
			}
			retryable := !appErr.NonRetryable() && !slices.Contains(triggerPolicy().NonRetryableErrorTypes, appErr.Type())
			if tc.kind != triggerCall {
				retryable = !appErr.NonRetryable() && !slices.Contains(readPolicy().NonRetryableErrorTypes, appErr.Type())
			}
			if appErr.Type() != tc.typ || retryable != tc.retryable || appErr.NextRetryDelay() != tc.delay {
				t.Errorf("type %q retryable %v delay %v; want %q %v %v", appErr.Type(), retryable, appErr.NextRetryDelay(), tc.typ, tc.retryable, tc.delay)
			}
		})
	}
	if activityError(readCall, nil) != nil {
		t.Error("nil error must stay nil")
	}
}

// A lost worker (the server's StartToClose or heartbeat timeout) and a
// panic may have sent the trigger: they are neither retried by the server
// nor taken as "not applied" by the workflow, even when an earlier attempt
// was rate limited.
func TestLostWorkerIsAnUnknownOutcome(t *testing.T) {
	policy := triggerPolicy().NonRetryableErrorTypes
	for _, typ := range []enumspb.TimeoutType{enumspb.TIMEOUT_TYPE_START_TO_CLOSE, enumspb.TIMEOUT_TYPE_HEARTBEAT} {
		if want := "TemporalTimeout:" + typ.String(); !slices.Contains(policy, want) {
			t.Errorf("the trigger's retry policy does not make %q non-retryable: %v", want, policy)
		}
	}
	if !slices.Contains(policy, panicErrorType) {
		t.Errorf("the trigger's retry policy retries panics: %v", policy)
	}
	earlier := activityError(triggerCall, &rivery.APIError{StatusCode: 429})
	if triggerNotApplied(temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_START_TO_CLOSE, earlier)) {
		t.Error("a StartToClose timeout after a 429 was taken as not applied")
	}
	if !triggerNotApplied(earlier) {
		t.Error("a 429 was taken as maybe applied")
	}
	if triggerNotApplied(errors.New("worker gone")) {
		t.Error("an unknown error was taken as not applied")
	}
}
