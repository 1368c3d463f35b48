package drift

import (
	"bytes"
	"encoding/json"
	"testing"
)

const doc = `{"items": [{"run_id": "r1", "status": "running", "is_scheduled": true, "units": 1.5,
	"start_date_utc": "2025-05-06T07:08:09.101112Z", "group_id": "g1", "river_name": "orders",
	"metadata": {"is_enabled": false}, "message": "kept as is", "value": ["a", true]}],
	"next_page": null, "page": 2}`

func rewrite(t *testing.T, f Form) map[string]any {
	t.Helper()
	out, err := Rewrite([]byte(doc), f)
	if err != nil {
		t.Fatalf("%v: %v", f, err)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%v: %s is not JSON: %v", f, out, err)
	}
	return v
}

func item(v map[string]any) map[string]any { return v["items"].([]any)[0].(map[string]any) }

// Each form rewrites what it names and keeps what the SDK acts on.
func TestRewriteForms(t *testing.T) {
	t.Parallel()
	for f, want := range map[Form]map[string]any{
		PythonBools:   {"is_scheduled": "True"},
		DigitBools:    {"is_scheduled": float64(1)},
		StringBools:   {"is_scheduled": "1"},
		NumberStrings: {"units": "1.5"},
		ZonelessTimes: {"start_date_utc": "2025-05-06T07:08:09.101112"},
		SpaceTimes:    {"start_date_utc": "2025-05-06 07:08:09.101112"},
		EpochSeconds:  {"start_date_utc": "1746515289"},
		EpochMillis:   {"start_date_utc": float64(1746515289101)},
		Nulls:         {"is_scheduled": nil, "units": nil, "river_name": nil},
		WrongTypes:    {"river_name": true, "metadata": "drifted"},
	} {
		v := rewrite(t, f)
		it := item(v)
		for k, w := range want {
			if got := it[k]; !equal(got, w) {
				t.Errorf("%v: %s = %#v, want %#v", f, k, got, w)
			}
		}
		if it["run_id"] != "r1" || it["status"] != "running" || it["message"] != "kept as is" || v["next_page"] != nil {
			t.Errorf("%v changed an essential field: %v", f, v)
		}
		if val := it["value"].([]any); val[0] != "a" || val[1] != true {
			t.Errorf("%v changed a value kept whole: %v", f, val)
		}
	}
	v := rewrite(t, MongoIDs)
	if it := item(v); !equal(it["run_id"], map[string]any{"$oid": "r1"}) || !equal(it["group_id"], map[string]any{"$oid": "g1"}) {
		t.Errorf("MongoIDs: %v", it)
	}
	v = rewrite(t, MongoDates)
	if it := item(v); !equal(it["start_date_utc"], map[string]any{"$date": float64(1746515289101)}) {
		t.Errorf("MongoDates: %v", it)
	}
}

// Object keys keep their order (logic steps are keyed by name, in order).
func TestRewriteKeepsKeyOrder(t *testing.T) {
	t.Parallel()
	out, err := Rewrite([]byte(`{"steps": {"z": {"step_id": "1"}, "a": {"step_id": "2"}}}`), PythonBools)
	if err != nil || bytes.Index(out, []byte(`"z"`)) > bytes.Index(out, []byte(`"a"`)) {
		t.Errorf("%s, %v", out, err)
	}
	if _, err := Rewrite([]byte(`{} {}`), Nulls); err == nil {
		t.Error("two documents rewritten")
	}
}

func equal(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
