package ddbemu_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
)

func TestStartAndStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, err := ddbemu.Start(ctx, ddbemu.ServerOptions{Root: ".", SharedDB: true})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	client := ddbemu.NewClient(srv.Endpoint, "eu-west-1")
	if _, err := client.ListTables(ctx, nil); err != nil {
		srv.Stop()
		t.Fatalf("ListTables on a started server: %v", err)
	}
	pid := srv.PID()
	srv.Stop()
	srv.Stop() // a second Stop is harmless
	select {
	case <-srv.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists after Stop (kill 0: %v)", pid, err)
	}
	shortCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := client.ListTables(shortCtx, nil); err == nil {
		t.Error("ListTables succeeded after Stop")
	}
}

func TestFindJarDir(t *testing.T) {
	t.Parallel()
	dir, err := ddbemu.FindJarDir(".")
	if err != nil {
		t.Fatalf("FindJarDir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "DynamoDBLocal.jar")); err != nil || !strings.HasSuffix(dir, filepath.FromSlash(ddbemu.JarDir)) {
		t.Errorf("FindJarDir = %s: %v", dir, err)
	}
	if _, err := ddbemu.FindJarDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("FindJarDir(empty dir) = %v, want a not-found error telling to run npm ci", err)
	}
}
