package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// The example prints, as the stdout exporter's JSON, every span of the
// trigger-and-wait on the fake: the wait, the trigger (answered 429, then
// retried), the status calls (the first answered 503, then retried), and
// their attempts.
func TestRun(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	type span struct {
		Name       string
		Attributes []struct {
			Key   string
			Value struct{ Value any }
		}
	}
	var names []string
	statuses := map[string]int{}
	dec := json.NewDecoder(&stdout)
	for {
		var s span
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, s.Name)
		for _, a := range s.Attributes {
			if a.Key == "error.type" {
				statuses[s.Name+" "+a.Value.Value.(string)]++
			}
		}
	}
	if len(names) == 0 || names[len(names)-1] != "rivery.RunAndWait" {
		t.Fatalf("spans: %q", names)
	}
	trigger := "POST /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/run"
	status := "GET /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/runs/{run_id}"
	if n := strings.Count(strings.Join(names, "\n"), trigger); n != 3 || !slices.Contains(names, status) {
		t.Errorf("spans: %q", names)
	}
	if statuses[trigger+" 429"] != 1 || statuses[status+" 503"] != 1 {
		t.Errorf("errors recorded: %v", statuses)
	}
	if !strings.Contains(stderr.String(), "succeeded") {
		t.Errorf("stderr: %s", stderr.String())
	}
}
