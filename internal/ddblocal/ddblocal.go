// Package ddblocal starts and stops DynamoDB Local, AWS's official DynamoDB
// emulator, for tests and local runs. The jar comes from the npm package
// amplify-dynamodb-simulator that `npm ci` installs into node_modules; Java
// 17 runs it in memory on a loopback port.
package ddblocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// JarDir is where DynamoDBLocal.jar sits below the repository root.
const JarDir = "node_modules/amplify-dynamodb-simulator/emulator"

// Server is a running DynamoDB Local.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
	done     chan error
}

// Options configure Start. Port 0 picks a free port; Dir "" searches for
// JarDir upwards from the working directory; Log receives the emulator's
// output (discarded when nil).
type Options struct {
	Port int
	Dir  string
	Log  io.Writer
}

// Start launches DynamoDB Local and waits until it accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	dir := opts.Dir
	if dir == "" {
		found, err := FindJarDir()
		if err != nil {
			return nil, err
		}
		dir = found
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("java not found on PATH: DynamoDB Local needs Java 17 or newer (apt-get install openjdk-17-jre-headless)")
	}
	port := opts.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(java,
		"-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		"-inMemory", "-port", strconv.Itoa(port), "-disableTelemetry")
	if opts.Log != nil {
		cmd.Stdout, cmd.Stderr = opts.Log, opts.Log
	}
	configure(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	if err := s.waitReady(ctx, port, 60*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context, port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case err := <-s.done:
			return fmt.Errorf("DynamoDB Local exited before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("DynamoDB Local not ready on %s after %s", addr, limit)
		}
	}
}

// Stop ends the emulator and waits for it to exit.
func (s *Server) Stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
	}
}

// FindJarDir walks up from the working directory to the folder holding
// DynamoDBLocal.jar.
func FindJarDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, JarDir)
		if _, err := os.Stat(filepath.Join(candidate, "DynamoDBLocal.jar")); err == nil {
			return candidate, nil
		}
		if parent := filepath.Dir(dir); parent == dir {
			return "", fmt.Errorf("DynamoDBLocal.jar not found in %s above %s: run `npm ci` at the repository root", JarDir, wd)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Client returns a DynamoDB client for the emulator at endpoint, with static
// dummy credentials so no AWS account or profile is consulted.
func Client(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("local", "local", "")),
		// DynamoDB Local's CRC32 header does not always match what the SDK
		// computes; without this every response logs a checksum warning.
		DisableValidateResponseChecksum: true,
	})
}

// CreateTable creates the table described by in and waits until it is
// active. A table of that name that already exists is left as it is.
func CreateTable(ctx context.Context, client *dynamodb.Client, in *dynamodb.CreateTableInput) error {
	_, err := client.CreateTable(ctx, in)
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return err
	}
	return dynamodb.NewTableExistsWaiter(client).Wait(ctx, &dynamodb.DescribeTableInput{TableName: in.TableName}, 30*time.Second)
}
