package riveryotel_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Seeded secrets: a connection's password, variables' values.
const (
	connSecret  = "conn-pw-Q7x9Zk2"
	varSecret   = "var-secret-M4p8Wd"
	riverSecret = "rvar-secret-T3n6Hy"
	keySecret   = "key-file-secret-P2w7Lc"
	logicRiver  = "63b724fc690def001131d2aa"
	masterRiver = "63b724fc690def001131d2bb"
	subRiverA   = "63b724fc690def001131d2b1"
	subRiverB   = "63b724fc690def001131d2b2"
	otherEnv    = "64b0c0ffee000000000e0002"
	// Dataframes, Logicode, teams: a dataframe's settings are secret, and
	// so is a Logicode file's code.
	dataframe      = "daily_orders"
	dfConnection   = "66c0ffee00000000000c0042"
	dfBucket       = "acme-landing-zone-S5k1"
	logicodeSecret = "API_KEY = 'lc-secret-R2d7Vq'\n"
	teamID         = "7e0000000000000000000077"
)

// world is what the calls of TestNoSecretsInTelemetry share.
type world struct {
	srv                  *riverytest.Server
	v1, console, boomi   *rivery.Client
	run, logicRun, group *rivery.Run
	steps                []*rivery.LogicStep
	stepLog              *rivery.StepLog
	created              *rivery.Token
	op                   *rivery.Operation
	versionID            string
	window               rivery.Window
	// The administration calls'.
	scratchEnv, connID, eventID string
	pull                        *rivery.Operation
	// The platform calls'.
	files   []rivery.PresignedURL
	file    *rivery.LogicodeFile
	fileURL rivery.PresignedURL
	user    *rivery.User
}

// secretCall is one call type: a service method (Service.Method, as the
// Client field and method are named) driven on the fake.
type secretCall struct {
	name string
	do   func(ctx context.Context, w *world) error
}

