package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// numbered returns n lines "line <i> xxx...", each width bytes long,
// newline included.
func numbered(n, width int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		line := fmt.Sprintf("line %d ", i)
		b.WriteString(line + strings.Repeat("x", max(0, width-len(line)-1)) + "\n")
	}
	return b.String()
}

func TestLastLines(t *testing.T) {
	t.Parallel()
	long := numbered(1000, 300) // 300 KB: the tail spans several reads
	tests := []struct {
		name    string
		content string
		n       int
		want    string
	}{
		{name: "empty file", content: "", n: 200, want: ""},
		{name: "fewer lines than asked", content: "a\nb\n", n: 200, want: "a\nb\n"},
		{name: "exactly as many", content: "a\nb\nc\n", n: 3, want: "a\nb\nc\n"},
		{name: "more lines", content: "a\nb\nc\nd\n", n: 2, want: "c\nd\n"},
		{name: "no final newline", content: "a\nb\nc", n: 2, want: "b\nc"},
		{name: "empty lines count", content: "a\n\n\nb\n", n: 3, want: "\n\nb\n"},
		{name: "a large file", content: long, n: 700, want: long[300*300:]},
		{name: "one line longer than a read", content: "first\n" + strings.Repeat("y", 200<<10) + "\n", n: 1,
			want: strings.Repeat("y", 200<<10) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "devstack.log")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := lastLines(path, tt.n)
			if err != nil {
				t.Fatalf("lastLines: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("lastLines(%d) = %d bytes starting %.40q, want %d bytes starting %.40q", tt.n, len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

func TestWriteLogTail(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "nested", "devstack.log")
	f, err := createLogFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(numbered(logTailLines+50, 20)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeLogTail(&out, path, logTailLines); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != logTailLines+2 {
		t.Fatalf("wrote %d lines, want %d and two of devstack's:\n%s", len(lines), logTailLines, out.String())
	}
	want := []string{"devstack: last 200 lines of " + path + ":", "line 51 xxxxxxxxxxx", "line 250 xxxxxxxxxx", "devstack: end of " + path}
	got := []string{lines[0], lines[1], lines[len(lines)-2], lines[len(lines)-1]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first and last lines (-want +got):\n%s", diff)
	}

	empty := filepath.Join(dir, "empty.log")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := writeLogTail(&out, empty, logTailLines); err != nil || out.Len() != 0 {
		t.Errorf("tail of an empty log: %q, %v; want nothing", out.String(), err)
	}
	if err := writeLogTail(&out, filepath.Join(dir, "missing.log"), logTailLines); err == nil {
		t.Error("tail of a missing log: no error")
	}
}
