package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// identityJSON is the --json form of whoami; fields the server did not
// send are left out.
type identityJSON struct {
	AccountID       string `json:"account_id"`
	AccountName     string `json:"account_name,omitempty"`
	EnvironmentID   string `json:"environment_id"`
	EnvironmentName string `json:"environment_name,omitempty"`
	UserID          string `json:"user_id,omitempty"`
	UserName        string `json:"user_name,omitempty"`
	Email           string `json:"email,omitempty"`
}

// whoamiCmd is "rivery whoami": who the token is (GET /api/me), the
// cheapest check of a token and of its region.
func (c *cli) whoamiCmd() *cobra.Command {
	return showCmd(c, spec{use: "whoami", short: "Show who the token is: its account, environment and user where the server says (GET /api/me).",
		long: "The cheapest check of a token and its region.", flags: accountWide},
		func(ctx context.Context, _ []string) (identityJSON, error) {
			me, _, err := c.client.Me(ctx)
			if err != nil {
				return identityJSON{}, err
			}
			return identityJSON{me.AccountID, me.AccountName, me.EnvironmentID, me.EnvironmentName, me.UserID, me.UserName, me.Email}, nil
		},
		func(w io.Writer, me identityJSON) error {
			lines := []string{
				"account:     " + withName(me.AccountID, me.AccountName),
				"environment: " + withName(me.EnvironmentID, me.EnvironmentName),
			}
			if user := strings.TrimSpace(strings.Join([]string{me.UserName, angle(me.Email), paren(me.UserID)}, " ")); user != "" {
				lines = append(lines, "user:        "+strings.Join(strings.Fields(user), " "))
			}
			for _, l := range lines {
				if _, err := fmt.Fprintln(w, printable(l)); err != nil {
					return err
				}
			}
			return nil
		})
}

func withName(id, name string) string {
	if name == "" {
		return id
	}
	return id + " (" + name + ")"
}

func angle(s string) string {
	if s == "" {
		return ""
	}
	return "<" + s + ">"
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}