func drain[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func secretCalls() []secretCall {
	listRuns := func(w *world) *rivery.ListRunsOptions {
		return &rivery.ListRunsOptions{StartTime: w.window.Start, EndTime: w.window.End, ListOptions: rivery.ListOptions{PerPage: 1}}
	}
	calls := []secretCall{
		{"Client.Me", func(ctx context.Context, w *world) error { _, _, err := w.console.Me(ctx); return err }},
		{"Rivers.Run", func(ctx context.Context, w *world) error {
			_, _, err := w.console.Rivers.Run(ctx, riverID)
			if err == nil {
				w.run, _, err = w.v1.Rivers.Run(ctx, riverID)
			}
			return err
		}},
		{"Rivers.GetRun", func(ctx context.Context, w *world) error {
			if _, _, err := w.console.Rivers.GetRun(ctx, riverID, w.run.ID); err != nil {
				return err
			}
			_, _, err := w.v1.Rivers.GetRun(ctx, riverID, w.run.ID)
			return err
		}},
		{"Rivers.WaitForRun", func(ctx context.Context, w *world) error {
			_, err := w.v1.Rivers.WaitForRun(ctx, riverID, w.run.ID, nil)
			return err
		}},
		{"Rivers.CheckRuns", func(ctx context.Context, w *world) error {
			for _, c := range []*rivery.Client{w.v1, w.console} {
				r, _, err := c.Rivers.Run(ctx, riverID)
				if err != nil {
					return err
				}
				runs, check := []*rivery.Run{r}, (*rivery.RunsCheck)(nil)
				for !runs[0].Status.Terminal() {
					if runs, check, err = c.Rivers.CheckRuns(ctx, runs, check); err != nil {
						return err
					}
				}
			}
			return nil
		}},
		{"Rivers.RunAndWait", func(ctx context.Context, w *world) error {
			if _, err := w.console.Rivers.RunAndWait(ctx, riverID, nil); err != nil {
				return err
			}
			var err error
			w.logicRun, err = w.boomi.Rivers.RunAndWait(ctx, logicRiver, nil)
			return err
		}},
		{"Rivers.RunSubRiver", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.RunSubRiver(ctx, masterRiver, subRiverA)
			return err
		}},
		{"Rivers.WaitForGroup", func(ctx context.Context, w *world) error {
			g, _, err := w.v1.Rivers.Run(ctx, masterRiver)
			if err != nil {
				return err
			}
			w.group, err = w.v1.Rivers.WaitForGroup(ctx, g, nil)
			return err
		}},
		{"Rivers.CancelRun", func(ctx context.Context, w *world) error {
			r, _, err := w.v1.Rivers.Run(ctx, riverID)
			if err != nil {
				return err
			}
			if _, err := w.v1.Rivers.CancelRun(ctx, riverID, r.ID); err != nil {
				return err
			}
			r, _, err = w.console.Rivers.Run(ctx, riverID)
			if err != nil {
				return err
			}
			_, err = w.console.Rivers.CancelRun(ctx, riverID, r.ID)
			return err
		}},
		{"Rivers.CancelRunGroup", func(ctx context.Context, w *world) error {
			g, _, err := w.v1.Rivers.Run(ctx, masterRiver)
			if err != nil {
				return err
			}
			_, err = w.v1.Rivers.CancelRunGroup(ctx, masterRiver, g.GroupID)
			return err
		}},
		{"Rivers.FindRunSince", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.FindRunSince(ctx, riverID, w.window.Start)
			return err
		}},
		{"Rivers.ListRuns", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.ListRuns(ctx, riverID, listRuns(w))
			return err
		}},
		{"Rivers.AllRuns", func(ctx context.Context, w *world) error {
			return drain(w.v1.Rivers.AllRuns(ctx, riverID, listRuns(w)))
		}},
		{"Rivers.RunLogs", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.RunLogs(ctx, riverID, w.run.ID)
			return err
		}},
		{"Rivers.RunTasks", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.RunTasks(ctx, riverID, w.run.ID)
			return err
		}},
		{"Rivers.LogicSteps", func(ctx context.Context, w *world) error {
			var err error
			w.steps, _, err = w.v1.Rivers.LogicSteps(ctx, logicRiver, w.logicRun.ID)
			return err
		}},
		{"Rivers.StepLog", func(ctx context.Context, w *world) error {
			var err error
			w.stepLog, _, err = w.v1.Rivers.StepLog(ctx, logicRiver, w.logicRun.ID, w.steps[0].ID, &rivery.StepLogOptions{Iteration: 2})
			return err
		}},
		{"Rivers.ReadStepLog", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.ReadStepLog(ctx, w.stepLog)
			return err
		}},
		{"Rivers.StepLogContent", func(ctx context.Context, w *world) error {
			_, err := w.boomi.Rivers.StepLogContent(ctx, logicRiver, w.logicRun.ID, w.steps[0].ID, nil)
			return err
		}},
		{"Rivers.RunVariables", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.RunVariables(ctx, logicRiver, w.logicRun.ID)
			return err
		}},
		{"Rivers.List", func(ctx context.Context, w *world) error {
			if _, _, err := w.console.Rivers.List(ctx, nil); err != nil {
				return err
			}
			_, _, err := w.v1.Rivers.List(ctx, &rivery.ListRiversOptions{Name: "orders", ListOptions: rivery.ListOptions{PerPage: 1}})
			return err
		}},
		{"Rivers.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Rivers.All(ctx, &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Rivers.Get", func(ctx context.Context, w *world) error {
			if _, _, err := w.console.Rivers.Get(ctx, riverID); err != nil {
				return err
			}
			_, _, err := w.v1.Rivers.Get(ctx, riverID)
			return err
		}},
		{"Rivers.Search", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.Search(ctx, &rivery.SearchRiversOptions{Query: "orders", Status: rivery.RiverActive})
			return err
		}},
		{"Rivers.SearchAll", func(ctx context.Context, w *world) error {
			return drain(w.v1.Rivers.SearchAll(ctx, &rivery.SearchRiversOptions{Name: "orders", ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Rivers.GetDefinition", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.GetDefinition(ctx, riverID)
			return err
		}},
		{"Rivers.Replace", func(ctx context.Context, w *world) error {
			def, _, err := w.v1.Rivers.GetDefinition(ctx, riverID)
			if err != nil {
				return err
			}
			_, _, err = w.v1.Rivers.Replace(ctx, riverID, def)
			return err
		}},
		{"Rivers.Update", func(ctx context.Context, w *world) error {
			_, err := w.v1.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error { d.SetDescription("nightly"); return nil })
			return err
		}},
		{"Rivers.VersionsPage", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.VersionsPage(ctx, riverID, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Rivers.ListVersions", func(ctx context.Context, w *world) error {
			vs, _, err := w.v1.Rivers.ListVersions(ctx, riverID, &rivery.ListOptions{PerPage: 1})
			if err == nil && len(vs) > 0 {
				w.versionID = vs[0].ID
			}
			return err
		}},
		{"Rivers.AllVersions", func(ctx context.Context, w *world) error {
			return drain(w.v1.Rivers.AllVersions(ctx, riverID, &rivery.ListOptions{PerPage: 1}))
		}},
		{"Rivers.GetVersion", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.GetVersion(ctx, riverID, w.versionID)
			return err
		}},
		{"Rivers.Disable", func(ctx context.Context, w *world) error {
			var err error
			w.op, _, err = w.v1.Rivers.Disable(ctx, riverID)
			return err
		}},
		{"Rivers.WaitForOperation", func(ctx context.Context, w *world) error {
			_, err := w.v1.Rivers.WaitForOperation(ctx, w.op, nil)
			return err
		}},
		{"Rivers.Restore", func(ctx context.Context, w *world) error {
			_, err := w.v1.Rivers.Restore(ctx, riverID, w.versionID)
			return err
		}},
		{"Rivers.Activate", func(ctx context.Context, w *world) error {
			op, _, err := w.v1.Rivers.Activate(ctx, riverID)
			if err == nil {
				_, err = w.v1.Rivers.WaitForOperation(ctx, op, nil)
			}
			return err
		}},
		{"Rivers.Copy", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.Copy(ctx, riverID)
			return err
		}},
		{"Rivers.Create", func(ctx context.Context, w *world) error {
			def, err := rivery.ParseRiverDefinition([]byte(`{"name": "fresh", "type": "source_to_target", "metadata": {"description": "d"}}`))
			if err == nil {
				_, _, err = w.v1.Rivers.Create(ctx, def)
			}
			return err
		}},
		{"Activities.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.List(ctx, &rivery.ActivitiesOptions{Window: w.window})
			return err
		}},
		{"Activities.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Activities.All(ctx, &rivery.ActivitiesOptions{Window: w.window, ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Activities.Statistics", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: w.window})
			return err
		}},
		{"Activities.RiverStatistics", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.RiverStatistics(ctx, riverID, &rivery.StatisticsOptions{Window: w.window, Status: rivery.StatusSucceeded})
			return err
		}},
		{"Activities.RunGroups", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.RunGroups(ctx, masterRiver, &rivery.WindowOptions{Window: w.window})
			return err
		}},
		{"Activities.AllRunGroups", func(ctx context.Context, w *world) error {
			return drain(w.v1.Activities.AllRunGroups(ctx, masterRiver, &rivery.WindowOptions{Window: w.window, ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Activities.RunGroup", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.RunGroup(ctx, masterRiver, w.group.GroupID)
			return err
		}},
		{"Activities.SubRiverRuns", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.SubRiverRuns(ctx, masterRiver, &rivery.WindowOptions{Window: w.window})
			return err
		}},
		{"Activities.AllSubRiverRuns", func(ctx context.Context, w *world) error {
			return drain(w.v1.Activities.AllSubRiverRuns(ctx, masterRiver, &rivery.WindowOptions{Window: w.window, ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Activities.Targets", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Activities.Targets(ctx, riverID, &rivery.TargetsOptions{Window: w.window, RunGroupID: w.run.GroupID})
			return err
		}},
		{"Connections.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.List(ctx, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Connections.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Connections.All(ctx, &rivery.ListOptions{PerPage: 1}))
		}},
		{"Connections.Get", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.Get(ctx, "66a1b2c3d4e5f60718293a4b")
			return err
		}},
		{"Connections.ConnectionTypes", func(ctx context.Context, w *world) error { return drain(w.v1.Connections.ConnectionTypes(ctx, nil)) }},
		{"Connections.SourceTypes", func(ctx context.Context, w *world) error { return drain(w.v1.Connections.SourceTypes(ctx, nil)) }},
		{"Connections.TargetTypes", func(ctx context.Context, w *world) error { return drain(w.v1.Connections.TargetTypes(ctx, nil)) }},
		{"Variables.Set", func(ctx context.Context, w *world) error {
			_, err := w.v1.Variables.Set(ctx, map[string]string{"DB_PASSWORD": varSecret, "SCHEMA": "x"})
			return err
		}},
		{"Variables.List", func(ctx context.Context, w *world) error { _, _, err := w.v1.Variables.List(ctx); return err }},
		{"Variables.Delete", func(ctx context.Context, w *world) error { _, err := w.v1.Variables.Delete(ctx, "SCHEMA"); return err }},
		{"RiverVariables.Set", func(ctx context.Context, w *world) error {
			_, err := w.v1.RiverVariables.Set(ctx, riverID, &rivery.RiverVariable{Name: "api_key", Value: riverSecret})
			return err
		}},
		{"RiverVariables.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.RiverVariables.List(ctx, riverID, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"RiverVariables.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.RiverVariables.All(ctx, riverID, &rivery.ListOptions{PerPage: 1}))
		}},
		{"RiverVariables.GetAll", func(ctx context.Context, w *world) error {
			_, err := w.v1.RiverVariables.GetAll(ctx, riverID)
			return err
		}},
		{"RiverVariables.Replace", func(ctx context.Context, w *world) error {
			vars, err := w.v1.RiverVariables.GetAll(ctx, riverID)
			if err == nil {
				_, _, err = w.v1.RiverVariables.Replace(ctx, riverID, vars)
			}
			return err
		}},
		{"Environments.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Environments.List(ctx, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Environments.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Environments.All(ctx, &rivery.ListOptions{PerPage: 1}))
		}},
		{"Environments.ListFiltered", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Environments.ListFiltered(ctx, &rivery.ListEnvironmentsOptions{IncludeDeleted: true, ListOptions: rivery.ListOptions{PerPage: 1}})
			return err
		}},
		{"Environments.AllFiltered", func(ctx context.Context, w *world) error {
			return drain(w.v1.Environments.AllFiltered(ctx, &rivery.ListEnvironmentsOptions{Deployable: true}))
		}},
		{"Environments.Get", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Environments.Get(ctx, otherEnv)
			return err
		}},
		{"Client.InEnvironment", func(ctx context.Context, w *world) error {
			other, err := w.v1.InEnvironment(otherEnv)
			if err == nil {
				_, _, err = other.Connections.List(ctx, nil)
			}
			return err
		}},
		{"Tokens.Create", func(ctx context.Context, w *world) error {
			var err error
			w.created, _, err = w.v1.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "loader", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
			return err
		}},
		{"Tokens.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Tokens.List(ctx, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Tokens.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Tokens.All(ctx, &rivery.ListOptions{PerPage: 1}))
		}},
		{"Tokens.Get", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Tokens.Get(ctx, w.created.ID)
			return err
		}},
		{"Tokens.Scopes", func(ctx context.Context, w *world) error { _, _, err := w.v1.Tokens.Scopes(ctx); return err }},
		{"Tokens.Delete", func(ctx context.Context, w *world) error { _, err := w.v1.Tokens.Delete(ctx, w.created.ID); return err }},
	}
	return append(append(calls, adminCalls()...), platformCalls()...)
}

