package rivery

import (
	"context"
	"net/http"

	"github.com/rivery-go/rivery/internal/wire"
)

// Identity is who an API token is, as GET /api/me tells it. Rivery's
// published clients read only the two IDs from that answer; the other
// fields are filled when the server sends them (account_name,
// environment_name, user_id, user_name, email or user_email) and stay empty
// otherwise.
type Identity struct {
	AccountID     string // the account the token belongs to
	EnvironmentID string // the environment it addresses
	// AccountName and EnvironmentName are display names, when sent.
	AccountName, EnvironmentName string
	// UserID, UserName and Email are the token's user, when sent: tokens
	// are made per user in the console.
	UserID, UserName, Email string
}

// Me returns who the client's token is: GET /api/me, on either family's
// client (the v1 API has no such call). It is the cheapest check of a
// token: a bad, deleted or other-region token is an *APIError matching
// ErrUnauthorized. It does not change which IDs v1 calls use.
func (c *Client) Me(ctx context.Context) (*Identity, *Response, error) {
	var w wire.Identity
	resp, err := c.do(ctx, call{method: http.MethodGet, url: c.urls.me, out: &w})
	if err != nil {
		return nil, resp, err
	}
	return &Identity{
		AccountID:       string(w.AccountID),
		EnvironmentID:   string(w.EnvironmentID),
		AccountName:     string(w.AccountName),
		EnvironmentName: string(w.EnvironmentName),
		UserID:          string(w.UserID),
		UserName:        string(w.UserName),
		Email:           firstNonEmpty(string(w.Email), string(w.UserEmail)),
	}, resp, nil
}
