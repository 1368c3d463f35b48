package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) dataframesCmd() *cobra.Command {
	return c.group("dataframes", "List, show, create, update, clear, download and delete dataframes (v1 API).",
		c.dataframesListCmd(), c.dataframesGetCmd(), c.dataframesCreateCmd(), c.dataframesUpdateCmd(),
		c.dataframesClearCmd(), c.dataframesDownloadCmd(), c.dataframesDeleteCmd())
}

func (c *cli) dataframesListCmd() *cobra.Command {
	return listCmd(c, spec{use: "list", short: "List the environment's dataframes, settings redacted (v1 API)."},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.Dataframe, error] {
			return c.client.Dataframes.All(ctx, &rivery.ListOptions{PerPage: 500})
		},
		tableOf("NAME\tSTORAGE\tPATH", func(d *rivery.Dataframe) []string {
			return []string{d.Name, storageOf(d), d.Path}
		}))
}

// storageOf says where a dataframe keeps its data, without the settings.
func storageOf(d *rivery.Dataframe) string {
	if d.Settings == nil {
		return "rivery"
	}
	return "file zone (" + d.Settings.StorageType + ")"
}

// settingsJSON is a dataframe's settings as the API writes them: what
// --show-settings prints.
func settingsJSON(s *rivery.DataframeSettings) map[string]any {
	if s == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range s.Extra {
		if k != "" {
			out[k] = v
		}
	}
	for k, v := range map[string]string{"connection": s.ConnectionID, "datasource_id": s.DatasourceID, "storage_type": s.StorageType, "default_bucket": s.DefaultBucket} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// shownDataframe is a dataframe with its settings, for --show-settings.
type shownDataframe struct {
	*rivery.Dataframe
	Settings map[string]any `json:"connection_settings"`
}

// MarshalJSON writes the dataframe's JSON with the settings themselves.
func (d shownDataframe) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(d.Dataframe)
	if err != nil || d.Settings == nil {
		return b, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["connection_settings"] = d.Settings
	return json.Marshal(m)
}

func (c *cli) dataframesGetCmd() *cobra.Command {
	var show bool
	cmd := showCmd(c, spec{use: "get <dataframe>", short: "Show a dataframe; its settings only with --show-settings (v1 API)."},
		func(ctx context.Context, args []string) (shownDataframe, error) {
			d, _, err := c.client.Dataframes.Get(ctx, args[0])
			if err != nil {
				return shownDataframe{}, err
			}
			out := shownDataframe{Dataframe: d}
			if show {
				out.Settings = settingsJSON(d.Settings)
			}
			return out, nil
		},
		func(w io.Writer, d shownDataframe) error {
			settings := redactedOr(d.Dataframe.Settings != nil, "none")
			if d.Settings != nil {
				b, _ := json.Marshal(d.Settings)
				settings = string(b)
			}
			_, err := fmt.Fprintf(w, "Name:      %s\nID:        %s\nPath:      %s\nStorage:   %s\nSettings:  %s\nRetention: %s\n",
				printable(d.Name), printable(d.ID), printable(d.Path), printable(storageOf(d.Dataframe)), printable(settings), printable(d.ClearOnRiverEnd))
			return err
		})
	cmd.Flags().BoolVar(&show, "show-settings", false, "print the connection settings (a connection and a bucket) instead of [redacted]")
	return cmd
}

func redactedOr(set bool, none string) string {
	if set {
		return "[redacted]"
	}
	return none
}

// settingsFlags build a dataframe's settings from flags.
type settingsFlags struct {
	s rivery.DataframeSettings
}

func (f *settingsFlags) define(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.s.ConnectionID, "connection", "", "the file zone's `connection-id`")
	fs.StringVar(&f.s.DefaultBucket, "bucket", "", "the bucket (or a variable such as {aws_file_zone})")
	fs.StringVar(&f.s.StorageType, "storage-type", "", "the storage, e.g. aws")
	fs.StringVar(&f.s.DatasourceID, "datasource", "", "the storage's source type, e.g. s3")
}

// settings returns the settings, or nil when no flag set one.
func (f *settingsFlags) settings() *rivery.DataframeSettings {
	if f.s.ConnectionID == "" && f.s.DefaultBucket == "" && f.s.StorageType == "" && f.s.DatasourceID == "" {
		return nil
	}
	s := f.s
	return &s
}

// dataframeLine is how a dataframe a write answered prints as text.
func dataframeLine(verb string) func(*rivery.Dataframe) string {
	return func(d *rivery.Dataframe) string { return verb + " dataframe " + d.Name }
}

func (c *cli) dataframesCreateCmd() *cobra.Command {
	var sf settingsFlags
	cmd := changeCmd(c, spec{use: "create <dataframe>", short: "Create a dataframe, in Rivery's storage or (with --connection and --bucket) a file zone (v1 API).",
		long: "A create is not sent twice: when the connection breaks after the request left, the command says so; look with dataframes get before trying again."},
		func(ctx context.Context, args []string) (*rivery.Dataframe, error) {
			d, _, err := c.client.Dataframes.Create(ctx, &rivery.CreateDataframeRequest{Name: args[0], Settings: sf.settings()})
			return d, err
		}, dataframeLine("created"))
	sf.define(cmd)
	return cmd
}