// adminCalls drive the calls that administer an environment (issue 26):
// environment and connection writes (a connection's password and an
// uploaded key among the secrets), pull requests, tables, catalogs, river
// groups and deletion, and the audit log.
func adminCalls() []secretCall {
	conn := func() *rivery.ConnectionRequest {
		return &rivery.ConnectionRequest{Name: "loader db", Type: "postgres", Settings: map[string]any{"host": "db.example.com", "password": connSecret}}
	}
	pull := func() *rivery.PullRequest {
		return &rivery.PullRequest{ConnectionID: "66a1b2c3d4e5f60718293a4b", DatasourceID: "postgresql", Schemas: []string{"public"}}
	}
	return []secretCall{
		{"Environments.Create", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "scratch", Description: "temporary"})
			return err
		}},
		{"Environments.FindByName", func(ctx context.Context, w *world) error {
			e, err := w.v1.Environments.FindByName(ctx, "scratch")
			if err == nil {
				w.scratchEnv = e.ID
			}
			return err
		}},
		{"Environments.Update", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Environments.Update(ctx, w.scratchEnv, &rivery.UpdateEnvironmentRequest{Name: "scratch 2"})
			return err
		}},
		{"Environments.Delete", func(ctx context.Context, w *world) error {
			op, _, err := w.v1.Environments.Delete(ctx, w.scratchEnv)
			if err == nil {
				_, err = w.v1.Rivers.WaitForOperation(ctx, op, nil)
			}
			return err
		}},
		{"Connections.Create", func(ctx context.Context, w *world) error {
			c, _, err := w.v1.Connections.Create(ctx, conn())
			if err == nil {
				w.connID = c.ID
			}
			return err
		}},
		{"Connections.FindByName", func(ctx context.Context, w *world) error {
			_, err := w.v1.Connections.FindByName(ctx, "loader db")
			return err
		}},
		{"Connections.Update", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.Update(ctx, w.connID, conn())
			return err
		}},
		{"Connections.UploadKeyFile", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.UploadKeyFile(ctx, "postgres", "bastion.pem", []byte(keySecret))
			return err
		}},
		{"Connections.Tables", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.Tables(ctx, w.connID, &rivery.ConnectionTablesOptions{SchemaName: "public"})
			return err
		}},
		{"Connections.AllTables", func(ctx context.Context, w *world) error {
			return drain(w.v1.Connections.AllTables(ctx, w.connID, &rivery.ConnectionTablesOptions{ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Connections.StartPull", func(ctx context.Context, w *world) error {
			var err error
			w.pull, _, err = w.v1.Connections.StartPull(ctx, pull())
			return err
		}},
		{"Connections.CancelPull", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.CancelPull(ctx, w.pull.ID)
			return err
		}},
		{"Connections.WaitForPull", func(ctx context.Context, w *world) error {
			_, err := w.v1.Connections.WaitForPull(ctx, w.pull, nil)
			if err != nil && strings.Contains(err.Error(), "canceled") {
				err = nil // the pull was canceled just before
			}
			return err
		}},
		{"Connections.Test", func(ctx context.Context, w *world) error {
			_, err := w.v1.Connections.Test(ctx, pull(), nil)
			return err
		}},
		{"Connections.PullMetadata", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.PullMetadata(ctx, pull(), nil)
			return err
		}},
		{"Connections.ConnectionType", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Connections.ConnectionType(ctx, "postgres")
			return err
		}},
		{"Connections.SourceSections", func(ctx context.Context, w *world) error {
			return drain(w.v1.Connections.SourceSections(ctx, nil))
		}},
		{"Connections.Delete", func(ctx context.Context, w *world) error {
			_, err := w.v1.Connections.Delete(ctx, w.connID)
			return err
		}},
		{"Rivers.Groups", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Rivers.Groups(ctx, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Rivers.AllGroups", func(ctx context.Context, w *world) error { return drain(w.v1.Rivers.AllGroups(ctx, nil)) }},
		{"AuditEvents.List", func(ctx context.Context, w *world) error {
			events, _, err := w.v1.AuditEvents.List(ctx, &rivery.AuditEventsOptions{EntityTypes: []string{"connections"}})
			if err == nil && len(events) > 0 {
				w.eventID = events[0].ID
			}
			return err
		}},
		{"AuditEvents.All", func(ctx context.Context, w *world) error { return drain(w.v1.AuditEvents.All(ctx, nil)) }},
		{"AuditEvents.Get", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.AuditEvents.Get(ctx, w.eventID)
			return err
		}},
		{"Rivers.Delete", func(ctx context.Context, w *world) error { _, err := w.v1.Rivers.Delete(ctx, logicRiver); return err }},
	}
}

