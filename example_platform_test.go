package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Turning CDC on is an operation to wait for; then the river's position
// can be set and read.
func ExampleCDCService_Enable() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders cdc"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()
	riverID := "63b724fc690def001131d242"

	op, _, err := client.CDC.Enable(ctx, riverID)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A 202 is an acceptance: the operation says when CDC is on. (A river
	// already on answers 204: op has ended D already.)
	if _, err := client.Rivers.WaitForOperation(ctx, op, nil); err != nil {
		fmt.Println(err)
		return
	}
	position := &rivery.CDCConfig{DatasourceType: "mysql", Offset: map[string]any{"binlog_file": "mysql-bin.000042", "binlog_position": "4"}}
	if _, err := client.CDC.SetConfig(ctx, riverID, position); err != nil {
		fmt.Println(err)
		return
	}
	cfg, _, err := client.CDC.Config(ctx, riverID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.DatasourceType, cfg.Offset["binlog_file"], cfg.Offset["binlog_position"])
	// Output: mysql mysql-bin.000042 4
}

// Create a dataframe in a file zone of one's own; its settings print as
// [redacted].
func ExampleDataframesService_Create() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	df, _, err := client.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{
		Name: "daily_orders",
		Settings: &rivery.DataframeSettings{
			ConnectionID:  "66c0ffee00000000000c0042",
			DatasourceID:  "s3",
			StorageType:   "aws",
			DefaultBucket: "acme-landing-zone",
		},
	})
	if rivery.MaybeApplied(err) {
		// The create may have reached Rivery: look before creating again.
		df, _, err = client.Dataframes.Get(ctx, "daily_orders")
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(df.Name, df.Settings)
	// Output: daily_orders DataframeSettings{[redacted]}
}

// Download streams a dataframe's files into any io.Writer (a file, a
// pipe, an upload elsewhere) without holding them.
func ExampleDataframesService_Download() {
	srv := riverytest.NewServer(riverytest.WithDataframe(riverytest.Dataframe{
		Name: "daily_orders", Files: []riverytest.File{{Content: []byte("id,total\n1,9.50\n")}},
	}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	n, err := client.Dataframes.Download(ctx, "daily_orders", os.Stdout, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "bytes")
	// Output:
	// id,total
	// 1,9.50
	// 16 bytes
}

// Upload streams a Logicode file to Rivery's storage; an *os.File (an
// io.ReaderAt) lets the upload be retried.
func ExampleLogicodeService_Upload() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	code := "def main():\n    return 42\n"
	file, err := client.Logicode.Upload(ctx, "transform.py", strings.NewReader(code), int64(len(code)))
	var upErr *rivery.UploadError
	if errors.As(err, &upErr) {
		fmt.Println("the content did not reach the storage:", upErr.Err)
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	var back strings.Builder
	if _, err := client.Logicode.Read(ctx, file.ID, &back); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(file.Name, back.String() == code)
	// Output: transform.py true
}

// Invite a privileged user, unless the email is already a user's.
func ExampleUsersService_Invite() {
	srv := riverytest.NewServer(riverytest.WithUser(riverytest.User{Email: "maya@example.com", Name: "Maya"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	for _, email := range []string{"maya@example.com", "ops@example.com"} {
		found, _, err := client.Users.List(ctx, &rivery.ListUsersOptions{Email: email})
		if err != nil {
			fmt.Println(err)
			return
		}
		if len(found) > 0 {
			fmt.Println(email, "is a user already")
			continue
		}
		user, _, err := client.Users.Invite(ctx, &rivery.InviteUserRequest{Email: email, FirstName: "Ops", LastName: "Lead", GlobalOperator: true})
		if err != nil {
			fmt.Println(err) // after MaybeApplied(err), list again before inviting again
			return
		}
		fmt.Println(user.Email, "invited as", user.Name)
	}
	// Output:
	// maya@example.com is a user already
	// ops@example.com invited as Ops Lead
}

// Every team of the account, 200 a page (the most these pages hold).
func ExampleTeamsService_All() {
	srv := riverytest.NewServer(
		riverytest.WithTeam(riverytest.Team{Name: "analytics", Roles: map[string]string{riverytest.DefaultEnvironmentID: "viewer"}}),
		riverytest.WithTeam(riverytest.Team{Name: "platform", Source: "rivery", AllEnvironmentsAdmin: true}),
	)
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	opts := &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 200}, SortOrder: rivery.SortAscending}
	for team, err := range client.Teams.All(ctx, opts) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(team.Name, team.Source, team.AllEnvironmentsAdmin)
	}
	// Output:
	// analytics active_directory false
	// platform rivery true
}

// Change where a dataframe keeps its data: read it, change a field of its
// settings, and put them back (in the form the API sent them); then empty
// it, and delete it.
func ExampleDataframesService_Update() {
	srv := riverytest.NewServer(riverytest.WithDataframe(riverytest.Dataframe{
		Name: "daily_orders", Settings: map[string]any{"connection": "66c0ffee00000000000c0042", "default_bucket": "acme-landing-zone"},
	}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	df, _, err := client.Dataframes.Get(ctx, "daily_orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	df.Settings.DefaultBucket = "acme-archive-zone"
	if _, _, err := client.Dataframes.Update(ctx, df.Name, df.Settings); err != nil {
		fmt.Println(err)
		return
	}
	op, _, err := client.Dataframes.Clear(ctx, df.Name)
	if err == nil {
		op, err = client.Rivers.WaitForOperation(ctx, op, nil)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Dataframes.Delete(ctx, df.Name); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cleared:", op.Status, "then deleted")
	// Output: cleared: D then deleted
}

// The Python template of a new Logicode step, read without holding it
// anywhere but the writer.
func ExampleLogicodeService_Template() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	var template strings.Builder
	if _, err := client.Logicode.Template(ctx, &template); err != nil {
		fmt.Println(err)
		return
	}
	first, _, _ := strings.Cut(template.String(), "\n")
	fmt.Println(first)
	// Output: # Logicode step
}

// A user's role in each environment.
func ExampleUsersService_Permissions() {
	srv := riverytest.NewServer()
	defer srv.Close()
	userID := srv.AddUser(riverytest.User{Email: "maya@example.com", Roles: map[string]string{riverytest.DefaultEnvironmentID: "admin"}})
	client := srv.ClientV1()
	ctx := context.Background()

	roles, _, err := client.Users.Permissions(ctx, userID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(roles[riverytest.DefaultEnvironmentID])
	// Output: admin
}
