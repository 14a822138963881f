package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCommandEnv(t *testing.T) {
	t.Parallel()
	s := stackEnv{
		AWSURL: "http://127.0.0.1:4566", Region: "us-east-1", OutputsFile: "/tmp/outputs.json",
		Services: map[string]string{"AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"},
	}
	tests := []struct {
		name string
		base []string
		s    stackEnv
		want []string
	}{
		{
			name: "credentials unset",
			base: []string{"PATH=/bin", "AWS_ENDPOINT_URL_SQS=https://sqs.example.com", "AWS_REGION=eu-west-1"},
			s:    s,
			want: []string{"PATH=/bin", "AWS_ACCESS_KEY_ID=test", "AWS_ENDPOINT_URL=http://127.0.0.1:4566",
				"AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000", "AWS_ENDPOINT_URL_SQS=http://127.0.0.1:4566",
				"AWS_REGION=us-east-1", "AWS_SECRET_ACCESS_KEY=test", "GOSHOP_OUTPUTS=/tmp/outputs.json", "GOSHOP_TARGET=devstack"},
		},
		{
			name: "credentials kept, empty ones replaced, no outputs file",
			base: []string{"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=", "GOSHOP_OUTPUTS=/stale.json", "AWS_ENDPOINT_URL=http://elsewhere"},
			s:    stackEnv{AWSURL: "http://127.0.0.1:1", Region: "eu-central-1"},
			want: []string{"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_ENDPOINT_URL=http://127.0.0.1:1",
				"AWS_REGION=eu-central-1", "AWS_SECRET_ACCESS_KEY=test", "GOSHOP_TARGET=devstack"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, commandEnv(tt.base, tt.s)); diff != "" {
				t.Errorf("env (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunCommandExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		argv    []string
		want    int
		wantErr bool
		stdout  string
	}{
		{"success", []string{"sh", "-c", "echo out; echo err >&2"}, 0, false, "out\n"},
		{"exit code", []string{"sh", "-c", "exit 3"}, 3, false, ""},
		{"the environment is the one given", []string{"sh", "-c", `test "$GOSHOP_TARGET" = devstack && test -z "$HOME" && exit 4`}, 4, false, ""},
		{"killed by a signal", []string{"sh", "-c", "kill -TERM $$"}, 128 + int(syscall.SIGTERM), false, ""},
		{"not found", []string{filepath.Join(t.TempDir(), "no-such-command")}, 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code, err := runCommand(context.Background(), tt.argv, []string{"PATH=" + os.Getenv("PATH"), "GOSHOP_TARGET=devstack"}, &stdout, &stderr)
			if (err != nil) != tt.wantErr || code != tt.want {
				t.Errorf("runCommand(%q) = %d, %v; want %d, error %v", tt.argv, code, err, tt.want, tt.wantErr)
			}
			if stdout.String() != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			if tt.name == "success" && stderr.String() != "err\n" {
				t.Errorf("stderr = %q, want the command's", stderr.String())
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe for the command's writes and the
// test's reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunCommandForwardsTheSignal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cause error
		want  int
	}{
		{"SIGTERM", &signalError{syscall.SIGTERM}, 7},
		{"SIGINT", &signalError{os.Interrupt}, 8},
		{"cancelled without a signal", nil, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			out := &lockedBuffer{}
			done := make(chan int, 1)
			go func() {
				code, err := runCommand(ctx, []string{"sh", "-c", `trap 'exit 7' TERM; trap 'exit 8' INT; echo ready; while :; do sleep 0.05; done`},
					[]string{"PATH=" + os.Getenv("PATH")}, out, out)
				if err != nil {
					t.Error(err)
				}
				done <- code
			}()
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(out.String(), "ready") {
				if time.Now().After(deadline) {
					t.Fatal("the command did not start")
				}
				time.Sleep(5 * time.Millisecond)
			}
			cancel(tt.cause)
			select {
			case code := <-done:
				if code != tt.want {
					t.Errorf("exit code %d, want %d from the command's trap", code, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the command did not end after the signal")
			}
		})
	}
}

func TestWriteOutputs(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nested", "outputs.json")
	if err := writeOutputs(path, "goshop-dev", map[string]string{"QueueUrl": "http://127.0.0.1:4566/000000000000/q", "ApiUrl": "http://127.0.0.1:3000/dev/"}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "goshop-dev": {
    "ApiUrl": "http://127.0.0.1:3000/dev/",
    "QueueUrl": "http://127.0.0.1:4566/000000000000/q"
  }
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("outputs file (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 {
		t.Errorf("directory holds %v, %v; want only the outputs file", entries, err)
	}
	if err := writeOutputs(path, "empty", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{\n  \"empty\": {}\n}\n" {
		t.Errorf("outputs of a stack without outputs = %q", got)
	}
}
