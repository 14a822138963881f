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
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/goshop-dev/goshop/devstack/stack"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		slog.Error("devstack", "error", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("devstack", flag.ContinueOnError)
	flags.SetOutput(stderr)
	root := flags.String("root", ".", "repository root (function packages and node_modules are found below it)")
	tmpl := flags.String("template", stack.DefaultTemplatePath, "synthesized template, relative to -root unless absolute")
	api := flags.String("api", stack.DefaultAPIAddr, "address of the REST API")
	aws := flags.String("aws", stack.DefaultAWSAddr, "address of the AWS endpoint")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	running, err := stack.Run(ctx, stack.Options{
		Root: *root, TemplatePath: *tmpl, APIAddr: *api, AWSAddr: *aws, Logs: stderr,
	})
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stdout, "devstack interrupted while starting; everything started is stopped")
			return nil
		}
		return err
	}
	fmt.Fprintf(stdout, "devstack ready\n  API: %s\n  AWS endpoint: %s\n  DynamoDB: %s\n", running.APIURL, running.AWSURL, running.DynamoDBURL)
	for _, a := range running.Stack.RestAPIs {
		for _, st := range a.Stages {
			fmt.Fprintf(stdout, "  stage %s: %s\n", st.Name, st.InvokeURL)
		}
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "devstack stopping")
	if err := running.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "devstack stopped")
	return nil
}
