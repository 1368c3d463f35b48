package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/internal/drift"
)

// Every fixture under testdata (the SDK's own and testdata/shapes: the
// answers Boomi's reference, its tooling and Rivery's console fixtures
// document) is decoded through the public API by the call that meets it,
// and summarized as what the SDK acts on: IDs, statuses, messages, or the
// kind of error. The drift property then rewrites every non-essential
// field of each fixture in each form the live API has sent (see
// internal/drift) and asserts the summary does not change.

// fixtureCall is how one fixture is met: the answer's status and the call.
// envRoles is what Users.Permissions returns, for essential.
type envRoles map[string]string

type fixtureCall struct {
	file    string
	status  int
	console bool // a token-only client (console API); else v1
	call    func(ctx context.Context, c *rivery.Client) (any, error)
}

func fixtureCalls() []fixtureCall {
	win := rivery.Window{Start: time.Unix(1746500000, 0), End: time.Unix(1746600000, 0)}
	runsWin := &rivery.ListRunsOptions{StartTime: win.Start, EndTime: win.End}
	getRun := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.GetRun(ctx, riverID, runID))
	}
	trigger := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.Run(ctx, riverID)) }
	listRuns := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.ListRuns(ctx, riverID, runsWin))
	}
	riversList := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.List(ctx, nil)) }
	riverGet := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.Get(ctx, riverID)) }
	envs := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Environments.List(ctx, nil)) }
	env := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Environments.Get(ctx, envID)) }
	versions := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.VersionsPage(ctx, riverID, nil))
	}
	version := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.GetVersion(ctx, riverID, "67bb00000000000000000002"))
	}
	activate := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.Activate(ctx, riverID)) }
	waitOp := func(ctx context.Context, c *rivery.Client) (any, error) {
		return c.Rivers.WaitForOperation(ctx, &rivery.Operation{ID: "68aa00000000000000000001", Status: rivery.OperationRunning}, fastWait())
	}
	tasks := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.RunTasks(ctx, riverID, runID))
	}
	steps := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.LogicSteps(ctx, riverID, runID))
	}
	activities := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: win}))
	}
	statistics := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: win}))
	}
	runGroups := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.RunGroups(ctx, riverID, &rivery.WindowOptions{Window: win}))
	}
	runGroup := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.RunGroup(ctx, riverID, "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b"))
	}
	subRivers := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.SubRiverRuns(ctx, riverID, &rivery.WindowOptions{Window: win}))
	}
	targets := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Activities.Targets(ctx, riverID, &rivery.TargetsOptions{Window: win}))
	}
	riverVars := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.RiverVariables.List(ctx, riverID, nil))
	}
	envVars := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Variables.List(ctx)) }
	tokensList := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Tokens.List(ctx, nil)) }
	tokenGet := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Tokens.Get(ctx, "t1")) }
	tokenCreate := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "ci", Scopes: []rivery.Scope{rivery.ScopeRiverList}}))
	}
	connections := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Connections.List(ctx, nil)) }
	connection := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.Get(ctx, "64d1e2f3a4b5c6d7e8f90a1b"))
	}
	catalog := func(all func(ctx context.Context, c *rivery.Client) iter.Seq2[*rivery.CatalogType, error]) func(context.Context, *rivery.Client) (any, error) {
		return func(ctx context.Context, c *rivery.Client) (any, error) {
			var types []*rivery.CatalogType
			for t, err := range all(ctx, c) {
				if err != nil {
					return nil, err
				}
				types = append(types, t)
			}
			return types, nil
		}
	}
	connTypes := catalog(func(ctx context.Context, c *rivery.Client) iter.Seq2[*rivery.CatalogType, error] {
		return c.Connections.ConnectionTypes(ctx, nil)
	})
	sourceTypes := catalog(func(ctx context.Context, c *rivery.Client) iter.Seq2[*rivery.CatalogType, error] {
		return c.Connections.SourceTypes(ctx, nil)
	})
	targetTypes := catalog(func(ctx context.Context, c *rivery.Client) iter.Seq2[*rivery.CatalogType, error] {
		return c.Connections.TargetTypes(ctx, nil)
	})
	search := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.Search(ctx, nil)) }
	definition := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.GetDefinition(ctx, riverID))
	}
	runVars := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.RunVariables(ctx, riverID, runID))
	}
	stepLog := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.StepLog(ctx, riverID, runID, "f00dfeed00000000000000000000a001", nil))
	}
	me := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Me(ctx)) }
	scopes := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Tokens.Scopes(ctx)) }
	cancel := func(ctx context.Context, c *rivery.Client) (any, error) {
		_, err := c.Rivers.CancelRun(ctx, riverID, runID)
		return "canceled", err
	}
	logs := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Rivers.RunLogs(ctx, riverID, runID))
	}

	// Administration (issue #26).
	audit := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.AuditEvents.List(ctx, nil)) }
	connCreate := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.Create(ctx, &rivery.ConnectionRequest{Name: "orders", Type: "postgres"}))
	}
	connTables := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.Tables(ctx, "64d1e2f3a4b5c6d7e8f90a1b", nil))
	}
	connType := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.ConnectionType(ctx, "postgres"))
	}
	sections := func(ctx context.Context, c *rivery.Client) (any, error) {
		var out []*rivery.SourceSection
		for s, err := range c.Connections.SourceSections(ctx, nil) {
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	keyFile := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.UploadKeyFile(ctx, "postgres", "key.pem", []byte("not a key")))
	}
	pull := &rivery.PullRequest{ConnectionID: "64d1e2f3a4b5c6d7e8f90a1b", DatasourceID: "postgres"}
	startPull := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.StartPull(ctx, pull))
	}
	waitPull := func(ctx context.Context, c *rivery.Client) (any, error) {
		return c.Connections.WaitForPull(ctx, &rivery.Operation{ID: "6522aa0b8443681b071e7201", Status: rivery.OperationRunning}, fastWait())
	}
	groups := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Rivers.Groups(ctx, nil)) }
	// The reference's samples of Edit River (PUT) and of Cancel Running
	// Pull Request (202, an operation) meet the calls that send them too.
	replace := func(ctx context.Context, c *rivery.Client) (any, error) {
		def, err := rivery.ParseRiverDefinition([]byte(`{"name": "orders nightly", "type": "source_to_target"}`))
		if err != nil {
			return nil, err
		}
		return drop(c.Rivers.Replace(ctx, riverID, def))
	}
	cancelPull := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Connections.CancelPull(ctx, "68aa00000000000000000001"))
	}

	// CDC, dataframes, Logicode, teams and users (issue #29).
	cdcConfig := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.CDC.Config(ctx, riverID)) }
	cdcEnable := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.CDC.Enable(ctx, riverID)) }
	dataframes := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Dataframes.List(ctx, nil)) }
	logicodeFile := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Logicode.Get(ctx, "0e8c2d3f4a5b46c7d8e9f0a1b2c3d4e5"))
	}
	logicodeResources := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Logicode.Resources(ctx)) }
	teams := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Teams.List(ctx, nil)) }
	users := func(ctx context.Context, c *rivery.Client) (any, error) { return drop(c.Users.List(ctx, nil)) }
	user := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Users.Get(ctx, "5f887c764c40e5598f717676"))
	}
	permissions := func(ctx context.Context, c *rivery.Client) (any, error) {
		roles, _, err := c.Users.Permissions(ctx, "5f887c764c40e5598f717676")
		return envRoles(roles), err
	}
	invite := func(ctx context.Context, c *rivery.Client) (any, error) {
		return drop(c.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "ops@example.com", FirstName: "Ops", LastName: "Lead", SuperAdmin: true}))
	}

	calls := []fixtureCall{
		{"console_check_run.json", 200, true, getRun},
		{"console_check_run_canceled.json", 200, true, getRun},
		{"console_check_run_nostatus.json", 200, true, getRun},
		{"console_river_live.json", 200, true, riverGet},
		{"console_rivers.json", 200, true, riversList},
		{"console_rivers_live.json", 200, true, riversList},
		{"console_run.json", 200, true, trigger},
		{"error_route_not_found.json", 404, false, tokensList},
		{"error_validation.json", 422, false, listRuns},
		{"me.json", 200, true, me},
		{"me_live.json", 200, false, me},
		{"run_logs.csv", 200, false, logs},
		{"scopes.json", 200, false, scopes},
		{"token.json", 200, false, tokenGet},
		{"token_created.json", 201, false, tokenCreate},
		{"tokens_page1.json", 200, false, tokensList},
		{"tokens_page2.json", 200, false, tokensList},
		{"v1_activities_page1.json", 200, false, activities},
		{"v1_activities_page2.json", 200, false, activities},
		{"v1_activities_run_group.json", 200, false, runGroup},
		{"v1_activities_run_groups.json", 200, false, runGroups},
		{"v1_activities_statistics.json", 200, false, statistics},
		{"v1_activities_sub_rivers.json", 200, false, subRivers},
		{"v1_activities_targets.json", 200, false, targets},
		{"v1_connection.json", 200, false, connection},
		{"v1_connections_page1.json", 200, false, connections},
		{"v1_connections_page2.json", 200, false, connections},
		{"v1_connections_types.json", 200, false, connTypes},
		{"v1_data_source_types.json", 200, false, sourceTypes},
		{"v1_environment.json", 200, false, env},
		{"v1_environments_page.json", 200, false, envs},
		{"v1_logic_steps.json", 200, false, steps},
		{"v1_river_definition.json", 200, false, definition},
		{"v1_river_detail.json", 200, false, riverGet},
		{"v1_river_variables.json", 200, false, riverVars},
		{"v1_river_version.json", 200, false, version},
		{"v1_river_versions.json", 200, false, versions},
		{"v1_rivers_page.json", 200, false, riversList},
		{"v1_rivers_search.json", 200, false, search},
		{"v1_run.json", 200, false, getRun},
		{"v1_run_canceled.json", 200, false, getRun},
		{"v1_run_group.json", 202, false, trigger},
		{"v1_run_group_empty.json", 202, false, trigger},
		{"v1_run_group_multi.json", 202, false, trigger},
		{"v1_run_group_skipped.json", 202, false, trigger},
		{"v1_run_tasks.json", 200, false, tasks},
		{"v1_run_variables.json", 200, false, runVars},
		{"v1_runs_page.json", 200, false, listRuns},
		{"v1_runs_page1_of2.json", 200, false, listRuns},
		{"v1_runs_page2_of2.json", 200, false, listRuns},
		{"v1_step_logs.json", 200, false, stepLog},
		{"v1_target_types.json", 200, false, targetTypes},
		{"v1_variables.json", 200, false, envVars},

		{"v1_audit_events_page1.json", 200, false, audit},
		{"v1_audit_events_page2.json", 200, false, audit},
		{"v1_audit_events_token.json", 200, false, audit},
		{"v1_connection_created.json", 200, false, connCreate},
		{"v1_connection_tables_page1.json", 200, false, connTables},
		{"v1_connection_tables_page2.json", 200, false, connTables},
		{"v1_connection_type.json", 200, false, connType},
		{"v1_data_source_sections.json", 200, false, sections},
		{"v1_key_file.json", 200, false, keyFile},
		{"v1_operation_error.json", 200, false, waitPull},
		{"v1_pull_metadata_done.json", 200, false, waitPull},
		{"v1_pull_request.json", 200, false, startPull},
		{"v1_river_groups_page1.json", 200, false, groups},
		{"v1_river_groups_page2.json", 200, false, groups},

		{"v1_cdc_config.json", 200, false, cdcConfig},
		{"v1_operation_enable_cdc.json", 202, false, cdcEnable},
		{"v1_dataframes_page.json", 200, false, dataframes},
		{"v1_logicode_file.json", 200, false, logicodeFile},
		{"v1_logicode_resources.json", 200, false, logicodeResources},
		{"v1_teams_page.json", 200, false, teams},
		{"v1_users_page.json", 200, false, users},
		{"v1_user.json", 200, false, user},
		{"v1_user_permissions.json", 200, false, permissions},
		{"v1_user_privileged.json", 200, false, invite},

		{"shapes/bdi_error_401.json", 401, false, getRun},
		{"shapes/bdi_error_422.json", 422, false, listRuns},
		{"shapes/csrc_rivers_search.json", 200, false, search},
		{"shapes/fx_activities.json", 200, false, activities},
		{"shapes/fx_activities_empty.json", 200, false, activities},
		{"shapes/fx_activities_total.json", 200, false, activities},
		{"shapes/fx_cancel.json", 202, false, cancel},
		{"shapes/fx_data_source_types.json", 200, false, sourceTypes},
		{"shapes/fx_env_variables.json", 200, false, envVars},
		{"shapes/fx_environments.json", 200, false, envs},
		{"shapes/fx_environments_console.json", 200, false, envs},
		{"shapes/fx_logic_steps.json", 200, false, steps},
		{"shapes/fx_operation_disable.json", 202, false, activate},
		{"shapes/fx_operation_done.json", 200, false, waitOp},
		{"shapes/fx_operation_enable.json", 202, false, activate},
		{"shapes/fx_river_v1.json", 200, false, riverGet},
		{"shapes/fx_river_variables.json", 200, false, riverVars},
		{"shapes/fx_river_variables_page.json", 200, false, riverVars},
		{"shapes/fx_run_group.json", 200, false, runGroup},
		{"shapes/fx_run_groups.json", 200, false, runGroups},
		{"shapes/fx_run_running.json", 200, false, getRun},
		{"shapes/fx_run_sub_river.json", 200, false, getRun},
		{"shapes/fx_run_warning.json", 200, false, getRun},
		{"shapes/fx_runs.json", 200, false, listRuns},
		{"shapes/fx_statistics.json", 200, false, statistics},
		{"shapes/fx_sub_rivers.json", 200, false, subRivers},
		{"shapes/fx_target_types.json", 200, false, targetTypes},
		{"shapes/fx_tasks.json", 200, false, tasks},
		{"shapes/fx_tasks_failed_action.json", 200, false, tasks},
		{"shapes/fx_token_console.json", 200, false, tokenGet},
		{"shapes/fx_trigger.json", 200, false, trigger},
		{"shapes/fx_trigger_rate_limited.json", 201, false, trigger},
		{"shapes/fx_trigger_skipped.json", 201, false, trigger},
		{"shapes/fx_versions.json", 200, false, versions},
		{"shapes/fx_versions_invalid.json", 200, false, versions},
		{"shapes/legacy_check_run.json", 200, true, getRun},
		{"shapes/legacy_rivers_object.json", 200, true, riversList},
		{"shapes/legacy_run.json", 200, true, trigger},
		{"shapes/ref_connection_types.json", 200, false, connTypes},
		{"shapes/ref_connections.json", 200, false, connections},
		{"shapes/ref_environment.json", 200, false, env},
		{"shapes/ref_environments.json", 200, false, envs},
		{"shapes/ref_error_422.json", 422, false, connections},
		{"shapes/ref_operation.json", 200, false, waitOp},
		{"shapes/ref_operation.json", 202, false, cancelPull},
		{"shapes/ref_river_edit.json", 200, false, riverGet},
		{"shapes/ref_river_edit.json", 200, false, replace},
		{"shapes/ref_versions.json", 200, false, versions},
	}
	return calls
}