// platformCalls drive CDC, dataframes, Logicode files, teams and users.
func platformCalls() []secretCall {
	settings := func() *rivery.DataframeSettings {
		return &rivery.DataframeSettings{ConnectionID: dfConnection, DatasourceID: "s3", StorageType: "aws", DefaultBucket: dfBucket}
	}
	return []secretCall{
		{"CDC.Enable", func(ctx context.Context, w *world) error {
			op, _, err := w.v1.CDC.Enable(ctx, riverID)
			if err == nil {
				_, err = w.v1.Rivers.WaitForOperation(ctx, op, nil)
			}
			return err
		}},
		{"CDC.SetConfig", func(ctx context.Context, w *world) error {
			_, err := w.v1.CDC.SetConfig(ctx, riverID, &rivery.CDCConfig{DatasourceType: "mysql", Offset: map[string]any{"binlog_file": "mysql-bin.000042"}})
			return err
		}},
		{"CDC.Config", func(ctx context.Context, w *world) error { _, _, err := w.v1.CDC.Config(ctx, riverID); return err }},
		{"CDC.DeleteConfig", func(ctx context.Context, w *world) error { _, err := w.v1.CDC.DeleteConfig(ctx, riverID); return err }},
		{"CDC.Disable", func(ctx context.Context, w *world) error { _, _, err := w.v1.CDC.Disable(ctx, riverID); return err }},
		{"Dataframes.Create", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: "landing", Settings: settings()})
			return err
		}},
		{"Dataframes.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Dataframes.List(ctx, &rivery.ListOptions{PerPage: 1})
			return err
		}},
		{"Dataframes.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Dataframes.All(ctx, &rivery.ListOptions{PerPage: 1}))
		}},
		{"Dataframes.Get", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Dataframes.Get(ctx, "landing")
			return err
		}},
		{"Dataframes.Update", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Dataframes.Update(ctx, "landing", settings())
			return err
		}},
		{"Dataframes.Export", func(ctx context.Context, w *world) error {
			var err error
			w.files, err = w.v1.Dataframes.Export(ctx, dataframe, nil)
			return err
		}},
		{"Dataframes.CopyFile", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Dataframes.CopyFile(ctx, w.files[0], io.Discard)
			return err
		}},
		{"Dataframes.Download", func(ctx context.Context, w *world) error {
			_, err := w.boomi.Dataframes.Download(ctx, dataframe, io.Discard, nil)
			return err
		}},
		{"Dataframes.Clear", func(ctx context.Context, w *world) error {
			op, _, err := w.v1.Dataframes.Clear(ctx, dataframe)
			if err == nil {
				_, err = w.v1.Rivers.WaitForOperation(ctx, op, nil)
			}
			return err
		}},
		{"Dataframes.Delete", func(ctx context.Context, w *world) error {
			_, err := w.v1.Dataframes.Delete(ctx, "landing")
			return err
		}},
		{"Logicode.Upload", func(ctx context.Context, w *world) error {
			var err error
			w.file, err = w.v1.Logicode.Upload(ctx, "step.py", strings.NewReader(logicodeSecret), int64(len(logicodeSecret)))
			return err
		}},
		{"Logicode.Get", func(ctx context.Context, w *world) error {
			f, _, err := w.v1.Logicode.Get(ctx, w.file.ID)
			if err == nil {
				w.fileURL = f.URL
			}
			return err
		}},
		{"Logicode.Read", func(ctx context.Context, w *world) error {
			_, err := w.boomi.Logicode.Read(ctx, w.file.ID, io.Discard)
			return err
		}},
		{"Logicode.Template", func(ctx context.Context, w *world) error {
			_, err := w.v1.Logicode.Template(ctx, io.Discard)
			return err
		}},
		{"Logicode.Requirements", func(ctx context.Context, w *world) error {
			_, err := w.v1.Logicode.Requirements(ctx, io.Discard)
			return err
		}},
		{"Logicode.Resources", func(ctx context.Context, w *world) error { _, _, err := w.v1.Logicode.Resources(ctx); return err }},
		{"Teams.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Teams.List(ctx, &rivery.ListTeamsOptions{Name: "analytics", TeamIDs: []string{teamID}})
			return err
		}},
		{"Teams.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Teams.All(ctx, &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Teams.Get", func(ctx context.Context, w *world) error { _, _, err := w.v1.Teams.Get(ctx, teamID); return err }},
		{"Users.Invite", func(ctx context.Context, w *world) error {
			var err error
			w.user, _, err = w.v1.Users.Invite(ctx, &rivery.InviteUserRequest{Email: "ops@example.com", FirstName: "Ops", LastName: "Lead", SuperAdmin: true})
			return err
		}},
		{"Users.List", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Users.List(ctx, &rivery.ListUsersOptions{Email: "ops@example.com"})
			return err
		}},
		{"Users.All", func(ctx context.Context, w *world) error {
			return drain(w.v1.Users.All(ctx, &rivery.ListUsersOptions{ListOptions: rivery.ListOptions{PerPage: 1}}))
		}},
		{"Users.Get", func(ctx context.Context, w *world) error { _, _, err := w.v1.Users.Get(ctx, w.user.ID); return err }},
		{"Users.Permissions", func(ctx context.Context, w *world) error {
			_, _, err := w.v1.Users.Permissions(ctx, w.user.ID)
			return err
		}},
	}
}

