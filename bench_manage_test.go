package rivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// BenchmarkRiverVariablesSet45 is one Set on a river with 45 variables on
// riverytest: three pages read twice, and one PUT of 46.
func BenchmarkRiverVariablesSet45(b *testing.B) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	seed := make([]riverytest.RiverVariable, 45)
	for i := range seed {
		seed[i] = riverytest.RiverVariable{Name: fmt.Sprintf("v%02d", i), Value: "x"}
	}
	c := srv.ClientV1()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		srv.SetRiverVariables(riverID, seed...)
		if _, err := c.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "v03", Value: fmt.Sprint(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConnectionJSON is encoding/json of a Connection: the redaction
// walk over its raw fields.
func BenchmarkConnectionJSON(b *testing.B) {
	var conn rivery.Connection
	raw := []byte(`{"cross_id": "66a1b2c3d4e5f60718293a4b", "connection_name": "Orders Postgres", "connection_type": "postgres", "host": "db", "port": 5432, "password": "enc", "ssh_options": {"ssh_private_key": "k", "use_ssh": true}, "extra_params": [{"name": "api_token", "value": "t"}]}`)
	if err := json.Unmarshal(raw, &conn); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(conn); err != nil {
			b.Fatal(err)
		}
	}
}
