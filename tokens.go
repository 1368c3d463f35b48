package rivery

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// TokensService manages the account's API tokens. Only account admins may
// call it; others get an *APIError matching ErrForbidden. Get it from
// Client.Tokens. Its calls use the v1 API.
//
// Rivery publishes no token-management endpoints: tokens are made per user
// in the console (My Profile, API Tokens). This service's paths are the
// SDK's own contract: GET, POST A/tokens, GET, DELETE A/tokens/{id} and
// GET /v1/scopes (A is /v1/accounts/{account_id}). riverytest serves them,
// so the service works against the fake; the live API answers each with
// FastAPI's generic 404 {"detail": "Not Found"}, which the SDK returns as an
// error matching ErrTokensUnavailable (and ErrNotFound) that says token
// management is not available on this API.
type TokensService service

// Scope is a permission a token carries, "<entity>:<operation>".
type Scope string

// The scopes Rivery documents (its CLI's authentication guide lists them).
const (
	ScopeMeList           Scope = "me:list"
	ScopeRiverList        Scope = "river:list"
	ScopeRiverExecute     Scope = "river:execute"
	ScopeRiverEdit        Scope = "river:edit"
	ScopeRiverDelete      Scope = "river:delete"
	ScopeConnectionList   Scope = "connection:list"
	ScopeConnectionEdit   Scope = "connection:edit"
	ScopeConnectionDelete Scope = "connection:delete"
)

// More scopes in use: the console's API tokens carry them (its test
// fixtures of GET /api/admin/list_tokens), and Boomi's reference names the
// scope of each call it documents.
const (
	// ScopeActivityList reads activities, a river's runs and their detail.
	ScopeActivityList Scope = "activity:list"
	// ScopeActivityLog reads run and step logs.
	ScopeActivityLog Scope = "activity:log"
	// ScopeEnvironmentList lists environments (GET A/environments).
	ScopeEnvironmentList Scope = "environment:list"
	// ScopeTeamList lists teams (GET A/teams).
	ScopeTeamList Scope = "team:list"
	// ScopeOperationsList reads operations (GET E/operations/{id}).
	ScopeOperationsList Scope = "operations:list"
	// ScopeAccountList lists the accounts the user sees.
	ScopeAccountList Scope = "account:list"
	// ScopeAccountWrite manages SCIM provisioning.
	ScopeAccountWrite Scope = "account:write"
	// ScopeAuditList lists audit events (GET E/audit_events).
	ScopeAuditList Scope = "audit:list"
	// ScopeConnectionTest tests connections (POST E/pull_requests).
	ScopeConnectionTest Scope = "connection:test"
	// ScopeDataframeList lists dataframes (GET E/dataframes).
	ScopeDataframeList Scope = "dataframe:list"
	// ScopeDataframeWrite creates and changes dataframes.
	ScopeDataframeWrite Scope = "dataframe:write"
	// ScopeDataframeDelete deletes dataframes.
	ScopeDataframeDelete Scope = "dataframe:delete"
	// ScopeDataQualityTestList lists data quality tests.
	ScopeDataQualityTestList Scope = "data_quality_test:list"
	// ScopeDataQualityTestWrite creates and changes data quality tests.
	ScopeDataQualityTestWrite Scope = "data_quality_test:write"
	// ScopeDatasourceList reads the catalogs of source and target types.
	ScopeDatasourceList Scope = "datasource:list"
	// ScopeFileEdit uploads files (key files, Logicode).
	ScopeFileEdit Scope = "file:edit"
	// ScopeLogicodeList reads Logicode files.
	ScopeLogicodeList Scope = "logicode:list"
	// ScopePlanList reads the billing plans.
	ScopePlanList Scope = "plan:list"
	// ScopeRiverWrite edits rivers (PUT E/rivers/{id}, the reference's
	// "Edit River").
	ScopeRiverWrite Scope = "river:write"
	// ScopeUserList lists users (GET A/users).
	ScopeUserList Scope = "user:list"
	// ScopeEnvironmentEdit creates and changes environments.
	ScopeEnvironmentEdit Scope = "environment:edit"
	// ScopeEnvironmentDelete deletes environments.
	ScopeEnvironmentDelete Scope = "environment:delete"
	// ScopeGroupList lists river groups (GET E/river_groups).
	ScopeGroupList Scope = "group:list"
)

