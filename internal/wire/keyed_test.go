package wire

import "testing"

// An item is keyed when any of its identifying fields is set.
func TestKeyed(t *testing.T) {
	t.Parallel()
	for i, r := range []River{{RiverCrossID: "a"}, {CrossID: "a"}, {RiverID: "a"}, {Name: "a"}} {
		if !r.Keyed() {
			t.Errorf("river %d %+v: not keyed", i, r)
		}
	}
	if r := (River{Description: "d", Kind: "k"}); r.Keyed() {
		t.Errorf("river %+v without IDs or name: keyed", r)
	}
	if !(&Run{RunID: "r"}).Keyed() || (&Run{Status: "failed"}).Keyed() {
		t.Error("a run is keyed by its ID alone")
	}
}
