package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// applyResult is what apply did, for --json.
type applyResult struct {
	Action  string `json:"action"` // created, updated, unchanged, or with --dry-run would-create, would-update
	RiverID string `json:"river_id,omitempty"`
	Name    string `json:"name"`
}

func (c *cli) riversApplyCmd() *cobra.Command {
	var file, target string
	var dryRun bool
	cmd := c.leaf(spec{
		use:   "apply",
		short: "Create or update the river a definition file names: the promote step of a CI pipeline (v1 API).",
		long: `The river is created in the environment --environment (or RIVERY_ENVIRONMENT_ID)
selects, or the river of the same name (or --river) is updated; an identical
river is left alone (no new version).`,
		example: "  rivery rivers export 63b724fc690def001131d242 > orders.json\n  rivery rivers apply -f orders.json --environment 6a7b8c9d0e1f2a3b4c5d6e7f",
		flags:   apiFlags | outputOne,
		run: func(ctx context.Context, _ []string) error {
			data, err := c.readBody(file, 16<<20)
			if err != nil {
				return err
			}
			def, err := rivery.ParseRiverDefinition(data)
			if err != nil {
				return err
			}
			if def.Name() == "" {
				return usagef("the definition in %s has no name", file)
			}
			res, err := apply(ctx, c.client, def, target, dryRun)
			if err != nil {
				return err
			}
			if c.out.format == formatJSON {
				return c.printJSON(res)
			}
			switch res.Action {
			case "created":
				c.errLine("A new river may be created disabled: activate it once its connections are ready.")
			case "would-create":
				c.errLine("dry run: nothing changed")
			}
			if res.RiverID == "" {
				return c.println(fmt.Sprintf("%s river %q", res.Action, res.Name))
			}
			return c.println(fmt.Sprintf("%s river %s (%s)", res.Action, res.RiverID, res.Name))
		},
	})
	fs := cmd.Flags()
	fs.StringVarP(&file, "file", "f", "", "the definition, as rivers export prints it (- for stdin)")
	fs.StringVar(&target, "river", "", "the `river` to update (default: the one with the definition's name; none: create)")
	fs.BoolVar(&dryRun, "dry-run", false, "say what would be done, change nothing")
	_ = cmd.MarkFlagRequired("file")
	_ = cmd.MarkFlagFilename("file", "json")
	return cmd
}

// apply creates def, or updates the river target (or else the one river
// named as def is); a river already equal to def is left alone.
func apply(ctx context.Context, client *rivery.Client, def *rivery.RiverDefinition, target string, dryRun bool) (applyResult, error) {
	res := applyResult{Name: def.Name()}
	if target == "" {
		id, err := riverNamed(ctx, client, def.Name())
		if err != nil {
			return res, err
		}
		target = id
	}
	if target == "" {
		res.Action = "would-create"
		if dryRun {
			return res, nil
		}
		created, _, err := client.Rivers.Create(ctx, def)
		if err != nil {
			return res, err
		}
		res.Action, res.RiverID = "created", created.ID()
		return res, nil
	}
	res.RiverID = target
	want := def.Portable()
	if dryRun {
		cur, _, err := client.Rivers.GetDefinition(ctx, target)
		if err != nil {
			return res, err
		}
		res.Action = "would-update"
		if cur.Portable().Equal(want) {
			res.Action = "unchanged"
		}
		return res, nil
	}
	res.Action = "unchanged"
	_, err := client.Rivers.Update(ctx, target, func(cur *rivery.RiverDefinition) error {
		if !cur.Portable().Equal(want) {
			cur.CopyFrom(want) // keeps the river's IDs and status
			res.Action = "updated"
		}
		return nil
	})
	return res, err
}

// riverNamed returns the ID of the one river named name, "" when there is
// none, and an error when there are several.
func riverNamed(ctx context.Context, client *rivery.Client, name string) (string, error) {
	var ids []string
	for r, err := range client.Rivers.SearchAll(ctx, &rivery.SearchRiversOptions{Name: name, ListOptions: rivery.ListOptions{PerPage: 500}}) {
		if err != nil {
			return "", err
		}
		if r.Name == name { // search matches parts of names
			ids = append(ids, r.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", nil
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("%d rivers are named %q (%v): pick one with --river", len(ids), name, ids)
}
