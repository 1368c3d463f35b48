package rivery

import "testing"

func TestGroupAggregate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		statuses []RunStatus
		want     RunStatus
	}{
		{[]RunStatus{StatusSucceeded, StatusSucceeded}, StatusSucceeded},
		{[]RunStatus{StatusSucceeded, StatusFailed}, StatusPartial},
		{[]RunStatus{StatusSucceeded, StatusCanceled}, StatusPartial},
		{[]RunStatus{StatusFailed, StatusCanceled}, StatusFailed},
		{[]RunStatus{StatusCanceled, StatusSkipped}, StatusCanceled},
		{[]RunStatus{StatusSkipped, StatusSkipped}, StatusSkipped},
		{[]RunStatus{StatusSkipped, StatusUnknown}, StatusFailed},
		{[]RunStatus{StatusSucceeded, StatusRunning, StatusPending}, StatusRunning},
		{[]RunStatus{StatusFailed, StatusPending}, StatusPending},
	} {
		g := &Run{Group: &RunGroup{}}
		for i, st := range tt.statuses {
			g.Group.Runs = append(g.Group.Runs, &Run{ID: string(rune('a' + i)), Status: st, Message: "m"})
		}
		g.aggregate()
		if g.Status != tt.want {
			t.Errorf("%v: %s, want %s", tt.statuses, g.Status, tt.want)
		}
		if g.Status == StatusSucceeded && g.Message != "" || g.Status == StatusPartial && g.Message == "" {
			t.Errorf("%v: message %q", tt.statuses, g.Message)
		}
	}
}
