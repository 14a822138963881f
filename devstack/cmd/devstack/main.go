// Command devstack runs the synthesized goshop template on this machine,
// without Docker or AWS: DynamoDB Local, the functions as processes, SQS,
// EventBridge, Step Functions, Secrets Manager and the REST API (see package
// devstack/stack). It prints its progress, then the API and AWS endpoint
// URLs, and runs until interrupted (SIGINT or SIGTERM), when it stops
// everything it started and exits 0.
//
// Usage:
//
//	devstack [-root .] [-template cdk.out/goshop-dev.template.json] [-api 127.0.0.1:3000] [-aws 127.0.0.1:4566]
//	         [-outputs-file PATH] [-log-file PATH] [-- CMD ARGS...]
//
// The stack's logs (progress, the functions' output with their START, END
// and REPORT lines, DynamoDB Local's, API Gateway's) go to standard error,
// or with -log-file to that file only (created with its parent directories,
// truncated if it exists), which devstack names when it starts. Then, when
// the command exits non-zero or devstack fails, devstack prints the last
// 200 lines of the file to standard error, so a CI log shows the cause.
//
// With -outputs-file, devstack writes the template's outputs, once ready,
// in the format of `cdk deploy --outputs-file`:
//
//	{"goshop-dev": {"ApiUrl": "http://127.0.0.1:3000/dev/", ...}}
//
// keyed by the stack name (the template file's name without
// ".template.json"). Values are resolved as devstack runs them: the ApiUrl
// output is the URL devstack serves the stage on.
//
// With a command after "--", devstack runs it once ready (and the outputs
// written), with its own environment plus:
//
//	AWS_ENDPOINT_URL            the AWS endpoint (SQS, EventBridge, Step Functions, Secrets Manager, Lambda)
//	AWS_ENDPOINT_URL_<SERVICE>  as the functions get them: DynamoDB and DynamoDB Streams at DynamoDB Local,
//	                            the others at the AWS endpoint
//	AWS_REGION                  the stack's region
//	AWS_ACCESS_KEY_ID           "test" when unset or empty
//	AWS_SECRET_ACCESS_KEY       "test" when unset or empty
//	GOSHOP_OUTPUTS              the absolute path of -outputs-file; removed without one
//	GOSHOP_TARGET               "devstack"
//
// The command's standard output and error pass through. When it ends,
// devstack stops everything and exits with the command's exit code (128+N
// when signal N ended it). SIGINT or SIGTERM is forwarded to the command;
// once it has ended, the stack is stopped. If devstack fails to start, or is
// interrupted while starting, it exits 1 without running the command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/goshop-dev/goshop/devstack/stack"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.code)
	case err != nil:
		slog.Error("devstack", "error", err)
		os.Exit(1)
	}
}

// cmdline is what the command line asks for.
type cmdline struct {
	opts        stack.Options
	outputsFile string   // absolute; "" without -outputs-file
	logFile     string   // absolute; "" without -log-file
	command     []string // after "--"; nil without one
}

func parseArgs(args []string, stderr io.Writer) (cmdline, error) {
	flags := flag.NewFlagSet("devstack", flag.ContinueOnError)
	flags.SetOutput(stderr)
	root := flags.String("root", ".", "repository root (function packages and node_modules are found below it)")
	tmpl := flags.String("template", stack.DefaultTemplatePath, "synthesized template, relative to -root unless absolute")
	api := flags.String("api", stack.DefaultAPIAddr, "address of the REST API")
	aws := flags.String("aws", stack.DefaultAWSAddr, "address of the AWS endpoint")
	outputs := flags.String("outputs-file", "", "write the resolved template outputs here once ready, as `cdk deploy --outputs-file` does")
	logFile := flags.String("log-file", "", "write the stack's logs to this file instead of standard error, and print their end there when the command or devstack fails")
	if err := flags.Parse(args); err != nil {
		return cmdline{}, err
	}
	cfg := cmdline{opts: stack.Options{Root: *root, TemplatePath: *tmpl, APIAddr: *api, AWSAddr: *aws}}
	// Parse stops after "--" or at the first argument that is not a flag;
	// only the former introduces a command.
	rest := flags.Args()
	if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
		if len(rest) == 0 {
			return cmdline{}, errors.New(`no command after "--"`)
		}
		cfg.command = rest
	} else if len(rest) > 0 {
		return cmdline{}, fmt.Errorf("unexpected arguments %q (put a command to run after \"--\")", rest)
	}
	var err error
	if cfg.outputsFile, err = absPath(*outputs); err != nil {
		return cmdline{}, fmt.Errorf("outputs file %s: %w", *outputs, err)
	}
	if cfg.logFile, err = absPath(*logFile); err != nil {
		return cmdline{}, fmt.Errorf("log file %s: %w", *logFile, err)
	}
	return cfg, nil
}