func (c *cli) dataframesUpdateCmd() *cobra.Command {
	var sf settingsFlags
	var cmd *cobra.Command
	cmd = changeCmd(c, spec{use: "update <dataframe>", short: "Change a dataframe's settings: the flags given replace theirs, the others stay (v1 API)."},
		func(ctx context.Context, args []string) (*rivery.Dataframe, error) {
			d, _, err := c.client.Dataframes.Get(ctx, args[0])
			if err != nil {
				return nil, err
			}
			s := d.Settings
			if s == nil {
				s = &rivery.DataframeSettings{}
			}
			for flag, field := range map[string]*string{"connection": &s.ConnectionID, "bucket": &s.DefaultBucket, "storage-type": &s.StorageType, "datasource": &s.DatasourceID} {
				if cmd.Flags().Changed(flag) {
					*field = cmd.Flags().Lookup(flag).Value.String()
				}
			}
			d, _, err = c.client.Dataframes.Update(ctx, args[0], s)
			return d, err
		}, dataframeLine("updated"))
	sf.define(cmd)
	return cmd
}

func (c *cli) dataframesClearCmd() *cobra.Command {
	var wf waitFlags
	cmd := changeCmd(c, spec{use: "clear <dataframe>", short: "Empty a dataframe, keeping it, and wait until it is; asks first on a terminal, needs --yes otherwise (v1 API).",
		timeoutHelp: "give up after this long and exit 124 (default 1m; 30m when waiting)", waitLong: &wf.wait,
		confirm: func(args []string) string { return "clear dataframe " + args[0] + " (its data is deleted)" }},
		func(ctx context.Context, args []string) (operationJSON, error) {
			return c.startOperation(ctx, &wf, func() (*rivery.Operation, *rivery.Response, error) { return c.client.Dataframes.Clear(ctx, args[0]) })
		},
		func(op operationJSON) string {
			line := "cleared"
			if op.Status != string(rivery.OperationDone) {
				line = "clearing"
			}
			return line + " (operation " + op.ID + ", " + op.Status + ")"
		})
	wf.define(cmd)
	return cmd
}

// downloaded is what dataframes download --json prints: the files
// written, never their URLs.
type downloaded struct {
	Dataframe string           `json:"dataframe"`
	Files     []downloadedFile `json:"files"`
	Bytes     int64            `json:"bytes"`
}

type downloadedFile struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
}

func (c *cli) dataframesDownloadCmd() *cobra.Command {
	var dir string
	var poll = rivery.DefaultMinInterval
	long := true
	cmd := showCmd(c, spec{use: "download <dataframe>", short: "Download a dataframe: its files into --dir, or their content to stdout (v1 API).",
		long: "The API prepares the files (an operation, waited for), then each is streamed from a short-lived URL without the token. " +
			"Without --dir the files' content goes to stdout one after the other; --json needs --dir and prints what was written.",
		timeoutHelp: "give up after this long and exit 124 (default 30m)", waitLong: &long,
		check: func([]string) error {
			if dir == "" && c.out.format == formatJSON {
				return usagef("--json prints what was written: it needs --dir")
			}
			return nil
		}},
		func(ctx context.Context, args []string) (downloaded, error) {
			opts := &rivery.WaitOptions{MinInterval: poll, MaxInterval: max(poll, rivery.DefaultMaxInterval)}
			out := downloaded{Dataframe: args[0], Files: []downloadedFile{}}
			if dir == "" {
				n, err := c.client.Dataframes.Download(ctx, args[0], c.stdout, opts)
				out.Bytes = n
				return out, err
			}
			files, err := c.client.Dataframes.Export(ctx, args[0], opts)
			if err != nil {
				return out, err
			}
			for i, f := range files {
				name := filepath.Join(dir, fileName(f, i))
				n, err := c.writeFile(ctx, name, f)
				out.Files = append(out.Files, downloadedFile{name, n})
				out.Bytes += n
				if err != nil {
					return out, err
				}
			}
			return out, nil
		},
		func(w io.Writer, d downloaded) error {
			if dir == "" {
				return nil // the content went to stdout
			}
			for _, f := range d.Files {
				if _, err := fmt.Fprintf(w, "%s\t%d bytes\n", printable(f.Path), f.Bytes); err != nil {
					return err
				}
			}
			c.errLine(fmt.Sprintf("downloaded %s of dataframe %s (%d bytes)", plural(len(d.Files), "file"), d.Dataframe, d.Bytes))
			return nil
		})
	cmd.Flags().StringVar(&dir, "dir", "", "write each file into this `directory`, under its own name")
	cmd.Flags().Var(&durationValue{d: &poll, positive: true}, "poll-interval", "first wait between operation status calls; it doubles up to 30s")
	return cmd
}

// fileName is the base name of an export's file i: its URL path's last
// segment, or part-i.
func fileName(f rivery.PresignedURL, i int) string {
	u, err := url.Parse(string(f))
	if err == nil {
		if base := path.Base(u.Path); base != "." && base != "/" && base != "" && base != ".." {
			return base
		}
	}
	return "part-" + strconv.Itoa(i)
}

// writeFile streams f into a new file name.
func (c *cli) writeFile(ctx context.Context, name string, f rivery.PresignedURL) (int64, error) {
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // the user names the directory
	if err != nil {
		return 0, err
	}
	n, _, err := c.client.Dataframes.CopyFile(ctx, f, out)
	return n, errors.Join(err, out.Close())
}

func (c *cli) dataframesDeleteCmd() *cobra.Command {
	return changeCmd(c, spec{
		use:     "delete <dataframe>",
		short:   "Delete a dataframe and its data; asks first on a terminal, needs --yes otherwise (v1 API).",
		confirm: func(args []string) string { return "delete dataframe " + args[0] },
	}, func(ctx context.Context, args []string) (deleted, error) {
		_, err := c.client.Dataframes.Delete(ctx, args[0])
		return deleted{Deleted: "dataframe", ID: args[0]}, err
	}, deletedLine)
}