// drop leaves out a call's *Response.
func drop[T any](v T, _ *rivery.Response, err error) (any, error) { return v, err }

// errFP summarizes an error by what a caller acts on: the status and
// message of an *APIError, the sentinels and MaybeApplied of a
// *RequestError.
func errFP(err error) string {
	var apiErr *rivery.APIError
	if errors.As(err, &apiErr) {
		return fmt.Sprintf("api %d %q", apiErr.StatusCode, apiErr.Message)
	}
	var reqErr *rivery.RequestError
	if errors.As(err, &reqErr) {
		return fmt.Sprintf("request: no run %t, rate limited %t, maybe applied %t", errors.Is(err, rivery.ErrNoRunStarted),
			errors.Is(err, rivery.ErrRateLimited), rivery.MaybeApplied(err))
	}
	return "other: " + err.Error()
}

// essential summarizes a result by the fields the SDK acts on (IDs,
// statuses, messages, values), item by item for a list.
func essential(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		out := make([]string, rv.Len())
		for i := range out {
			out[i] = essential(rv.Index(i).Interface())
		}
		return "[" + strings.Join(out, ";") + "]"
	}
	switch x := v.(type) {
	case *rivery.Run:
		n := 0
		if x.Group != nil {
			n = len(x.Group.Runs)
		}
		return fmt.Sprintf("%s|%s|%s|%s|%s|%q|%s|%d", x.ID, x.GroupID, x.RiverID, x.Status, x.RawStatus, x.Message, x.InFlightRunID, n)
	case *rivery.River:
		return x.ID
	case *rivery.Environment:
		return x.ID
	case *rivery.RiverVersionsPage:
		return essential(x.Versions)
	case *rivery.RiverVersion:
		return x.ID
	case *rivery.Operation:
		return x.ID + "|" + string(x.Status)
	case *rivery.RunRecord:
		return x.RunID + "|" + x.TaskID + "|" + x.SubRiverID + "|" + x.RawStatus
	case *rivery.LogicStep:
		return x.ID + "|" + x.RawStatus
	case *rivery.Activity:
		return x.RiverID
	case *rivery.RunGroupActivity:
		return x.ID + "|" + x.RawStatus
	case *rivery.RiverVariable:
		return fmt.Sprintf("%s=%v", x.Name, x.Value)
	case map[string]string:
		return fmt.Sprint(x)
	case *rivery.Token:
		return x.ID + "|" + x.Value
	case *rivery.Connection:
		return x.ID
	case *rivery.CatalogType:
		return x.ID
	case *rivery.RiverDefinition:
		return x.ID() + "|" + x.Name()
	case rivery.RunVariable:
		return x.Name
	case *rivery.StepLog:
		return x.URL
	case *rivery.Identity:
		return x.AccountID + "|" + x.EnvironmentID
	case rivery.ScopeInfo:
		return string(x.Name)
	case rivery.LogEntry:
		return x.Level + " " + x.Message
	case *rivery.AuditEvent:
		return x.ID
	case *rivery.ConnectionTable:
		return x.Name
	case *rivery.ConnectionType:
		return x.Type
	case *rivery.SourceSection:
		return x.ID
	case *rivery.KeyFile:
		return x.Path
	case *rivery.RiverGroup:
		return x.ID
	case *rivery.CDCConfig:
		return x.DatasourceType
	case *rivery.Dataframe:
		return x.Name
	case *rivery.LogicodeFile:
		return x.ID
	case envRoles: // the environments a user has a role in; a role itself may drift
		return fmt.Sprint(slices.Sorted(maps.Keys(x)))
	case rivery.LogicodeResource:
		return x.ID
	case *rivery.Team:
		return x.ID
	case *rivery.User:
		return x.ID
	case *rivery.Statistics, string:
		return "ok"
	}
	return fmt.Sprintf("unknown %T", v)
}

