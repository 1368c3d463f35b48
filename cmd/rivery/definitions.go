package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rivery-go/rivery"
)

func riversSearch(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	opts := &rivery.SearchRiversOptions{ListOptions: rivery.ListOptions{PerPage: 500}}
	fs.StringVar(&opts.Query, "query", "", "free text")
	fs.StringVar(&opts.Name, "name", "", "rivers whose name holds this")
	status := fs.String("status", "", "active or disabled")
	fs.StringVar(&opts.Type, "type", "", "river type, e.g. source_to_target or logic")
	fs.StringVar(&opts.GroupID, "group", "", "rivers of this group")
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
	opts.Status = rivery.RiverStatus(*status)
	rivers := []*rivery.River{}
	for r, err := range c.client.Rivers.SearchAll(ctx, opts) {
		if err != nil {
			return err
		}
		rivers = append(rivers, r)
	}
	if *asJSON {
		return c.printJSON(rivers)
	}
	rows := make([][]string, len(rivers))
	for i, r := range rivers {
		rows[i] = []string{r.ID, r.Name, r.Type, string(r.Status), r.GroupName}
	}
	return c.table("RIVER ID\tNAME\tTYPE\tSTATUS\tGROUP", rows)
}

func riversCopy(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print the copy's definition as JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, true)
	if err != nil {
		return err
	}
	defer cancel()
	cp, _, err := c.client.Rivers.Copy(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stderr, "The copy is disabled, but keeps the original's schedule and target: activating it starts that schedule.")
	if *asJSON {
		return c.printJSON(cp)
	}
	_, err = fmt.Fprintf(c.stdout, "copied river %s to %s (%s)\n", pos[0], printable(cp.ID()), printable(cp.Name()))
	return err
}

func riversVersions(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, true)
	if err != nil {
		return err
	}
	defer cancel()
	versions := []*rivery.RiverVersion{}
	for v, err := range c.client.Rivers.AllVersions(ctx, pos[0], &rivery.ListOptions{PerPage: 500}) {
		if err != nil {
			return err
		}
		versions = append(versions, v)
	}
	if *asJSON {
		return c.printJSON(versions)
	}
	rows := make([][]string, len(versions))
	for i, v := range versions {
		mark := ""
		if v.Bookmarked {
			mark = "yes"
		}
		rows[i] = []string{v.ID, formatTime(v.CreatedAt), v.CreatedBy, mark}
	}
	return c.table("VERSION ID\tSAVED\tBY\tBOOKMARKED", rows)
}

func riversRestore(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	if _, err := c.client.Rivers.Restore(ctx, pos[0], pos[1]); err != nil {
		if errors.Is(err, rivery.ErrBadRequest) {
			return fmt.Errorf("%w (an active river must be disabled before a restore, and activated after)", err)
		}
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "restored river %s to version %s (as a new version)\n", pos[0], pos[1])
	return err
}

func riversExport(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	raw := fs.Bool("raw", false, "print the definition as the API sends it, IDs, status and versions included")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, true)
	if err != nil {
		return err
	}
	defer cancel()
	def, _, err := c.client.Rivers.GetDefinition(ctx, pos[0])
	if err != nil {
		return err
	}
	if !*raw {
		def = def.Portable()
	}
	return c.printJSON(def)
}

// applyResult is what apply did, for --json.
type applyResult struct {
	Action  string `json:"action"` // created, updated, unchanged, or with --dry-run would-create, would-update
	RiverID string `json:"river_id,omitempty"`
	Name    string `json:"name"`
}

func riversApply(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	file := fs.String("f", "", "the definition, as rivers export prints it (- for stdin)")
	target := fs.String("river", "", "the river to update (default: the one with the definition's name; none: create)")
	dryRun := fs.Bool("dry-run", false, "say what would be done, change nothing")
	asJSON := fs.Bool("json", false, "print the outcome as JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
	if *file == "" {
		return usagef("rivers apply needs -f FILE")
	}
	def, err := readDefinition(*file)
	if err != nil {
		return err
	}
	if def.Name() == "" {
		return usagef("the definition in %s has no name", *file)
	}
	res, err := apply(ctx, c.client, def, *target, *dryRun)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(res)
	}
	switch res.Action {
	case "created":
		fmt.Fprintln(c.stderr, "A new river may be created disabled: activate it once its connections are ready.")
	case "would-create":
		fmt.Fprintln(c.stderr, "dry run: nothing changed")
	}
	if res.RiverID == "" {
		_, err = fmt.Fprintf(c.stdout, "%s river %q\n", res.Action, printable(res.Name))
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "%s river %s (%s)\n", res.Action, printable(res.RiverID), printable(res.Name))
	return err
}

// readDefinition reads a definition from a file, or stdin for "-".
func readDefinition(name string) (*rivery.RiverDefinition, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
	} else {
		data, err = os.ReadFile(name) //nolint:gosec // the user names the file to apply
	}
	if err != nil {
		return nil, err
	}
	return rivery.ParseRiverDefinition(data)
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
