package ddbemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// JarDir is where DynamoDBLocal.jar sits below the repository root: the
// npm package amplify-dynamodb-simulator ships DynamoDB Local there.
const JarDir = "node_modules/amplify-dynamodb-simulator/emulator"

// ServerOptions configure Start.
type ServerOptions struct {
	// Root is where the search for JarDir starts; it walks up from there.
	// Default: the working directory.
	Root string
	// Port is the loopback port; 0 picks a free one.
	Port int
	// SharedDB starts the emulator with -sharedDb, so every access key and
	// region sees the same tables. Without it DynamoDB Local keeps one
	// database per access key and region.
	SharedDB bool
	// Log receives the emulator's output; discarded when nil.
	Log io.Writer
	// ReadyTimeout bounds the wait for the first answer; default 60s.
	ReadyTimeout time.Duration
}

// Server is a running DynamoDB Local.
type Server struct {
	// Endpoint is the emulator's base URL, e.g. "http://127.0.0.1:8000".
	Endpoint string

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
}

// Start runs DynamoDB Local in memory (java -Djava.library.path=<dir>/
// DynamoDBLocal_lib -jar <dir>/DynamoDBLocal.jar -inMemory -port N
// -disableTelemetry) and returns once it answers HTTP requests. The caller
// must Stop it; on Linux the kernel also kills it if this process dies.
func Start(ctx context.Context, opts ServerOptions) (*Server, error) {
	dir, err := FindJarDir(opts.Root)
	if err != nil {
		return nil, err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("java not found on PATH: DynamoDB Local needs Java 17 or newer")
	}
	port := opts.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	args := []string{
		"-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		"-inMemory", "-port", strconv.Itoa(port), "-disableTelemetry",
	}
	if opts.SharedDB {
		args = append(args, "-sharedDb")
	}
	cmd := exec.Command(java, args...)
	cmd.Dir = dir
	if opts.Log != nil {
		cmd.Stdout, cmd.Stderr = opts.Log, opts.Log
	}
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start DynamoDB Local: %w", err)
	}
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	timeout := opts.ReadyTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	if err := s.waitReady(ctx, timeout); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls the endpoint until any HTTP answer comes back.
func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("DynamoDB Local exited before answering on %s", s.Endpoint)
		case <-ctx.Done():
			return fmt.Errorf("DynamoDB Local not answering on %s: %w", s.Endpoint, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// PID is the emulator's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Done is closed when the emulator has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop kills the emulator and waits for it to exit. It is safe to call
// more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
}

// FindJarDir walks up from root (the working directory when empty) to the
// first directory holding JarDir/DynamoDBLocal.jar and returns JarDir there.
func FindJarDir(root string) (string, error) {
	if root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		root = wd
	}
	start, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, JarDir)
		if _, err := os.Stat(filepath.Join(candidate, "DynamoDBLocal.jar")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("DynamoDBLocal.jar not found in %s at or above %s: run `npm ci` at the repository root", JarDir, start)
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

// localCredentials are the static credentials devstack uses: DynamoDB Local
// accepts any, and no AWS profile is consulted.
func localCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("local", "local", "")
}

// NewClient returns a DynamoDB client for the emulator at endpoint.
func NewClient(endpoint, region string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  localCredentials(),
		// DynamoDB Local's CRC32 header does not always match what the SDK
		// computes; without this every response logs a checksum warning.
		DisableValidateResponseChecksum: true,
	})
}

// NewStreamsClient returns a DynamoDB Streams client for the emulator at
// endpoint (DynamoDB Local serves both APIs on one port).
func NewStreamsClient(endpoint, region string) *dynamodbstreams.Client {
	return dynamodbstreams.New(dynamodbstreams.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  localCredentials(),
	})
}
