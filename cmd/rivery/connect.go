package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// connect builds the client from the RIVERY_* variables, the flags every
// command takes and a console URL given as <river>. Configuration errors
// name the variable or flag the user set, not the SDK option it became.
// With --environment and no account known (a token-only client), it first
// asks GET /api/me which account the token belongs to (one call, bounded by
// ctx).
func (c *cli) connect(ctx context.Context) error {
	opts, err := c.options()
	if err != nil {
		return err
	}
	client, err := rivery.NewClientFromEnv(opts...)
	if err != nil {
		return err
	}
	if c.needAccount {
		me, _, err := client.Me(ctx)
		_ = client.Close()
		if err != nil {
			return fmt.Errorf("--environment: looking up the token's account: %w", err)
		}
		client, err = rivery.NewClientFromEnv(append(opts, rivery.WithAccountID(me.AccountID), rivery.WithEnvironmentID(c.environment))...)
		if err != nil {
			return fmt.Errorf("--environment: %w", err)
		}
	}
	c.client = client
	return nil
}

// optionPrefix is how the SDK's option errors begin.
var optionPrefix = regexp.MustCompile(`^(rivery: )?With[A-Za-z]+: `)

// urlDefaults is what a console URL given as <river> adds to the
// configuration: the region its host names unless RIVERY_REGION or
// RIVERY_BASE_URL is set, and its account and environment IDs (which make
// the client use the v1 API) unless RIVERY_ACCOUNT_ID or
// RIVERY_ENVIRONMENT_ID is set. What the variables set always wins.
func urlDefaults(u *rivery.ConsoleURL, region, base, account, env string) (rivery.Region, string, string) {
	if u == nil {
		return "", "", ""
	}
	var r rivery.Region
	if region == "" && base == "" {
		r = u.Region
	}
	if account != "" || env != "" {
		return r, "", ""
	}
	return r, u.AccountID, u.EnvironmentID
}

// options checks the variables one by one (so that an error names the one
// at fault) and returns the options the flags and a console URL add.
func (c *cli) options() ([]rivery.Option, error) {
	region, base := os.Getenv(rivery.EnvRegion), os.Getenv(rivery.EnvBaseURL)
	account, env := os.Getenv(rivery.EnvAccountID), os.Getenv(rivery.EnvEnvironmentID)
	checks := []struct {
		name, value string
		opts        []rivery.Option
	}{
		{rivery.EnvRegion, region, []rivery.Option{rivery.WithRegion(rivery.Region(strings.ToLower(strings.TrimSpace(region))))}},
		{rivery.EnvBaseURL, base, []rivery.Option{rivery.WithBaseURL(base)}},
		{rivery.EnvAccountID, account, []rivery.Option{rivery.WithAccountID(account), rivery.WithEnvironmentID("e")}},
		{rivery.EnvEnvironmentID, env, []rivery.Option{rivery.WithAccountID("a"), rivery.WithEnvironmentID(env)}},
		{"--environment", c.environment, []rivery.Option{rivery.WithAccountID("a"), rivery.WithEnvironmentID(c.environment)}},
	}
	for _, ch := range checks {
		if ch.value == "" {
			continue
		}
		if _, err := rivery.NewClient("probe", ch.opts...); err != nil { // no I/O: it only checks
			return nil, fmt.Errorf("%s: %s", ch.name, optionPrefix.ReplaceAllString(err.Error(), ""))
		}
	}
	switch {
	case region != "" && base != "":
		return nil, fmt.Errorf("%s and %s conflict: set one", rivery.EnvRegion, rivery.EnvBaseURL)
	case account == "" && env != "", account != "" && env == "" && c.environment == "":
		return nil, fmt.Errorf("%s and %s must be set together", rivery.EnvAccountID, rivery.EnvEnvironmentID)
	}
	opts := []rivery.Option{rivery.WithUserAgent("rivery-cli")}
	urlRegion, urlAccount, urlEnv := urlDefaults(c.console, region, base, account, env)
	if urlRegion != "" {
		c.urlRegion = urlRegion
		opts = append(opts, rivery.WithRegion(urlRegion))
	}
	if urlAccount != "" {
		account = urlAccount
		opts = append(opts, rivery.WithAccountID(urlAccount), rivery.WithEnvironmentID(urlEnv))
	}
	if c.verbose && (urlRegion != "" || urlAccount != "") {
		fmt.Fprintf(c.stderr, "rivery: from the console URL: %s\n", urlSummary(urlRegion, urlAccount, urlEnv))
	}
	c.needAccount = c.environment != "" && account == ""
	if c.environment != "" && !c.needAccount {
		opts = append(opts, rivery.WithEnvironmentID(c.environment))
	}
	c.v1 = account != "" || c.environment != ""
	if c.budgetN > 0 {
		opts = append(opts, rivery.WithRequestBudget(c.budgetN, c.budgetPer))
	}
	if c.trace != nil {
		opts = append(opts, rivery.WithObserver(c.trace)) // only when tracing: no cost otherwise
	}
	if !c.quiet {
		opts = append(opts, rivery.WithRetryNotify(c.retryLine))
	}
	if c.verbose || !c.quiet {
		// Each HTTP call: printed with --verbose, and timing run --wait's
		// next status check.
		opts = append(opts, rivery.WithLogger(slog.New(attemptHandler{c})))
	}
	if c.dryRun {
		opts = append(opts, c.dryRunOptions()...)
	}
	return opts, nil
}

// urlSummary says what was taken from a console URL.
func urlSummary(region rivery.Region, account, env string) string {
	var parts []string
	if region != "" {
		parts = append(parts, "region "+string(region))
	}
	if account != "" {
		parts = append(parts, "account "+account+", environment "+env+" (v1 API)")
	}
	return strings.Join(parts, "; ")
}

// retryLine reports a retry on stderr, naming what went wrong.
func (c *cli) retryLine(i rivery.RetryInfo) {
	cause := "a network error"
	switch {
	case i.StatusCode != 0 && i.Err != nil:
		cause = fmt.Sprintf("HTTP %d, %s", i.StatusCode, netCause(i.Err))
	case i.StatusCode != 0:
		cause = fmt.Sprintf("HTTP %d", i.StatusCode)
	case i.Err != nil:
		cause = netCause(i.Err)
	}
	wait := i.Wait
	if wait >= 100*time.Millisecond {
		wait = wait.Round(100 * time.Millisecond)
	}
	c.errLine(fmt.Sprintf("rivery: %s; retrying (attempt %d of %d) in %v", cause, i.Attempt, i.MaxAttempts, wait))
}

// deadline bounds ctx by --timeout, or by the default for a command that
// waits (long) or not.
func (c *cli) deadline(ctx context.Context, long bool) (context.Context, context.CancelFunc) {
	c.bound = c.timeout
	if c.bound == 0 {
		c.bound = defaultTimeout
		if long {
			c.bound = defaultWaitTimeout
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.bound)
	c.bounded = ctx
	return ctx, cancel
}

// where names the region or base URL calls go to, for the 401 hint.
func (c *cli) where() string {
	if base := os.Getenv(rivery.EnvBaseURL); base != "" {
		return "RIVERY_BASE_URL " + base
	}
	if r := strings.ToLower(strings.TrimSpace(os.Getenv(rivery.EnvRegion))); r != "" {
		return "the " + r + " region (RIVERY_REGION)"
	}
	if c.urlRegion != "" {
		return "the " + string(c.urlRegion) + " region (from the console URL's host)"
	}
	return "the us region (the default; RIVERY_REGION is not set)"
}
