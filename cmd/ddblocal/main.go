// Command ddblocal runs a command with DynamoDB Local beside it:
//
//	go run ./cmd/ddblocal -- go test ./...
//
// It starts the emulator on a free loopback port, exports its address as
// DYNAMODB_LOCAL_ENDPOINT, runs the command, stops the emulator and exits
// with the command's status. One emulator serves every test package of a run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/goshop-dev/goshop/internal/ddblocal"
)

func main() {
	code, err := run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ddblocal:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func run() (int, error) {
	port := flag.Int("port", 0, "port for DynamoDB Local (0 picks a free one)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: ddblocal [-port N] -- command [args...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		return 2, errors.New("no command given")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, err := ddblocal.Start(ctx, ddblocal.Options{Port: *port})
	if err != nil {
		return 1, err
	}
	defer srv.Stop()
	fmt.Fprintln(os.Stderr, "ddblocal: DynamoDB Local at", srv.Endpoint)

	cmd := exec.CommandContext(ctx, flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "DYNAMODB_LOCAL_ENDPOINT="+srv.Endpoint)
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("run %s: %w", flag.Arg(0), err)
	}
	return 0, nil
}
