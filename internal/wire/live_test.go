package wire

import (
	"encoding/json"
	"testing"
)

func TestConsoleRiversTakesArrayOrObject(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		`[{"cross_id":"a","river_definitions":{"river_name":"x"}}]`: 1,
		`{"cross_id":"a","river_definitions":{"river_name":"x"}}`:   1,
		`[]`:   0,
		`null`: 0,
	} {
		var rs ConsoleRivers
		if err := json.Unmarshal([]byte(in), &rs); err != nil || len(rs) != want {
			t.Errorf("%s: %d rivers, %v; want %d", in, len(rs), err, want)
			continue
		}
		if want == 1 && (rs[0].CrossID != "a" || rs[0].Definitions.Name != "x") {
			t.Errorf("%s: %+v", in, rs[0])
		}
	}
	for _, in := range []string{`"a"`, `5`, `[5]`} {
		var rs ConsoleRivers
		if err := json.Unmarshal([]byte(in), &rs); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func TestNamedRefTakesObjectOrID(t *testing.T) {
	t.Parallel()
	var d RiverDefinitions
	if err := json.Unmarshal([]byte(`{"group_id":{"_id":"g1","name":"Sales"},"source":{"name":"pg"},"target":null}`), &d); err != nil ||
		d.Group != (NamedRef{"g1", "Sales"}) || d.Source.Name != "pg" || d.Target != (NamedRef{}) {
		t.Errorf("objects: %+v, %v", d, err)
	}
	d = RiverDefinitions{}
	if err := json.Unmarshal([]byte(`{"group_id":"g2"}`), &d); err != nil || d.Group != (NamedRef{ID: "g2"}) {
		t.Errorf("bare ID: %+v, %v", d.Group, err)
	}
}

// The one-pass reading of a flat group object agrees with encoding/json
// wherever it answers.
func FuzzNamedRef(f *testing.F) {
	for _, s := range []string{`{"_id":"g1","name":"Sales"}`, `{ "name" : "pg" }`, `{}`, `{"_id":"g","n":1}`, `{"_id":"a\"b"}`,
		`{"name":"x",}`, `{"name":"x"}}`, `{"_id":"\u00e9"}`, "{\"name\":\"\xff\"}", `{"name":"x" "_id":"y"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := flatNamedRef([]byte(s))
		if !ok {
			return
		}
		type plain NamedRef
		var slow plain
		if err := json.Unmarshal([]byte(s), &slow); err != nil {
			t.Fatalf("%q: read as %+v, but encoding/json says %v", s, fast, err)
		}
		if fast != NamedRef(slow) {
			t.Errorf("%q: fast %+v, encoding/json %+v", s, fast, slow)
		}
	})
}

// A river_definitions that is not an object reads as none (the list is
// read a second time, leniently); an unreadable ID still fails.
func TestConsoleRiversLenientDefinitions(t *testing.T) {
	t.Parallel()
	var list ConsoleRiverList
	if err := json.Unmarshal([]byte(`[{"cross_id":"a","river_definitions":"x"},{"cross_id":"b","river_definitions":{"river_name":"n","is_scheduled":"True"}}]`), &list); err != nil ||
		len(list) != 2 || list[0].CrossID != "a" || list[0].Definitions != (RiverDefinitions{}) || list[1].Definitions.Name != "n" || !list[1].Definitions.IsScheduled {
		t.Errorf("list = %+v, %v", list, err)
	}
	var one ConsoleRivers
	if err := json.Unmarshal([]byte(`{"cross_id":"a","river_definitions":[1]}`), &one); err != nil || len(one) != 1 || one[0].CrossID != "a" {
		t.Errorf("one = %+v, %v", one, err)
	}
	if err := json.Unmarshal([]byte(`[{"cross_id":true,"river_definitions":"x"}]`), &list); err == nil {
		t.Errorf("a boolean cross_id read as %+v", list)
	}
	if err := json.Unmarshal([]byte(`[null, {"cross_id":"a"}]`), &one); err != nil || len(one) != 2 || one[0] != nil || one[1] == nil {
		t.Errorf("[null, river] = %+v, %v", one, err)
	}
}