// everything dumps a result's exported typed fields (not the raw JSON some
// keep), times to the second: what a form that only changes how a value
// is written must leave as it was.
func everything(v reflect.Value) string {
	if v.IsValid() && v.Type() == reflect.TypeOf(json.RawMessage(nil)) {
		var b bytes.Buffer // raw JSON passed on: its spacing is not a value
		if json.Compact(&b, v.Bytes()) == nil {
			return b.String()
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "nil"
		}
		return everything(v.Elem())
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return t.UTC().Truncate(time.Second).Format(time.RFC3339)
		}
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type == reflect.TypeOf(json.RawMessage(nil)) {
				continue
			}
			fmt.Fprintf(&b, "%s:%s ", f.Name, everything(v.Field(i)))
		}
		return b.String() + "}"
	case reflect.Slice, reflect.Array:
		out := make([]string, v.Len())
		for i := range out {
			out[i] = everything(v.Index(i))
		}
		return "[" + strings.Join(out, " ") + "]"
	case reflect.Map:
		keys := v.MapKeys()
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = fmt.Sprint(k.Interface()) + "=" + everything(v.MapIndex(k))
		}
		sort.Strings(out)
		return "map[" + strings.Join(out, " ") + "]"
	}
	return fmt.Sprint(v.Interface())
}

