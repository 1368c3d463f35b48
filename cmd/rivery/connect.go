package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// connect builds the client from the RIVERY_* variables and the flags
// every command takes. Configuration errors name the variable or flag the
// user set, not the SDK option it became.
func (c *cli) connect() error {
	opts, err := c.options()
	if err != nil {
		return err
	}
	client, err := rivery.NewClientFromEnv(opts...)
	if err != nil {
		return err
	}
	c.client = client
	return nil
}

// optionPrefix is how the SDK's option errors begin.
var optionPrefix = regexp.MustCompile(`^(rivery: )?With[A-Za-z]+: `)

// options checks the variables one by one (so that an error names the one
// at fault) and returns the options the flags add.
func (c *cli) options() ([]rivery.Option, error) {
	region, base := os.Getenv(rivery.EnvRegion), os.Getenv(rivery.EnvBaseURL)
	account, env := os.Getenv(rivery.EnvAccountID), os.Getenv(rivery.EnvEnvironmentID)
	envName := rivery.EnvEnvironmentID
	if c.environment != "" {
		env, envName = c.environment, "--environment"
	}
	checks := []struct {
		name, value string
		opts        []rivery.Option
	}{
		{rivery.EnvRegion, region, []rivery.Option{rivery.WithRegion(rivery.Region(strings.ToLower(strings.TrimSpace(region))))}},
		{rivery.EnvBaseURL, base, []rivery.Option{rivery.WithBaseURL(base)}},
		{rivery.EnvAccountID, account, []rivery.Option{rivery.WithAccountID(account), rivery.WithEnvironmentID("e")}},
		{envName, env, []rivery.Option{rivery.WithAccountID("a"), rivery.WithEnvironmentID(env)}},
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
	case c.environment != "" && account == "":
		return nil, usagef("--environment needs %s, the account the environment belongs to", rivery.EnvAccountID)
	case (account == "") != (env == ""):
		return nil, fmt.Errorf("%s and %s must be set together", rivery.EnvAccountID, rivery.EnvEnvironmentID)
	}
	opts := []rivery.Option{rivery.WithUserAgent("rivery-cli")}
	if c.environment != "" {
		opts = append(opts, rivery.WithEnvironmentID(c.environment))
	}
	if c.verbose || isTerminal(c.stderr) {
		opts = append(opts, rivery.WithRetryNotify(c.retryLine))
	}
	return opts, nil
}

// retryLine reports a retry on stderr. The CLI makes one call at a time.
func (c *cli) retryLine(i rivery.RetryInfo) {
	cause := "a network error"
	if i.StatusCode != 0 {
		cause = fmt.Sprintf("HTTP %d", i.StatusCode)
	}
	wait := i.Wait
	if wait >= 100*time.Millisecond {
		wait = wait.Round(100 * time.Millisecond)
	}
	erase := "" // on a terminal, replace run --wait's live status line
	if isTerminal(c.stderr) {
		erase = "\r\033[K"
	}
	fmt.Fprintf(c.stderr, "%srivery: %s; retrying (attempt %d of %d) in %v\n", erase, cause, i.Attempt, i.MaxAttempts, wait)
}

// where names the region or base URL calls go to, for the 401 hint.
func where() string {
	if base := os.Getenv(rivery.EnvBaseURL); base != "" {
		return "RIVERY_BASE_URL " + base
	}
	if r := strings.ToLower(strings.TrimSpace(os.Getenv(rivery.EnvRegion))); r != "" {
		return "the " + r + " region (RIVERY_REGION)"
	}
	return "the us region (the default; RIVERY_REGION is not set)"
}
