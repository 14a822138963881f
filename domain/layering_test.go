package domain_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/goshop-dev/goshop"

// packageImports returns the imports of the non-test Go files in dir, and
// the struct tags found there.
func packageImports(t *testing.T, dir string) (imports []string, tags []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			imports = append(imports, p)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if field, ok := n.(*ast.Field); ok && field.Tag != nil {
				tags = append(tags, f+": "+field.Tag.Value)
			}
			return true
		})
	}
	return imports, tags
}

// forbidden reports the first AWS import reachable from pkg's directory,
// following imports inside this module.
func forbidden(t *testing.T, root, dir string, seen map[string]bool) string {
	t.Helper()
	if seen[dir] {
		return ""
	}
	seen[dir] = true
	imports, _ := packageImports(t, dir)
	for _, imp := range imports {
		switch {
		case strings.HasPrefix(imp, "github.com/aws/"), strings.HasPrefix(imp, "github.com/awslabs/"):
			rel, _ := filepath.Rel(root, dir)
			return rel + " imports " + imp
		case strings.HasPrefix(imp, module+"/"):
			if bad := forbidden(t, root, filepath.Join(root, strings.TrimPrefix(imp, module+"/")), seen); bad != "" {
				return bad
			}
		}
	}
	return ""
}

// TestDomainImportsNothingFromAWS walks every package under domain/ except
// the DynamoDB adapters (*ddb) and checks that neither it nor anything it
// reaches in this module imports an AWS package.
func TestDomainImportsNothingFromAWS(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if strings.HasSuffix(d.Name(), "ddb") {
			return filepath.SkipDir
		}
		if bad := forbidden(t, root, filepath.Join(root, "domain", path), map[string]bool{}); bad != "" {
			t.Errorf("%s: %s", path, bad)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 2 {
		t.Fatalf("checked %d packages; the walk found nothing", checked)
	}
}

// TestContextPackagesCarryNoWireTags checks that the context packages
// themselves (domain/<context>) declare no json or dynamodbav tags: those
// belong to adapters.
func TestContextPackagesCarryNoWireTags(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		_, tags := packageImports(t, e.Name())
		for _, tag := range tags {
			if strings.Contains(tag, "json:") || strings.Contains(tag, "dynamodbav:") {
				t.Errorf("wire tag in a domain package: %s", tag)
			}
		}
	}
}
