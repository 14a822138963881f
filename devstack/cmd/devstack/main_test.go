package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunRefusesBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-bogus"}, "bogus"},
		{"positional argument", []string{"serve"}, "unexpected arguments"},
		{"missing template", []string{"-root", t.TempDir(), "-api", "127.0.0.1:0", "-aws", "127.0.0.1:0"}, "read template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Errorf("run(%q) = %v (stderr %q), want an error mentioning %q", tt.args, err, stderr.String(), tt.want)
			}
			if strings.Contains(stdout.String(), "ready") {
				t.Errorf("stdout says ready: %q", stdout.String())
			}
		})
	}
}