// The calls the test must cover: every method of every service field of
// Client, and the Client methods that call the API.
func callTypes() []string {
	names := []string{"Client.Me", "Client.InEnvironment"}
	ct := reflect.TypeFor[rivery.Client]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			continue
		}
		for j := range f.Type.NumMethod() {
			names = append(names, f.Name+"."+f.Type.Method(j).Name)
		}
	}
	return names
}

// logRecords is a slog handler that keeps each record as text.
type logRecords struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecords) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	h.mu.Lock()
	h.lines = append(h.lines, b.String())
	h.mu.Unlock()
	return nil
}
func (h *logRecords) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecords) WithGroup(string) slog.Handler      { return h }

func (h *logRecords) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.lines
	h.lines = nil
	return out
}

// spanTexts returns every string a span carries: name, attributes, events
// and their attributes, status description.
func spanTexts(spans tracetest.SpanStubs) []string {
	var out []string
	kv := func(kvs []attribute.KeyValue) {
		for _, a := range kvs {
			out = append(out, string(a.Key)+"="+a.Value.String())
		}
	}
	for i := range spans {
		s := &spans[i]
		out = append(out, s.Name, s.Status.Description)
		kv(s.Attributes)
		for _, e := range s.Events {
			out = append(out, e.Name)
			kv(e.Attributes)
		}
		for _, l := range s.Links {
			kv(l.Attributes)
		}
	}
	return out
}

