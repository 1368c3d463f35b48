package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) cdcCmd() *cobra.Command {
	return c.group("cdc", "Turn a river's change data capture on and off, and read or set its position (v1 API).",
		c.cdcGetCmd(), c.cdcSetCmd(), c.cdcDeleteCmd(), c.cdcToggleCmd(true), c.cdcToggleCmd(false))
}

func (c *cli) cdcGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <river>", short: "Show a river's CDC position; --json prints it as cdc set reads it (v1 API).",
		long: "The API answers 400 while the river's log reading is off, and until the connector has read a change."},
		func(ctx context.Context, args []string) (*rivery.CDCConfig, error) {
			cfg, _, err := c.client.CDC.Config(ctx, args[0])
			return cfg, err
		},
		func(w io.Writer, cfg *rivery.CDCConfig) error {
			rows := [][]string{{"datasource_type", cfg.DatasourceType}, {"last_updated", formatTime(cfg.LastUpdated)}}
			for _, k := range slices.Sorted(maps.Keys(cfg.Offset)) {
				v, _ := json.Marshal(cfg.Offset[k])
				if s, ok := cfg.Offset[k].(string); ok {
					v = []byte(s)
				}
				rows = append(rows, []string{k, string(v)})
			}
			return writeTable(w, "FIELD\tVALUE", rows)
		})
}

func (c *cli) cdcSetCmd() *cobra.Command {
	var file string
	cmd := actionCmd(c, spec{use: "set <river>", short: "Set a river's CDC position from a file (v1 API).",
		long:    "The file holds {\"config\": {...}} (what cdc get --json prints) or the inner object: datasource_type and the offset's fields. The API does not check them.",
		example: "  rivery cdc get 63b724fc690def001131d242 --json > position.json\n  rivery cdc set 63b724fc690def001131d242 --file position.json"},
		func(ctx context.Context, args []string) (string, error) {
			data, err := c.readBody(file, 1<<20)
			if err != nil {
				return "", err
			}
			cfg, err := rivery.ParseCDCConfig(data)
			if err != nil {
				return "", err
			}
			_, err = c.client.CDC.SetConfig(ctx, args[0], cfg)
			return "set the CDC position of river " + args[0], err
		})
	cmd.Flags().StringVarP(&file, "file", "f", "", "the position, as JSON (- for stdin)")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func (c *cli) cdcDeleteCmd() *cobra.Command {
	return changeCmd(c, spec{
		use:     "delete <river>",
		short:   "Delete a river's CDC position: its next run reads from the log's end; asks first on a terminal, needs --yes otherwise (v1 API).",
		confirm: func(args []string) string { return "delete the CDC position of river " + args[0] },
	}, func(ctx context.Context, args []string) (deleted, error) {
		_, err := c.client.CDC.DeleteConfig(ctx, args[0])
		return deleted{Deleted: "cdc_position", ID: args[0]}, err
	}, func(d deleted) string { return "deleted the CDC position of river " + d.ID })
}

func (c *cli) cdcToggleCmd(enable bool) *cobra.Command {
	var wf waitFlags
	verb, what := "disable", "off"
	if enable {
		verb, what = "enable", "on"
	}
	cmd := showCmd(c, spec{use: verb + " <river>", short: "Turn a river's database log reading " + what + ", and wait until it is (v1 API).",
		long:        "The API answers an operation, which is followed to its end (--no-wait prints it as it started); a river already " + what + " needs none.",
		timeoutHelp: "give up after this long and exit 124 (default 1m; 30m when waiting)", waitLong: &wf.wait},
		func(ctx context.Context, args []string) (operationJSON, error) {
			toggle := c.client.CDC.Disable
			if enable {
				toggle = c.client.CDC.Enable
			}
			return c.startOperation(ctx, &wf, func() (*rivery.Operation, *rivery.Response, error) { return toggle(ctx, args[0]) })
		},
		func(w io.Writer, op operationJSON) error {
			line := "CDC " + verb + "d"
			if op.ID != "" {
				line += " (operation " + op.ID + ", " + op.Status + ")"
			}
			_, err := fmt.Fprintln(w, printable(line))
			return err
		})
	wf.define(cmd)
	return cmd
}
