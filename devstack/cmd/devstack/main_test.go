package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunRefusesBadArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	local := []string{"-root", dir, "-api", "127.0.0.1:0", "-aws", "127.0.0.1:0"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-bogus"}, "bogus"},
		{"positional argument", []string{"serve"}, "unexpected arguments"},
		{"no command after --", []string{"-api", "127.0.0.1:0", "--"}, `no command after "--"`},
		{"missing template", local, "read template"},
		{"missing template with a command", append(local, "--", "touch", marker), "was not run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			var exit *exitError
			if err == nil || errors.As(err, &exit) || !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Errorf("run(%q) = %v (stderr %q), want an error mentioning %q", tt.args, err, stderr.String(), tt.want)
			}
			if strings.Contains(stdout.String(), "ready") {
				t.Errorf("stdout says ready: %q", stdout.String())
			}
			if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the command ran although devstack did not start (stat %s: %v)", marker, err)
			}
		})
	}
}
