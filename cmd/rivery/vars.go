package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"slices"

	"github.com/rivery-go/rivery"
)

func varsEnvList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
	vars, _, err := c.client.Variables.List(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(vars)
	}
	names := slices.Sorted(maps.Keys(vars))
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = []string{n, vars[n]}
	}
	return c.table("NAME\tVALUE", rows)
}

func varsEnvSet(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, false)
	if err != nil {
		return err
	}
	defer cancel()
	if _, err := c.client.Variables.Set(ctx, map[string]string{pos[0]: pos[1]}); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "set %s\n", pos[0])
	return err
}

func varsEnvDelete(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, false)
	if err != nil {
		return err
	}
	defer cancel()
	// The API answers a DELETE of a missing name with success, and the SDK
	// sends the DELETE alone: the command reads the variables first so that
	// a mistyped name is an error (one request more, for a person typing).
	vars, _, err := c.client.Variables.List(ctx)
	if err != nil {
		return err
	}
	if _, ok := vars[pos[0]]; !ok {
		return fmt.Errorf("%w: the environment has no variable %q: nothing deleted", rivery.ErrNoSuchVariable, pos[0])
	}
	if _, err := c.client.Variables.Delete(ctx, pos[0]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "deleted %s\n", pos[0])
	return err
}

func varsRiverGet(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, true)
	if err != nil {
		return err
	}
	defer cancel()
	vars, err := c.client.RiverVariables.GetAll(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(vars)
	}
	rows := make([][]string, len(vars))
	for i, v := range vars {
		value := fmt.Sprint(v.Value)
		flags := ""
		if st := v.Settings; st != nil {
			if st.IsEncrypted {
				value, flags = "(encrypted)", "encrypted "
			}
			if st.IsMultiValue {
				flags += "multi-value "
			}
			if st.ClearValueOnStart {
				flags += "clear-on-start"
			}
		}
		rows[i] = []string{v.Name, value, flags}
	}
	return c.table("NAME\tVALUE\tSETTINGS", rows)
}

func varsRiverSet(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	encrypted := fs.Bool("encrypted", false, "store the value encrypted")
	clearOnStart := fs.Bool("clear-on-start", false, "clear the value when a run starts")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 3, true)
	if err != nil {
		return err
	}
	defer cancel()
	v := &rivery.RiverVariable{Name: pos[1], Value: pos[2]}
	fs.Visit(func(f *flag.Flag) { // settings only when asked: otherwise they stay
		v.Settings = &rivery.RiverVariableSettings{IsEncrypted: *encrypted, ClearValueOnStart: *clearOnStart}
	})
	vars, err := c.client.RiverVariables.Set(ctx, pos[0], v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "set %s; the river has %d variables\n", pos[1], len(vars))
	return err
}
