package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// exitError carries the command's non-zero exit code to main.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("command exited with status %d", e.code) }

// signalError is the cause of the run's cancellation by a signal.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "received " + e.sig.String() }

// stackEnv is what a command needs to reach the running stack.
type stackEnv struct {
	AWSURL string
	Region string
	// Services are the AWS_ENDPOINT_URL_<SERVICE> variables.
	Services map[string]string
	// OutputsFile is the absolute path of the outputs file; "" for none.
	OutputsFile string
}

// commandEnv returns base (KEY=VALUE entries) with the variables of the
// package doc set, replacing those base has, and the credentials set to
// "test" where base has them unset or empty. GOSHOP_OUTPUTS is removed
// without an outputs file: one inherited would describe another stack.
func commandEnv(base []string, s stackEnv) []string {
	set := maps.Clone(s.Services)
	if set == nil {
		set = map[string]string{}
	}
	set["AWS_ENDPOINT_URL"] = s.AWSURL
	set["AWS_REGION"] = s.Region
	set["GOSHOP_TARGET"] = "devstack"
	if s.OutputsFile != "" {
		set["GOSHOP_OUTPUTS"] = s.OutputsFile
	}
	defaults := map[string]string{"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
	var env []string
	for _, kv := range base {
		k, v, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || k == "GOSHOP_OUTPUTS" {
			continue
		}
		if _, ok := defaults[k]; ok {
			if v == "" {
				continue
			}
			delete(defaults, k)
		}
		env = append(env, kv)
	}
	maps.Copy(set, defaults)
	for _, k := range slices.Sorted(maps.Keys(set)) {
		env = append(env, k+"="+set[k])
	}
	return env
}

// stopGrace is how long a command may take to end after the signal was
// forwarded to it, before it is killed.
const stopGrace = 10 * time.Second

// runCommand runs argv with env, its output to stdout and stderr, and
// returns its exit code: 128+N when signal N ended it. When ctx is
// cancelled, the signal that caused it (SIGINT otherwise) is forwarded to
// the command, which is killed if it has not ended stopGrace later. err is
// for a command that could not be started.
func runCommand(ctx context.Context, argv []string, env []string, stdout, stderr io.Writer) (code int, err error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin = os.Stdin
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Cancel = func() error {
		sig := os.Signal(os.Interrupt)
		var se *signalError
		if errors.As(context.Cause(ctx), &se) {
			sig = se.sig
		}
		return cmd.Process.Signal(sig)
	}
	cmd.WaitDelay = stopGrace
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %q: %w", argv, err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return exit.ExitCode(), nil
	}
	return 0, fmt.Errorf("run %q: %w", argv, err)
}

// writeOutputs writes outputs as `cdk deploy --outputs-file` does,
// {"<stack>": {"<output>": "<value>", ...}} indented by two spaces, through
// a temporary file so a reader never sees part of it.
func writeOutputs(path, stackName string, outputs map[string]string) error {
	if outputs == nil {
		outputs = map[string]string{}
	}
	data, err := json.MarshalIndent(map[string]map[string]string{stackName: outputs}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode outputs: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Chmod(0o644) // as cdk leaves it; CreateTemp makes it private
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write outputs %s: %w", path, err)
	}
	return nil
}