// firstAnswer answers the first request with a fixture and every later
// one (a next page, a second poll) with an empty last page.
type firstAnswer struct {
	mu     sync.Mutex
	n      int
	status int
	body   []byte
}

func (a *firstAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	a.mu.Lock()
	a.n++
	status, body := a.status, string(a.body)
	if a.n > 1 {
		status, body = 200, `{"items": [], "next_page": null}`
	}
	a.mu.Unlock()
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
}

// fixtureOutcome is what a call made of a fixture: the essential fields (or the
// kind of error), and every typed field.
type fixtureOutcome struct {
	essential, all string
	err            error
}

// decodeFixture meets body through fc's call.
func decodeFixture(t testing.TB, fc fixtureCall, body []byte) fixtureOutcome {
	t.Helper()
	opts := []rivery.Option{rivery.WithHTTPClient(&http.Client{Transport: &firstAnswer{status: fc.status, body: body}}), rivery.WithoutRetries()}
	if !fc.console {
		opts = append(opts, v1()...)
	}
	c, err := rivery.NewClient(testToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, err := fc.call(ctx, c)
	if err != nil {
		return fixtureOutcome{errFP(err), errFP(err), err}
	}
	return fixtureOutcome{essential(v), everything(reflect.ValueOf(v)), nil}
}

// wantsError is whether a fixture's call errs by design: an error answer,
// or a trigger that names no run.
func wantsError(fc fixtureCall) bool {
	return fc.status >= 400 || strings.Contains(fc.file, "group_empty") || strings.Contains(fc.file, "rate_limited") ||
		strings.Contains(fc.file, "operation_error")
}

func TestEveryFixtureDecodesThroughThePublicAPI(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, fc := range fixtureCalls() {
		covered[fc.file] = true
		got := decodeFixture(t, fc, []byte(fixture(t, fc.file)))
		if (got.err != nil) != wantsError(fc) || strings.Contains(got.essential, "unknown") {
			t.Errorf("%s: %s, %v", fc.file, got.essential, got.err)
		}
	}
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "fuzz":
			return filepath.SkipDir
		case d.IsDir():
			return nil
		}
		name := filepath.ToSlash(strings.TrimPrefix(path, "testdata"+string(filepath.Separator)))
		if !covered[name] {
			t.Errorf("fixture %s is decoded by no call: add it to fixtureCalls", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// valueForms change only how a value is written: the SDK must read the
// same values from them (times to the second).
var valueForms = map[drift.Form]bool{
	drift.PythonBools: true, drift.DigitBools: true, drift.StringBools: true, drift.NumberStrings: true, drift.ZonelessTimes: true,
	drift.SpaceTimes: true, drift.EpochSeconds: true, drift.EpochMillis: true, drift.MongoDates: true, drift.MongoIDs: true,
}

// checkDrift compares what a drifted fixture gave with the fixture's own
// fixtureOutcome: the same essential fields always, and every typed field the
// same after a form in valueForms.
func checkDrift(t *testing.T, fc fixtureCall, want, got fixtureOutcome, sameValues bool, how string, drifted []byte) {
	t.Helper()
	switch {
	case got.essential != want.essential || (got.err != nil) != (want.err != nil):
		t.Errorf("%s with %s:\n got %s (%v)\nwant %s (%v)\n%s", fc.file, how, got.essential, got.err, want.essential, want.err, drifted)
	case sameValues && got.all != want.all:
		t.Errorf("%s with %s read other values:\n got %s\nwant %s\n%s", fc.file, how, got.all, want.all, drifted)
	}
}

// The drift property: every form of every non-essential field, in every
// fixture, gives the call the same fixtureOutcome and the same essential fields;
// a form that only changes how values are written gives the same values.
func TestDriftedFixturesDecodeTheSame(t *testing.T) {
	t.Parallel()
	for _, fc := range fixtureCalls() {
		if !strings.HasSuffix(fc.file, ".json") {
			continue
		}
		body := []byte(fixture(t, fc.file))
		want := decodeFixture(t, fc, body)
		for _, f := range drift.Forms() {
			drifted, err := drift.Rewrite(body, f)
			if err != nil {
				t.Fatalf("%s: %v", fc.file, err)
			}
			checkDrift(t, fc, want, decodeFixture(t, fc, drifted), valueForms[f], f.String(), drifted)
		}
	}
}

// FuzzDriftedFixtures mixes the forms field by field: the fuzzer picks the
// fixture and each field's form.
func FuzzDriftedFixtures(f *testing.F) {
	calls := fixtureCalls()
	for i := range calls {
		for _, form := range drift.Forms() {
			f.Add(uint16(i), []byte{byte(form), byte(form) + 1, byte(form) * 3})
		}
	}
	bodies := make([][]byte, len(calls))
	for i, fc := range calls {
		b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(fc.file)))
		if err != nil {
			f.Fatal(err)
		}
		bodies[i] = b
	}
	forms := drift.Forms()
	f.Fuzz(func(t *testing.T, i uint16, seed []byte) {
		n := int(i) % len(calls)
		fc := calls[n]
		if !strings.HasSuffix(fc.file, ".json") || len(seed) == 0 {
			return
		}
		sameValues := true
		drifted, err := drift.RewriteEach(bodies[n], func(k int) drift.Form {
			form := forms[int(seed[k%len(seed)])%len(forms)]
			sameValues = sameValues && valueForms[form]
			return form
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDrift(t, fc, decodeFixture(t, fc, bodies[n]), decodeFixture(t, fc, drifted), sameValues, fmt.Sprintf("forms %v", seed), drifted)
	})
}
