package riverytest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// AddConnection fills in a name and type only where none is given.
func TestAddConnectionDefaults(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	blank := s.AddConnection(riverytest.Connection{})
	if blank.ID == "" || !strings.HasPrefix(blank.Name, "connection-") || blank.Type != "postgres" || blank.TypeName != "postgres" {
		t.Errorf("AddConnection({}) = %+v; want an ID, a connection-N name, type postgres", blank)
	}
	given := s.AddConnection(riverytest.Connection{Name: "warehouse", Type: "snowflake"})
	if given.Name != "warehouse" || given.Type != "snowflake" || given.TypeName != "snowflake" || given.ID == blank.ID {
		t.Errorf("AddConnection(named) = %+v; want the name and type kept, a new ID", given)
	}
}

// A river's definition reads back with its own metadata kept and the
// server's status added, with or without metadata of its own.
func TestDefinitionReadsBack(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	rivers := envPath(s) + "/rivers"
	for body, keep := range map[string]string{
		`{"name": "one", "type": "logic", "metadata": {"description": "kept"}}`: "kept",
		`{"name": "two", "type": "logic", "metadata": null}`:                    "",
	} {
		status, out := send(t, s, http.MethodPost, rivers, body)
		var created map[string]any
		if status != 201 || json.Unmarshal([]byte(out), &created) != nil {
			if keep == "" && status == 422 {
				continue // metadata is required: nothing to read back
			}
			t.Fatalf("POST %s: %d %s", body, status, out)
		}
		id, _ := created["cross_id"].(string)
		status, out = raw(t, s, s.AdminToken(), rivers+"/"+id)
		var got struct {
			CrossID  string         `json:"cross_id"`
			Metadata map[string]any `json:"metadata"`
		}
		if status != 200 || json.Unmarshal([]byte(out), &got) != nil || got.CrossID != id || got.Metadata["river_status"] != "active" {
			t.Fatalf("GET %s: %d %s", id, status, out)
		}
		if keep != "" && got.Metadata["description"] != keep {
			t.Errorf("GET %s: metadata %v; want description %q kept", id, got.Metadata, keep)
		}
	}
}

// Canceling one run, or one run group, leaves the other rivers' runs
// running.
func TestCancelHitsOnlyItsRuns(t *testing.T) {
	t.Parallel()
	const a, b = "63b724fc690def001131d2e1", "63b724fc690def001131d2e2"
	for _, byGroup := range []bool{false, true} {
		s := newServer(t,
			riverytest.WithRiver(riverytest.River{ID: a, Duration: time.Hour}),
			riverytest.WithRiver(riverytest.River{ID: b, Duration: time.Hour}),
		)
		c, ctx := s.ClientV1(), context.Background()
		ra, _, err := c.Rivers.Run(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		rb, _, err := c.Rivers.Run(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if byGroup {
			if ra.GroupID == "" {
				t.Fatalf("run %+v has no group", ra)
			}
			_, err = c.Rivers.CancelRunGroup(ctx, a, ra.GroupID)
		} else {
			_, err = c.Rivers.CancelRun(ctx, a, ra.ID)
		}
		if err != nil {
			t.Fatalf("cancel (group %v): %v", byGroup, err)
		}
		gotA, _, errA := c.Rivers.GetRun(ctx, a, ra.ID)
		gotB, _, errB := c.Rivers.GetRun(ctx, b, rb.ID)
		if errA != nil || errB != nil || gotA.Status != rivery.StatusCanceled || gotB.Status == rivery.StatusCanceled {
			t.Errorf("cancel (group %v): a %+v %v, b %+v %v; want a canceled, b not", byGroup, gotA, errA, gotB, errB)
		}
	}
}

// A console river names its type as the console does, and says whether it
// is a master river with sub-rivers.
func TestConsoleRiverTypeAndMaster(t *testing.T) {
	t.Parallel()
	const s2t, master = "63b724fc690def001131d2e3", "63b724fc690def001131d2e4"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: s2t, Type: "source_to_target"}),
		riverytest.WithRiver(riverytest.River{ID: master, Type: "logic", SubRivers: []riverytest.SubRiver{{ID: "64c1d2e3f4a5b6c7d8e9f4e1", Name: "x"}}}),
	)
	status, body := raw(t, s, s.AdminToken(), "/api/rivers")
	var items []struct {
		CrossID string `json:"cross_id"`
		Defs    struct {
			TypeID    string `json:"river_type_id"`
			Title     string `json:"river_type_title"`
			Master    bool   `json:"is_master_river"`
			SubRivers bool   `json:"subrivers_enabled"`
		} `json:"river_definitions"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &items) != nil || len(items) < 2 {
		t.Fatalf("GET /api/rivers: %d %s", status, body)
	}
	for _, it := range items {
		want, ok := map[string][4]any{s2t: {"src_to_trgt", "Source to Target", false, false}, master: {"logic", "logic", true, true}}[it.CrossID]
		if !ok {
			continue // newServer's own river
		}
		if got := [4]any{it.Defs.TypeID, it.Defs.Title, it.Defs.Master, it.Defs.SubRivers}; got != want {
			t.Errorf("river %s: %v; want %v", it.CrossID, got, want)
		}
	}
}

// With a JWT lifetime the exchanged token says when it expires (iat and
// exp); without one it does not.
func TestBoomiJWTClaims(t *testing.T) {
	t.Parallel()
	for lifetime, want := range map[time.Duration]bool{0: false, time.Hour: true} {
		s := newServer(t, riverytest.WithJWTExpiry(0, lifetime))
		cr := s.BoomiCredentials()
		code, jwt := exchange(t, s, cr.AccountID, cr.Username, cr.APIToken)
		parts := strings.Split(strings.TrimSpace(jwt), ".")
		if code != 200 || len(parts) != 3 {
			t.Fatalf("exchange: %d %q", code, jwt)
		}
		claims, err := base64.RawURLEncoding.DecodeString(parts[1])
		var c struct{ Iat, Exp int64 }
		if err != nil || json.Unmarshal(claims, &c) != nil {
			t.Fatalf("claims %q: %v", claims, err)
		}
		if got := c.Exp != 0; got != want || (want && c.Exp-c.Iat != 3600) {
			t.Errorf("lifetime %v: claims %s; want exp %v (an hour after iat)", lifetime, claims, want)
		}
	}
}
