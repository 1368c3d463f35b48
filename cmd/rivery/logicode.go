package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) logicodeCmd() *cobra.Command {
	return c.group("logicode", "Upload and read Logicode files, the Python of logic rivers' code steps (v1 API).",
		c.logicodeUploadCmd(), c.logicodeGetCmd(), c.logicodeFetchCmd("template", "Print the Python template of a new Logicode step"),
		c.logicodeFetchCmd("requirements", "Print the requirements file of Logicode steps (the packages they may import)"), c.logicodeResourcesCmd())
}

// uploaded is what logicode upload prints with --json: the file's ID and
// name under the keys logicode get --json uses.
type uploaded struct {
	ID    string `json:"file_id"`
	Name  string `json:"filename"`
	Bytes int64  `json:"bytes"`
}

func (c *cli) logicodeUploadCmd() *cobra.Command {
	var name string
	cmd := showCmd(c, spec{use: "upload <file>", short: "Upload a file as a new Logicode file and print its ID (v1 API).",
		long: "The file is streamed to a presigned URL of Rivery's storage, without the token. Files cannot be changed: " +
			"a new version is a new upload, with a new ID, for the Logicode step to name.",
		example: "  rivery logicode upload transform.py --json"},
		func(ctx context.Context, args []string) (uploaded, error) {
			f, err := os.Open(args[0])
			if err != nil {
				return uploaded{}, err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return uploaded{}, err
			}
			if name == "" {
				name = filepath.Base(args[0])
			}
			lf, err := c.client.Logicode.Upload(ctx, name, f, st.Size())
			if err != nil {
				return uploaded{}, err
			}
			return uploaded{lf.ID, lf.Name, st.Size()}, nil
		},
		func(w io.Writer, u uploaded) error {
			_, err := fmt.Fprintf(w, "uploaded %s as Logicode file %s (%d bytes)\n", printable(u.Name), printable(u.ID), u.Bytes)
			return err
		})
	cmd.Flags().StringVar(&name, "name", "", "the file's name in Rivery (default: the file's own)")
	return cmd
}

// logicodeFileJSON is what logicode get and template --json print: the
// content, never the URL.
type logicodeFileJSON struct {
	ID      string `json:"file_id,omitempty"`
	Name    string `json:"filename"`
	Content string `json:"content"`
}

func (c *cli) logicodeGetCmd() *cobra.Command {
	var onlyURL bool
	cmd := showCmd(c, spec{use: "get <file-id>", short: "Print a Logicode file's content; --json prints it with the file's ID and name (v1 API).",
		long: "The content is streamed from a presigned URL without the token; --url prints that short-lived URL instead.",
		check: func([]string) error {
			if onlyURL && c.out.format == formatJSON {
				return usagef("--url prints the URL alone, not a JSON document: drop --json")
			}
			return nil
		}},
		func(ctx context.Context, args []string) (logicodeFileJSON, error) {
			f, _, err := c.client.Logicode.Get(ctx, args[0])
			switch {
			case err != nil:
				return logicodeFileJSON{}, err
			case onlyURL:
				return logicodeFileJSON{}, c.println(string(f.URL))
			case c.out.format != formatJSON:
				_, err = c.client.Logicode.Read(ctx, args[0], c.stdout)
				return logicodeFileJSON{}, err
			}
			var buf bytes.Buffer
			_, err = c.client.Logicode.Read(ctx, args[0], &buf)
			return logicodeFileJSON{f.ID, f.Name, buf.String()}, err
		},
		func(io.Writer, logicodeFileJSON) error { return nil }) // the content went to stdout
	cmd.Flags().BoolVar(&onlyURL, "url", false, "print the short-lived presigned URL instead of the content")
	return cmd
}

func (c *cli) logicodeFetchCmd(what, short string) *cobra.Command {
	return showCmd(c, spec{use: what, short: short + " (v1 API).", flags: accountWide},
		func(ctx context.Context, _ []string) (logicodeFileJSON, error) {
			fetch := c.client.Logicode.Template
			if what == "requirements" {
				fetch = c.client.Logicode.Requirements
			}
			if c.out.format != formatJSON {
				_, err := fetch(ctx, c.stdout)
				return logicodeFileJSON{}, err
			}
			var buf bytes.Buffer
			_, err := fetch(ctx, &buf)
			return logicodeFileJSON{Name: what, Content: buf.String()}, err
		},
		func(io.Writer, logicodeFileJSON) error { return nil }) // the content went to stdout
}

func (c *cli) logicodeResourcesCmd() *cobra.Command {
	return listCmd(c, spec{use: "resources", short: "List the machine sizes Logicode steps run on (v1 API).", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[rivery.LogicodeResource, error] {
			rs, _, err := c.client.Logicode.Resources(ctx)
			return slice(rs, err)
		},
		tableOf("ALIAS\tNAME\tRAM (GB)\tCPU\tUNITS/S (COMPUTE)", func(r rivery.LogicodeResource) []string {
			return []string{r.Alias, r.Name, strconv.FormatFloat(r.RAM, 'g', -1, 64), strconv.FormatFloat(r.CPU, 'g', -1, 64),
				strconv.FormatFloat(r.ComputeUnitsSec, 'g', -1, 64)}
		}))
}