// absPath returns path made absolute, and "" for "".
func absPath(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	return filepath.Abs(path)
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	// The stack's logs and the command write to the same writers, unless
	// the logs go to a file.
	stdout, stderr = shared(stdout), shared(stderr)
	cfg.opts.Logs = stderr
	if cfg.logFile == "" {
		return runStack(cfg, stdout, stderr)
	}
	logs, err := createLogFile(cfg.logFile)
	if err != nil {
		return err
	}
	defer logs.Close()
	cfg.opts.Logs = logs
	fmt.Fprintf(stdout, "devstack: logs go to %s\n", cfg.logFile)
	err = runStack(cfg, stdout, stderr)
	if err != nil {
		// runStack has stopped the stack: the file is complete.
		if terr := writeLogTail(stderr, cfg.logFile, logTailLines); terr != nil {
			fmt.Fprintf(stderr, "devstack: %v\n", terr)
		}
	}
	return err
}

// runStack starts the stack and serves it until the command ends or a
// signal, then stops it. An exitError carries the command's non-zero exit
// code.
func runStack(cfg cmdline, stdout, stderr io.Writer) error {
	// The first SIGINT or SIGTERM cancels ctx with the signal as its cause:
	// it interrupts the start, or is forwarded to the command.
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case sig := <-sigs:
			cancel(&signalError{sig})
		case <-ctx.Done():
		}
	}()

	running, err := stack.Run(ctx, cfg.opts)
	if err != nil {
		switch {
		case ctx.Err() != nil && cfg.command != nil:
			return fmt.Errorf("devstack interrupted while starting; %q was not run", cfg.command)
		case ctx.Err() != nil:
			fmt.Fprintln(stdout, "devstack interrupted while starting; everything started is stopped")
			return nil
		case cfg.command != nil:
			return fmt.Errorf("devstack did not start, so %q was not run: %w", cfg.command, err)
		}
		return err
	}
	code, runErr := serve(ctx, running, cfg, stdout, stderr)
	fmt.Fprintln(stdout, "devstack stopping")
	if err := running.Close(); err != nil {
		return errors.Join(runErr, err)
	}
	fmt.Fprintln(stdout, "devstack stopped")
	if runErr != nil {
		return runErr
	}
	if code != 0 {
		return &exitError{code}
	}
	return nil
}

// serve reports the running stack, writes the outputs file and runs the
// command, or waits for a signal without one. code is the command's exit
// code.
func serve(ctx context.Context, running *stack.Running, cfg cmdline, stdout, stderr io.Writer) (code int, err error) {
	fmt.Fprintf(stdout, "devstack ready\n  API: %s\n  AWS endpoint: %s\n  DynamoDB: %s\n", running.APIURL, running.AWSURL, running.DynamoDBURL)
	for _, a := range running.Stack.RestAPIs {
		for _, st := range a.Stages {
			fmt.Fprintf(stdout, "  stage %s: %s\n", st.Name, st.InvokeURL)
		}
	}
	if cfg.outputsFile != "" {
		if err := writeOutputs(cfg.outputsFile, running.Stack.Name, running.Stack.Outputs); err != nil {
			return 0, err
		}
		fmt.Fprintf(stdout, "  outputs: %s\n", cfg.outputsFile)
	}
	if cfg.command == nil {
		<-ctx.Done()
		return 0, nil
	}
	env := commandEnv(os.Environ(), stackEnv{
		AWSURL: running.AWSURL, Region: running.Stack.Region, Services: running.EndpointEnv(), OutputsFile: cfg.outputsFile,
	})
	code, err = runCommand(ctx, cfg.command, env, stdout, stderr)
	if err != nil {
		return 0, err
	}
	if code != 0 {
		fmt.Fprintf(stderr, "devstack: %q exited with status %d\n", cfg.command, code)
	}
	return code, nil
}

// shared returns w for concurrent writers: a file as it is (a command
// writes to it directly), anything else serialized.
func shared(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok {
		return f
	}
	return stack.Serialized(w)
}
