package rivery

import "testing"

// joinURL builds a URL in one allocation when no segment needs escaping:
// its length estimate is exact.
func TestJoinURLOneAllocation(t *testing.T) {
	fixed := []string{"https://api.rivery.io", pathAccounts, "acc", pathEnvs, "env"}
	segments := []string{"rivers", "63b724fc690def001131d242", "runs", "r-1_~."}
	var got string
	allocs := testing.AllocsPerRun(100, func() { got = joinURL(fixed, segments) })
	if want := "https://api.rivery.io/v1/accounts/acc/environments/env/rivers/63b724fc690def001131d242/runs/r-1_~."; got != want {
		t.Errorf("joinURL = %q, want %q", got, want)
	}
	if allocs != 1 {
		t.Errorf("joinURL made %v allocations, want 1", allocs)
	}
}
