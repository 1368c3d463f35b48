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
		if want == 1 && (rs[0].CrossID != "a" || rs[0].Definitions.V.Name != "x") {
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
