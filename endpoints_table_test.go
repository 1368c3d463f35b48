package rivery_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's endpoint coverage table names SDK methods that exist: each
// `Service.Method` is a method of the type of Client's field Service (or of
// Client itself), and each bare name is an exported function of the package.
func TestEndpointTableNamesRealMethods(t *testing.T) {
	t.Parallel()
	methods, funcs, fields := exportedAPI(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n## Endpoint coverage\n")
	if !ok {
		t.Fatal("README.md has no Endpoint coverage section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	name := regexp.MustCompile("`([A-Za-z]+)(?:\\.([A-Za-z]+))?`")
	rows, named := 0, 0
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| Operation") {
			continue
		}
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) != 5 {
			t.Errorf("row has %d cells, want 5: %s", len(cells), line)
			continue
		}
		if strings.HasPrefix(cells[0], "**") {
			continue // a group's heading row
		}
		rows++
		sdk := cells[2]
		if sdk == "not yet" {
			continue
		}
		found := name.FindAllStringSubmatch(sdk, -1)
		if len(found) == 0 {
			t.Errorf("SDK cell names no method: %s", line)
		}
		for _, m := range found {
			named++
			switch {
			case m[2] == "" && !funcs[m[1]]:
				t.Errorf("%s: no exported function %s", cells[0], m[1])
			case m[2] != "" && m[1] == "Client" && !methods["Client."+m[2]]:
				t.Errorf("%s: Client has no method %s", cells[0], m[2])
			case m[2] != "" && m[1] != "Client" && !methods[fields[m[1]]+"."+m[2]]:
				t.Errorf("%s: Client.%s (%q) has no method %s", cells[0], m[1], fields[m[1]], m[2])
			}
		}
	}
	if rows < 40 || named < 60 {
		t.Errorf("the table has %d rows naming %d methods; did its format change?", rows, named)
	}
}

// exportedAPI reads the package's source: its methods as "Type.Method", its
// exported functions, and the type of each of Client's service fields.
func exportedAPI(t *testing.T) (methods, funcs map[string]bool, fields map[string]string) {
	t.Helper()
	methods, funcs, fields = map[string]bool{}, map[string]bool{}, map[string]string{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					funcs[d.Name.Name] = true
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok {
					methods[id.Name+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok || ts.Name.Name != "Client" {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fl := range st.Fields.List {
						typ := fl.Type
						if star, ok := typ.(*ast.StarExpr); ok {
							typ = star.X
						}
						id, ok := typ.(*ast.Ident)
						if !ok {
							continue
						}
						for _, n := range fl.Names {
							fields[n.Name] = id.Name
						}
					}
				}
			}
		}
	}
	return methods, funcs, fields
}
