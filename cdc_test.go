package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// The CDC calls send exactly what Boomi's tooling sends (bdi-cdc.sh):
// method, path, no query, and {} or {"config": {...}}.
func TestCDCExactRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := v1Env + "/rivers/" + riverID
	cfg := &rivery.CDCConfig{DatasourceType: "mysql", Offset: map[string]any{"binlog_file": "mysql-bin.000417", "binlog_position": json.Number("3398")}}
	for _, tt := range []struct {
		name, method, path, body, answer string
		status                           int
		do                               func(c *rivery.Client) error
	}{
		{"Config", http.MethodGet, "/cdc_config", "", fixture(t, "v1_cdc_config.json"), 200, func(c *rivery.Client) error {
			_, _, err := c.CDC.Config(ctx, riverID)
			return err
		}},
		{"SetConfig", http.MethodPost, "/cdc_config", `{"config": {"datasource_type": "mysql", "binlog_file": "mysql-bin.000417", "binlog_position": 3398}}`, "null", 200, func(c *rivery.Client) error {
			_, err := c.CDC.SetConfig(ctx, riverID, cfg)
			return err
		}},
		{"DeleteConfig", http.MethodDelete, "/cdc_config", "", "null", 200, func(c *rivery.Client) error {
			_, err := c.CDC.DeleteConfig(ctx, riverID)
			return err
		}},
		{"Enable", http.MethodPost, "/enable_cdc", `{}`, fixture(t, "v1_operation_enable_cdc.json"), 202, func(c *rivery.Client) error {
			_, _, err := c.CDC.Enable(ctx, riverID)
			return err
		}},
		{"Disable", http.MethodPost, "/disable_cdc", `{}`, "", 204, func(c *rivery.Client) error {
			_, _, err := c.CDC.Disable(ctx, riverID)
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			mock.RegisterResponder(tt.method, base+tt.path, rec.reply(tt.status, tt.answer))
			if err := tt.do(c); err != nil {
				t.Fatal(err)
			}
			req := rec.only(t)
			if req.Method != tt.method || req.URL != base+tt.path {
				t.Errorf("sent %s %s, want %s %s", req.Method, req.URL, tt.method, base+tt.path)
			}
			checkHeaders(t, req, tt.body != "")
			if tt.body == "" {
				if len(req.Body) != 0 {
					t.Errorf("body %q sent", req.Body)
				}
				return
			}
			checkJSON(t, req.Body, tt.body)
		})
	}
}

// The config decodes from the shape bdi shows ({"config": {...}}) and
// from the bare inner object Rivery's Terraform provider accepts; the
// offset's fields are kept as they came and go back unchanged.
func TestCDCConfigDecodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, answer := range []string{fixture(t, "v1_cdc_config.json"), `{"datasource_type": "mysql", "last_updated": "2025-03-04T05:06:07.123456", "binlog_file": "mysql-bin.000417", "binlog_position": "3398", "gtid": "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77"}`} {
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/cdc_config", rec.reply(200, answer))
		mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/cdc_config", rec.reply(200, "null"))
		cfg, _, err := c.CDC.Config(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DatasourceType != "mysql" || !cfg.LastUpdated.Equal(time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)) ||
			cfg.Offset["binlog_file"] != "mysql-bin.000417" || cfg.Offset["binlog_position"] != "3398" || len(cfg.Offset) != 3 || len(cfg.Raw) == 0 {
			t.Errorf("config = %+v", cfg)
		}
		if _, err := c.CDC.SetConfig(ctx, riverID, cfg); err != nil {
			t.Fatal(err)
		}
		checkJSON(t, rec.all()[1].Body, `{"config": {"datasource_type": "mysql", "binlog_file": "mysql-bin.000417", "binlog_position": "3398", "gtid": "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77"}}`)
	}
}

// Enable: a 202 is an operation to follow, a 204 is done, a 202 with
// nothing to follow is an error; the POST is not sent twice once it may
// have reached the server, while SetConfig (an overwrite) is retried.
func TestCDCEnableAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := v1Env + "/rivers/" + riverID + "/enable_cdc"

	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, u, (&recorder{}).reply(202, fixture(t, "v1_operation_enable_cdc.json")))
	op, _, err := c.CDC.Enable(ctx, riverID)
	if err != nil || op.ID != "67aa00000000000000000c01" || op.Status != rivery.OperationWaiting || op.Type != "enable" {
		t.Errorf("202: %+v, %v", op, err)
	}

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, u, (&recorder{}).reply(204, ""))
	op, _, err = c.CDC.Enable(ctx, riverID)
	if err != nil || op.Status != rivery.OperationDone || op.ID != "" {
		t.Errorf("204: %+v, %v", op, err)
	}

	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, u, (&recorder{}).reply(202, ""))
	if op, _, err = c.CDC.Enable(ctx, riverID); err == nil || op != nil || !rivery.MaybeApplied(err) {
		t.Errorf("202 without an operation: %+v, %v", op, err)
	}

	c, mock = setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, u, rec.reply(502, `{"detail": "Bad Gateway"}`))
	if _, _, err = c.CDC.Enable(ctx, riverID); !errors.Is(err, rivery.ErrServer) || len(rec.all()) != 1 || !rivery.MaybeApplied(err) {
		t.Errorf("502: %v after %d requests, want one and MaybeApplied", err, len(rec.all()))
	}

	c, mock = setup(t, v1()...)
	rec = recorder{}
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/cdc_config", sequence(rec.reply(502, `{"detail": "Bad Gateway"}`), rec.reply(200, "null")))
	if _, err = c.CDC.SetConfig(ctx, riverID, &rivery.CDCConfig{DatasourceType: "postgres"}); err != nil || len(rec.all()) != 2 {
		t.Errorf("SetConfig after a 502: %v after %d requests, want success after 2", err, len(rec.all()))
	}
}

