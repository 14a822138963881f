package lambdart

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultBuildParallelism is how many go builds a Builder runs at once.
const DefaultBuildParallelism = 2

// Builder compiles Go function packages into bootstrap binaries for the
// host, as provided.al2023 expects them named. Each (repository, package,
// output directory) is built once per Builder: several functions built from
// one package share its binary, and concurrent requests for it wait for the
// same build. A failed build is not remembered, so a later call retries.
// A Builder is safe for concurrent use.
type Builder struct {
	sem chan struct{}

	mu     sync.Mutex
	builds map[string]*build
}

type build struct {
	done chan struct{}
	path string
	err  error
}

// NewBuilder returns a Builder running at most parallel builds at once
// (DefaultBuildParallelism when parallel < 1).
func NewBuilder(parallel int) *Builder {
	if parallel < 1 {
		parallel = DefaultBuildParallelism
	}
	return &Builder{sem: make(chan struct{}, parallel), builds: map[string]*build{}}
}

// Build compiles one package once, without caching: see Builder.Build.
func Build(ctx context.Context, repoRoot, pkg, outDir string) (binaryPath string, err error) {
	return NewBuilder(1).Build(ctx, repoRoot, pkg, outDir)
}

// Build compiles the Go package pkg (a path relative to repoRoot such as
// "./functions/users-get") with `go build -tags lambda.norpc -trimpath`
// into outDir/<pkg>/bootstrap and returns that path. The tag matches the
// deployed build; it is not needed for the Runtime API, which aws-lambda-go
// uses whenever AWS_LAMBDA_RUNTIME_API is set.
func (b *Builder) Build(ctx context.Context, repoRoot, pkg, outDir string) (binaryPath string, err error) {
	out, err := binaryPathFor(pkg, outDir)
	if err != nil {
		return "", err
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	key := root + "\x00" + pkg + "\x00" + out

	b.mu.Lock()
	if c, ok := b.builds[key]; ok {
		b.mu.Unlock()
		select {
		case <-c.done:
			return c.path, c.err
		case <-ctx.Done():
			return "", fmt.Errorf("build %s: %w", pkg, ctx.Err())
		}
	}
	c := &build{done: make(chan struct{})}
	b.builds[key] = c
	b.mu.Unlock()

	c.path, c.err = b.compile(ctx, root, pkg, out)
	if c.err != nil {
		b.mu.Lock()
		delete(b.builds, key)
		b.mu.Unlock()
	}
	close(c.done)
	return c.path, c.err
}

func (b *Builder) compile(ctx context.Context, root, pkg, out string) (string, error) {
	select {
	case b.sem <- struct{}{}:
		defer func() { <-b.sem }()
	case <-ctx.Done():
		return "", fmt.Errorf("build %s: %w", pkg, ctx.Err())
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s: %w: %s", pkg, err, strings.TrimSpace(string(output)))
	}
	return out, nil
}

// binaryPathFor maps "./functions/users-get" to
// outDir/functions/users-get/bootstrap, refusing paths that leave the
// repository or outDir.
func binaryPathFor(pkg, outDir string) (string, error) {
	if !strings.HasPrefix(pkg, "./") {
		return "", fmt.Errorf("build %s: package must be a path relative to the repository root, starting with ./", pkg)
	}
	rel := filepath.Clean(strings.TrimPrefix(pkg, "./"))
	if rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("build %s: package must be inside the repository", pkg)
	}
	dir, err := filepath.Abs(outDir)
	if err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	return filepath.Join(dir, rel, "bootstrap"), nil
}
