package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// The commands that change connections and read what they reach: create,
// update, delete, test, tables, metadata pulls, key file uploads, one
// connection type and the source sections.

// readBody reads a JSON body file, or for "-" at most most bytes of
// stdin, to send as it is (as Boomi's tooling posts it).
func (c *cli) readBody(path string, most int64) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(c.stdin, most))
	}
	return os.ReadFile(path) //nolint:gosec // the user names the file to send
}

// connectionLine is how a connection a write answered prints as text.
func connectionLine(verb string) func(*rivery.Connection) string {
	return func(conn *rivery.Connection) string {
		return fmt.Sprintf("%s connection %s (%s)", verb, conn.ID, conn.Name)
	}
}

func (c *cli) connectionsCreateCmd() *cobra.Command {
	var file string
	cmd := changeCmd(c, spec{
		use:   "create",
		short: "Create a connection from a JSON body: connection_name, connection_type and the type's fields (v1 API).",
		long: "The body is sent as it is, credentials included; what is printed has them redacted. A create whose\n" +
			"answer was lost is not sent again: look for the connection by name (connections list) first.",
		example: "  rivery connections create -f orders-db.json --json",
	}, func(ctx context.Context, _ []string) (*rivery.Connection, error) {
		req, err := c.connectionRequest(file)
		if err != nil {
			return nil, err
		}
		conn, _, err := c.client.Connections.Create(ctx, req)
		return conn, err
	}, connectionLine("created"))
	cmd.Flags().StringVarP(&file, "file", "f", "", "the connection's JSON body (- for stdin)")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func (c *cli) connectionRequest(file string) (*rivery.ConnectionRequest, error) {
	body, err := c.readBody(file, 4<<20)
	if err != nil {
		return nil, err
	}
	return rivery.ParseConnectionRequest(body)
}

func (c *cli) connectionsUpdateCmd() *cobra.Command {
	var file string
	cmd := changeCmd(c, spec{
		use:   "update <connection-id>",
		short: "Replace a connection with a JSON body; credentials left out are cleared (v1 API).",
	}, func(ctx context.Context, args []string) (*rivery.Connection, error) {
		req, err := c.connectionRequest(file)
		if err != nil {
			return nil, err
		}
		conn, _, err := c.client.Connections.Update(ctx, args[0], req)
		return conn, err
	}, connectionLine("updated"))
	cmd.Flags().StringVarP(&file, "file", "f", "", "the connection's full JSON body (- for stdin)")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// deleted is what a delete command prints with --json.
type deleted struct {
	Deleted   string         `json:"deleted"` // what: "connection", "river", "environment", "dataframe", "cdc_position"
	ID        string         `json:"id"`
	Operation *operationJSON `json:"operation,omitempty"`
}

func deletedLine(d deleted) string { return "deleted " + d.Deleted + " " + d.ID }

func (c *cli) connectionsDeleteCmd() *cobra.Command {
	return changeCmd(c, spec{
		use:     "delete <connection-id>",
		short:   "Delete a connection; asks first on a terminal, needs --yes otherwise (v1 API).",
		confirm: func(args []string) string { return "delete connection " + args[0] },
	}, func(ctx context.Context, args []string) (deleted, error) {
		_, err := c.client.Connections.Delete(ctx, args[0])
		return deleted{Deleted: "connection", ID: args[0]}, err
	}, deletedLine)
}

// pullFlags are the flags of the commands that start a pull request.
type pullFlags struct {
	datasource, task string
	target           bool
}

func (p *pullFlags) define(cmd *cobra.Command, task string) {
	fs := cmd.Flags()
	fs.StringVar(&p.datasource, "datasource", "", "the source's `api-name` (from the source types catalog), not the connection type")
	fs.BoolVar(&p.target, "target", false, "the connection is a target's")
	if task != "" {
		fs.StringVar(&p.task, "task", task, "the pull request's `task`, e.g. get_db_metadata, get_schemas, get_databases")
	}
	_ = cmd.MarkFlagRequired("datasource")
}

func (p *pullFlags) request(connectionID string) *rivery.PullRequest {
	req := &rivery.PullRequest{ConnectionID: connectionID, DatasourceID: p.datasource, Task: p.task}
	if p.target {
		req.TaskType = "target"
	}
	return req
}

func (c *cli) connectionsTestCmd() *cobra.Command {
	var p pullFlags
	cmd := c.leaf(spec{
		use:   "test <connection-id>",
		short: "Test a connection: a pull request that connects for real, waited for (v1 API).",
		long: "Exit status 0 when the source answered, 1 when the pull ended in error (its message is printed),\n" +
			"2 on a usage or API error.",
		flags: apiFlags | outputOne,
		run: func(ctx context.Context, args []string) error {
			op, err := c.client.Connections.Test(ctx, p.request(args[0]), nil)
			var opErr *rivery.OperationError
			switch {
			case errors.As(err, &opErr):
				op = opErr.Operation
			case err != nil:
				return err
			}
			var perr error
			switch {
			case c.out.format == formatJSON:
				perr = c.printJSON(opJSON(op))
			case op.Status == rivery.OperationDone:
				perr = c.println("connection " + args[0] + ": reachable")
			default:
				perr = c.println("connection " + args[0] + ": failed: " + op.ErrorMessage)
			}
			if perr != nil {
				return perr
			}
			if op.Status != rivery.OperationDone {
				return exitOnly(exitFailed)
			}
			return nil
		},
	})
	p.define(cmd, rivery.PullTaskMetadata)
	return cmd
}

func (c *cli) connectionsTablesCmd() *cobra.Command {
	var opts rivery.ConnectionTablesOptions
	cmd := listCmd(c, spec{use: "tables <connection-id>", short: "List a database connection's tables and the columns they load incrementally by (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[*rivery.ConnectionTable, error] {
			o := opts
			o.PerPage = 200 // as Boomi's tooling asks
			return c.client.Connections.AllTables(ctx, args[0], &o)
		},
		tableOf("SCHEMA\tTABLE\tTYPE\tINCREMENT COLUMNS", func(t *rivery.ConnectionTable) []string {
			var cols []string
			for _, ic := range t.IncrementColumns {
				cols = append(cols, ic.Name)
			}
			return []string{t.Schema, t.Name, t.ObjectType, strings.Join(cols, ",")}
		}))
	cmd.Flags().StringVar(&opts.SchemaName, "schema", "", "only this schema's tables")
	cmd.Flags().StringVar(&opts.TableName, "table", "", "only the table of this name")
	return cmd
}

func (c *cli) connectionsMetadataCmd() *cobra.Command {
	var p pullFlags
	var schemas []string
	var all bool
	cmd := listCmd(c, spec{
		use:   "metadata <connection-id>",
		short: "Pull a database source's schemas, tables and columns (a pull request, waited for) (v1 API).",
		check: func([]string) error {
			if all == (len(schemas) > 0) {
				return usagef("name a schema with --schema, or pass --all-schemas")
			}
			return nil
		},
		timeoutHelp: "give up after this long and exit 124 (default 1m; a pull keeps running on Rivery)",
	},
		func(ctx context.Context, args []string) iter.Seq2[*rivery.MetadataTable, error] {
			req := p.request(args[0])
			req.Schemas = schemas
			tables, op, err := c.client.Connections.PullMetadata(ctx, req, nil)
			if err == nil && op != nil && op.ErrorMessage != "" {
				c.errLine("rivery: warning: the pull settled but reported: " + printable(op.ErrorMessage))
			}
			return slice(tables, err)
		},
		func(c *cli, tables []*rivery.MetadataTable) error {
			var rows [][]string
			for _, t := range tables {
				for _, col := range t.Columns {
					rows = append(rows, []string{t.Schema, t.Name, col.Name, col.Type, strconv.FormatBool(col.IsKey), strconv.FormatBool(col.CanIncrement)})
				}
			}
			return c.table("SCHEMA\tTABLE\tCOLUMN\tTYPE\tKEY\tINCREMENTAL", rows)
		})
	p.define(cmd, "")
	cmd.Flags().StringArrayVar(&schemas, "schema", nil, "only this `schema` (repeat for more)")
	cmd.Flags().BoolVar(&all, "all-schemas", false, "every schema, information_schema included")
	return cmd
}

func (c *cli) connectionsCancelPullCmd() *cobra.Command {
	return changeCmd(c, spec{use: "cancel-pull <pull-request-id>", short: "Cancel a pull request (a test or a metadata pull) (v1 API)."},
		func(ctx context.Context, args []string) (*operationJSON, error) {
			op, _, err := c.client.Connections.CancelPull(ctx, args[0])
			return opJSON(op), err
		}, func(op *operationJSON) string { return "cancel asked for pull request " + op.ID })
}

func (c *cli) connectionsUploadKeyCmd() *cobra.Command {
	var file string
	cmd := changeCmd(c, spec{
		use:     "upload-key <connection-type>",
		short:   "Upload a file a connection of the type needs (a .pem key); prints the path to set in the connection (v1 API).",
		example: "  rivery connections upload-key postgres -f bastion.pem",
	}, func(ctx context.Context, args []string) (*rivery.KeyFile, error) {
		content, err := os.ReadFile(file) //nolint:gosec // the user names the file to upload
		if err != nil {
			return nil, err
		}
		kf, _, err := c.client.Connections.UploadKeyFile(ctx, args[0], filepath.Base(file), content)
		return kf, err
	}, func(kf *rivery.KeyFile) string { return "uploaded " + filepath.Base(file) + ": " + kf.Path })
	cmd.Flags().StringVarP(&file, "file", "f", "", "the file to upload")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func (c *cli) connectionsTypeCmd() *cobra.Command {
	return showCmd(c, spec{use: "type <connection-type>", short: "Show a connection type and the fields its connections have (v1 API).", flags: accountWide},
		func(ctx context.Context, args []string) (*rivery.ConnectionType, error) {
			t, _, err := c.client.Connections.ConnectionType(ctx, args[0])
			return t, err
		},
		func(w io.Writer, t *rivery.ConnectionType) error {
			fmt.Fprintf(w, "Type:   %s (%s)\nFiles:  %v %s\n\n", printable(t.Type), printable(t.Name), t.HasKeyFile, printable(strings.Join(t.AllowedFileExtensions, ",")))
			rows := make([][]string, len(t.Properties))
			for i, p := range t.Properties {
				rows[i] = []string{p.ID, p.Type, p.DisplayName}
			}
			return writeTable(w, "FIELD\tTYPE\tNAME", rows)
		})
}

func (c *cli) connectionsSectionsCmd() *cobra.Command {
	var segment string
	cmd := listCmd(c, spec{use: "sections", short: "List the data source catalog's sections and their source types.", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.SourceSection, error] {
			return c.client.Connections.SourceSections(ctx, &rivery.SourceSectionsOptions{ListOptions: rivery.ListOptions{PerPage: 200}, Segment: segment})
		},
		tableOf("SECTION ID\tNAME\tSOURCE TYPES", func(s *rivery.SourceSection) []string {
			return []string{s.ID, s.Name, strings.Join(s.SourceTypes, ",")}
		}))
	cmd.Flags().Var(&choiceValue{v: &segment, allowed: []string{"source", "target"}}, "segment", "only the sections of sources or of targets")
	return cmd
}