// A config read while the log is off is the server's 400, with its
// message; bad arguments send nothing.
func TestCDCErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/cdc_config",
		(&recorder{}).reply(400, `{"detail": "Enable log is off for data flow cross id: `+riverID+`"}`))
	if _, _, err := c.CDC.Config(ctx, riverID); !errors.Is(err, rivery.ErrBadRequest) || asAPIError(t, err).Message != "Enable log is off for data flow cross id: "+riverID {
		t.Errorf("err = %v", err)
	}
	for name, do := range map[string]func() error{
		"Config":    func() error { _, _, err := c.CDC.Config(ctx, "a/b"); return err },
		"SetConfig": func() error { _, err := c.CDC.SetConfig(ctx, riverID, &rivery.CDCConfig{}); return err },
		"SetConfig id": func() error {
			_, err := c.CDC.SetConfig(ctx, "", &rivery.CDCConfig{DatasourceType: "mysql"})
			return err
		},
		"SetConfig nil": func() error {
			_, err := c.CDC.SetConfig(ctx, riverID, nil)
			return err
		},
		"DeleteConfig": func() error { _, err := c.CDC.DeleteConfig(ctx, ".."); return err },
		"Enable":       func() error { _, _, err := c.CDC.Enable(ctx, "x y"); return err },
		"Disable":      func() error { _, _, err := c.CDC.Disable(ctx, ""); return err },
	} {
		if err := do(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

// Through riverytest: enable (an operation, waited for), read the 400
// before any position, set, read, delete, disable.
func TestCDCOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders cdc"}))
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()

	if _, _, err := c.CDC.Config(ctx, riverID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Fatalf("config with the log off: %v", err)
	}
	op, _, err := c.CDC.Enable(ctx, riverID)
	if err != nil || op.Status.Done() {
		t.Fatalf("enable: %+v, %v", op, err)
	}
	if op, err = c.Rivers.WaitForOperation(ctx, op, nil); err != nil || !srv.CDCState(riverID).Enabled || op.Result == "" {
		t.Fatalf("wait: %+v, %v", op, err)
	}
	if op, _, err = c.CDC.Enable(ctx, riverID); err != nil || op.Status != rivery.OperationDone {
		t.Errorf("enable again (204): %+v, %v", op, err)
	}
	if _, _, err := c.CDC.Config(ctx, riverID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("config before any change: %v", err)
	}
	set := &rivery.CDCConfig{DatasourceType: "mssql", Offset: map[string]any{"lsn_offset_sql_server": "0x0000002A000007C70004"}}
	if _, err := c.CDC.SetConfig(ctx, riverID, set); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.CDC.Config(ctx, riverID)
	if err != nil || got.DatasourceType != "mssql" || got.Offset["lsn_offset_sql_server"] != "0x0000002A000007C70004" || got.LastUpdated.IsZero() {
		t.Fatalf("config: %+v, %v", got, err)
	}
	if _, err := c.CDC.DeleteConfig(ctx, riverID); err != nil || srv.CDCState(riverID).Config != nil {
		t.Fatalf("delete: %v", err)
	}
	op, _, err = c.CDC.Disable(ctx, riverID)
	if err == nil {
		_, err = c.Rivers.WaitForOperation(ctx, op, nil)
	}
	if err != nil || srv.CDCState(riverID).Enabled {
		t.Fatalf("disable: %v", err)
	}
	reqs := srv.RequestsTo(riverytest.RouteEnableCDC)
	if len(reqs) != 2 || string(reqs[0].Body) != "{}" {
		t.Errorf("enable requests: %+v", reqs)
	}
	var body map[string]any
	_ = json.Unmarshal(srv.RequestsTo(riverytest.RouteSetCDCConfig)[0].Body, &body)
	if _, ok := body["config"].(map[string]any); !ok {
		t.Errorf("set body: %v", body)
	}
}
