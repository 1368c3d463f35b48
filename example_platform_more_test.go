package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Start a CDC river over from the log's end: delete its position, then
// turn its log reading off (an operation to wait for, unless it was off).
func ExampleCDCService_Disable() {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders cdc"}),
		riverytest.WithCDC(riverytest.CDC{RiverID: "63b724fc690def001131d242", Enabled: true,
			Config: map[string]any{"datasource_type": "mysql", "binlog_file": "mysql-bin.000042"}}),
	)
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()
	riverID := "63b724fc690def001131d242"

	if _, err := client.CDC.DeleteConfig(ctx, riverID); err != nil {
		fmt.Println(err)
		return
	}
	op, _, err := client.CDC.Disable(ctx, riverID)
	if err == nil {
		op, err = client.Rivers.WaitForOperation(ctx, op, nil)
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	// With the log off, the API answers 400 for the position.
	_, _, err = client.CDC.Config(ctx, riverID)
	fmt.Println("disabled:", op.Status, "position readable:", !errors.Is(err, rivery.ErrBadRequest))
	// Output: disabled: D position readable: false
}

// Every dataframe of the environment, page after page; the settings of
// one in a file zone print as [redacted].
func ExampleDataframesService_All() {
	srv := riverytest.NewServer(
		riverytest.WithDataframe(riverytest.Dataframe{Name: "daily_orders"}),
		riverytest.WithDataframe(riverytest.Dataframe{Name: "landing", Settings: map[string]any{
			"connection": "66c0ffee00000000000c0042", "default_bucket": "acme-landing-zone"}}),
	)
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	for df, err := range client.Dataframes.All(ctx, &rivery.ListOptions{PerPage: 100}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(df.Name, df.Settings != nil, df.Settings)
	}
	// Output:
	// daily_orders false <nil>
	// landing true DataframeSettings{[redacted]}
}

// The Python requirements Logicode steps run with, streamed into any
// io.Writer.
func ExampleLogicodeService_Requirements() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	var requirements strings.Builder
	if _, err := client.Logicode.Requirements(ctx, &requirements); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(requirements.String())
	// Output:
	// pandas==2.2.2
	// requests==2.32.3
}

// Read one user by ID, e.g. one a listing or an invitation returned.
func ExampleUsersService_Get() {
	srv := riverytest.NewServer()
	defer srv.Close()
	userID := srv.AddUser(riverytest.User{Email: "maya@example.com", Name: "Maya", Admin: true})
	client := srv.ClientV1()
	ctx := context.Background()

	user, _, err := client.Users.Get(ctx, userID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(user.Email, user.Name, user.Admin, user.Status)
	// Output: maya@example.com Maya true active
}