var (
	longHex  = regexp.MustCompile(`[0-9a-f]{16,}`)
	idValued = regexp.MustCompile(`^rivery\.(account|environment|river|run|run_group)_id=`)
)

// No span, span event, metric or log line holds a token (the API token,
// a Boomi JWT or API token, a token just created), a presigned URL or its
// signature, a connection's or variable's secret, or a query string, for
// any call the SDK makes; and routes hold no ID.
func TestNoSecretsInTelemetry(t *testing.T) {
	t.Parallel()
	calls := secretCalls()
	var covered []string
	for _, c := range calls {
		covered = append(covered, c.name)
	}
	for _, name := range callTypes() {
		if !slices.Contains(covered, name) {
			t.Errorf("call type %s is not driven by this test: add it to secretCalls", name)
		}
	}

	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders"}),
		riverytest.WithRiver(riverytest.River{ID: logicRiver, Name: "orders logic", Type: "logic"}),
		riverytest.WithRiver(riverytest.River{ID: masterRiver, Name: "orders master",
			SubRivers: []riverytest.SubRiver{{ID: subRiverA}, {ID: subRiverB, Outcome: "failed"}}}),
		riverytest.WithConnection(riverytest.Connection{ID: "66a1b2c3d4e5f60718293a4b", Name: "orders db",
			Settings: map[string]any{"host": "db.example.com", "password": connSecret, "connection_string": "postgres://u:" + connSecret + "@db/x"}}),
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv, Name: "staging"}),
		riverytest.WithDataframe(riverytest.Dataframe{Name: dataframe, SettingsForm: "fragment",
			Settings: map[string]any{"connection": dfConnection, "default_bucket": dfBucket},
			Files:    []riverytest.File{{Content: []byte("PAR1 orders")}, {Size: 4096}}}),
		riverytest.WithTeam(riverytest.Team{ID: teamID, Name: "analytics"}),
	)
	defer srv.Close()
	tm := newTelemetry(t)
	logs := &logRecords{}
	opts := []rivery.Option{rivery.WithObserver(tm.obs), rivery.WithLogger(slog.New(logs))}
	w := &world{srv: srv, v1: srv.ClientV1(opts...), console: srv.Client(opts...), boomi: srv.BoomiClient(opts...),
		window: rivery.Window{Start: time.Now().Add(-time.Hour), End: time.Now().Add(time.Hour)}}
	creds := srv.BoomiCredentials()
	secrets := []string{srv.AdminToken(), creds.APIToken, "eyJ", "Bearer", "Basic ", "X-Amz", "Signature",
		connSecret, varSecret, riverSecret, keySecret, "?", "&", "start_time", "items_per_page", "page=",
		dfConnection, dfBucket, "lc-secret", "presigned/files"}

	ctx := context.Background()
	var seen []string
	for _, c := range calls {
		err := c.do(ctx, w)
		if err != nil && !errors.Is(err, rivery.ErrRunFailed) {
			t.Errorf("%s: %v", c.name, err)
		}
		spans := tm.spans.GetSpans()
		tm.spans.Reset()
		if len(spans) == 0 {
			t.Errorf("%s: no span", c.name)
		}
		texts := append(spanTexts(spans), logs.take()...)
		if w.stepLog != nil {
			_, query, _ := strings.Cut(w.stepLog.URL, "?")
			secrets = append(secrets, query, w.stepLog.URL)
		}
		if w.created != nil && w.created.Value != "" {
			secrets = append(secrets, w.created.Value)
		}
		for _, u := range append(w.files, w.fileURL) {
			if _, query, ok := strings.Cut(string(u), "?"); ok {
				secrets = append(secrets, query, string(u))
			}
		}
		for _, text := range texts {
			for _, s := range secrets {
				if s != "" && strings.Contains(text, s) {
					t.Errorf("%s: telemetry holds %q: %q", c.name, s, text)
				}
			}
			if route, ok := strings.CutPrefix(text, "url.template="); ok && longHex.MatchString(route) {
				t.Errorf("%s: route with an ID: %s", c.name, route)
			}
			if strings.Contains(text, "_id=") && !idValued.MatchString(text) {
				t.Errorf("%s: %q", c.name, text)
			}
		}
		for _, s := range spans {
			if r := attr(s.Attributes, "url.template"); r != "" && !slices.Contains(seen, r) {
				seen = append(seen, r)
			}
		}
	}
	if !slices.Contains(seen, "{logs_url}") || !slices.Contains(seen, "{presigned_url}") || !slices.Contains(seen, "/auth/jwt/generate/{boomi_account_id}") {
		t.Errorf("routes seen: %q", seen)
	}

	// Metrics carry only low-cardinality attributes: no ID but the river's
	// (on the run duration), and no secret.
	for name, m := range tm.collect(t) {
		for _, set := range metricSets(m) {
			for _, kv := range set.ToSlice() {
				text := string(kv.Key) + "=" + kv.Value.String()
				runsByRiver := name == "rivery.run.duration" && kv.Key == "rivery.river_id"
				if strings.HasPrefix(text, "rivery.") && strings.Contains(text, "_id=") && !runsByRiver {
					t.Errorf("metric %s has %s", name, text)
				}
				for _, s := range secrets {
					if s != "" && strings.Contains(text, s) {
						t.Errorf("metric %s holds %q", name, s)
					}
				}
			}
		}
	}
}

// metricSets returns the attribute sets of a metric's data points.
func metricSets(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			out = append(out, p.Attributes)
		}
	}
	return out
}
