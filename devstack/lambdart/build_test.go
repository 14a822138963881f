package lambdart_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goshop-dev/goshop/devstack/lambdart"
)

func TestBuilderBuildsEachPackageOnce(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	b := lambdart.NewBuilder(2)
	ctx := context.Background()

	paths := make([]string, 3)
	var wg sync.WaitGroup
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := b.Build(ctx, ".", "./testdata/logs", out)
			if err != nil {
				t.Errorf("Build: %v", err)
			}
			paths[i] = p
		}()
	}
	wg.Wait()
	want := filepath.Join(out, "testdata", "logs", "bootstrap")
	for _, p := range paths {
		if p != want {
			t.Fatalf("Build = %q, want %q", p, want)
		}
	}
	first, err := os.Stat(want)
	if err != nil {
		t.Fatalf("stat binary: %v", err)
	}
	if first.Mode()&0o111 == 0 {
		t.Errorf("binary mode %v is not executable", first.Mode())
	}
	if _, err := b.Build(ctx, ".", "./testdata/logs", out); err != nil {
		t.Fatalf("Build again: %v", err)
	}
	again, err := os.Stat(want)
	if err != nil {
		t.Fatalf("stat binary: %v", err)
	}
	if !again.ModTime().Equal(first.ModTime()) {
		t.Errorf("binary rewritten (%v, then %v): the package was built twice", first.ModTime(), again.ModTime())
	}
}

func TestBuildRefusesBadPackages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		pkg  string
		want string
	}{
		{name: "not relative", pkg: "functions/x", want: "relative to the repository root"},
		{name: "outside the repository", pkg: "./../x", want: "inside the repository"},
		{name: "repository root", pkg: "./", want: "inside the repository"},
		{name: "no such package", pkg: "./testdata/nonexistent", want: "build ./testdata/nonexistent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := lambdart.Build(context.Background(), ".", tt.pkg, t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build(%s): %v, want an error containing %q", tt.pkg, err, tt.want)
			}
		})
	}
}