// Token is an API token's record. Value holds the secret only in what Create
// returns: it is shown once and never again. Printing a Token with fmt (any
// verb), slog or encoding/json shows "[redacted]" in place of Value; the
// field itself keeps the secret for the caller to store.
type Token struct {
	ID         string     `json:"token_id"`
	Name       string     `json:"name"`
	Scopes     []Scope    `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	LastUsedAt *time.Time `json:"last_used_at"` // nil if never used
	Value      string     `json:"token,omitempty"`
}

func (t Token) redactedValue() string {
	if t.Value == "" {
		return `""`
	}
	return redacted
}

// String describes the token with its Value redacted.
func (t Token) String() string {
	last := "never"
	if t.LastUsedAt != nil {
		last = t.LastUsedAt.Format(time.RFC3339)
	}
	return fmt.Sprintf("Token{ID:%s Name:%q Scopes:%v CreatedAt:%s CreatedBy:%q LastUsedAt:%s Value:%s}",
		t.ID, t.Name, t.Scopes, t.CreatedAt.Format(time.RFC3339), t.CreatedBy, last, t.redactedValue())
}

// GoString is String prefixed with the package name, for %#v.
func (t Token) GoString() string { return "rivery." + t.String() }

// Format prints the redacted form for every verb (GoString for %#v).
func (t Token) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t) }

// LogValue logs the token's fields with Value redacted.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", t.ID),
		slog.String("name", t.Name),
		slog.Any("scopes", t.Scopes),
		slog.Time("created_at", t.CreatedAt),
		slog.String("created_by", t.CreatedBy),
		slog.String("value", t.redactedValue()),
	)
}

// MarshalJSON encodes the token in the API's shape with Value redacted, so
// that logging or storing a Token as JSON never writes the secret. Read
// Value itself to keep it.
func (t Token) MarshalJSON() ([]byte, error) {
	type plain Token // no methods: no recursion
	p := plain(t)
	if p.Value != "" {
		p.Value = redacted
	}
	return json.Marshal(p)
}

// CreateTokenRequest is what Create needs: a name and at least one scope.
type CreateTokenRequest struct {
	Name   string  `json:"name"`
	Scopes []Scope `json:"scopes"`
}

func (r *CreateTokenRequest) validate() error {
	switch {
	case r == nil:
		return fmt.Errorf("%w: nil CreateTokenRequest", ErrInvalidArgument)
	case strings.TrimSpace(r.Name) == "":
		return fmt.Errorf("%w: token name is empty", ErrInvalidArgument)
	case hasControl(r.Name):
		return fmt.Errorf("%w: token name contains control characters", ErrInvalidArgument)
	case len(r.Scopes) == 0:
		return fmt.Errorf("%w: a token needs at least one scope", ErrInvalidArgument)
	}
	for _, s := range r.Scopes {
		if s == "" || strings.ContainsFunc(string(s), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return fmt.Errorf("%w: scope %q is not a scope name", ErrInvalidArgument, s)
		}
	}
	return nil
}

// List returns one page of the account's tokens: GET A/tokens.
func (s *TokensService) List(ctx context.Context, opts *ListOptions) ([]*Token, *Response, error) {
	return scopedPage(ctx, s.client, opts, s.listURL, s.page)
}

// All iterates over every token, page after page (GET A/tokens, then each
// next_page), from the page opts selects. It stops at the first error,
// which it yields.
func (s *TokensService) All(ctx context.Context, opts *ListOptions) iter.Seq2[*Token, error] {
	return scopedPages(ctx, s.client, opts, s.listURL, s.page)
}

// listURL is A/tokens.
func (s *TokensService) listURL(sc scope) string { return s.client.accountURL(sc.account, collTokens) }

// page fetches one page of tokens at u (see pageFunc). The items decode as
// wire tokens, in one pass, and are then read as Token.UnmarshalJSON
// would.
func (s *TokensService) page(ctx context.Context, u string, q any) ([]*Token, *Response, error) {
	items, resp, err := listValues[wire.Token](ctx, s.client, u, q)
	if err != nil {
		return nil, resp, tokensErr(err)
	}
	tokens := make([]Token, len(items))
	for i := range items {
		tokens[i] = tokenFromWire(&items[i])
	}
	return pointers(tokens), resp, nil
}

// Get returns one token with its scopes (the console's "View"):
// GET A/tokens/{tokenID}.
func (s *TokensService) Get(ctx context.Context, tokenID string) (*Token, *Response, error) {
	if err := validateID("token ID", tokenID); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var t Token
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.accountURL(sc.account, collTokens, tokenID), out: &t})
	if err != nil {
		return nil, resp, tokensErr(err)
	}
	return &t, resp, nil
}

// Create adds a token: POST A/tokens with {"name", "scopes"}. The returned
// Token's Value is the secret, shown this once: store it now. A cut
// connection is not retried (it could create two tokens); the
// *RequestError then has MaybeApplied set.
func (s *TokensService) Create(ctx context.Context, req *CreateTokenRequest) (*Token, *Response, error) {
	if err := req.validate(); err != nil {
		return nil, nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var t Token
	resp, err := s.client.do(ctx, call{method: http.MethodPost, url: s.client.accountURL(sc.account, collTokens), body: req, out: &t})
	if err != nil {
		return nil, resp, tokensErr(err)
	}
	return &t, resp, nil
}

// Delete revokes a token for good: DELETE A/tokens/{tokenID}.
func (s *TokensService) Delete(ctx context.Context, tokenID string) (*Response, error) {
	if err := validateID("token ID", tokenID); err != nil {
		return nil, err
	}
	sc, err := s.client.v1Scope(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.do(ctx, call{method: http.MethodDelete, url: s.client.accountURL(sc.account, collTokens, tokenID)})
	return resp, tokensErr(err)
}

// ScopeInfo describes a scope a token can be granted.
type ScopeInfo struct {
	Name        Scope
	Description string
}

// Scopes lists the scopes a token can be granted: GET /v1/scopes.
func (s *TokensService) Scopes(ctx context.Context) ([]ScopeInfo, *Response, error) {
	var ws []*wire.ScopeInfo
	resp, err := s.client.do(ctx, call{method: http.MethodGet, url: s.client.v1 + pathScopes, out: &ws, limit: limitPage})
	if err != nil {
		return nil, resp, tokensErr(err)
	}
	out := make([]ScopeInfo, 0, len(ws))
	for _, w := range dropNil(ws) {
		out = append(out, ScopeInfo{Scope(w.Name), string(w.Description)})
	}
	return out, resp, nil
}
