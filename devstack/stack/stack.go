package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/secretsemu"
	"github.com/goshop-dev/goshop/devstack/sfnemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// Defaults of Options.
const (
	DefaultTemplatePath = "cdk.out/goshop-dev.template.json"
	DefaultAPIAddr      = "127.0.0.1:3000"
	DefaultAWSAddr      = "127.0.0.1:4566"
	// BuildDir is where functions are built, below Root.
	BuildDir = ".build/devstack"
)

// Options say what to run and where.
type Options struct {
	// Root is the repository root: function packages and DynamoDB Local
	// are found below it. Default: the working directory.
	Root string
	// TemplatePath is the template, relative to Root unless absolute
	// (DefaultTemplatePath).
	TemplatePath string
	// StackName is AWS::StackName; default the template file's name
	// without ".template.json" (e.g. "goshop-dev").
	StackName string
	// APIAddr is where the REST API is served (DefaultAPIAddr); port 0
	// picks a free port.
	APIAddr string
	// AWSAddr is where the AWS endpoint is served (DefaultAWSAddr); port 0
	// picks a free port.
	AWSAddr string
	// Logs receives progress lines, function output and the emulators'
	// logs; nil discards them.
	Logs io.Writer
}

// Running is a started stack. Close stops it.
type Running struct {
	// Stack is the loaded template.
	Stack *template.Stack
	// APIURL is the REST API's base URL, e.g. "http://127.0.0.1:3000"
	// (stages are served under it, "/dev/...").
	APIURL string
	// AWSURL is the AWS endpoint's URL, e.g. "http://127.0.0.1:4566".
	AWSURL string
	// DynamoDBURL is DynamoDB Local's URL.
	DynamoDBURL string

	// Lambda runs the functions.
	Lambda *lambdart.Service
	// StepFunctions runs the state machines.
	StepFunctions *sfnemu.Service

	logs    io.Writer
	logger  *slog.Logger
	closers []closer
	once    sync.Once
	err     error
}

type closer struct {
	name  string
	close func() error
}

// Run starts the stack described by the template (see the package doc)
// and returns once every part answers. ctx bounds the start only: the
// stack runs until Close. On error everything started is stopped.
func Run(ctx context.Context, opts Options) (*Running, error) {
	opts = withDefaults(opts)
	logs := io.Writer(io.Discard)
	if opts.Logs != nil {
		logs = Serialized(opts.Logs)
	}
	r := &Running{logs: logs, logger: slog.New(slog.NewTextHandler(logs, nil))}
	if err := r.start(ctx, opts); err != nil {
		return nil, errors.Join(err, r.Close())
	}
	return r, nil
}

func withDefaults(opts Options) Options {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.TemplatePath == "" {
		opts.TemplatePath = DefaultTemplatePath
	}
	if !filepath.IsAbs(opts.TemplatePath) {
		opts.TemplatePath = filepath.Join(opts.Root, opts.TemplatePath)
	}
	if opts.StackName == "" {
		opts.StackName = strings.TrimSuffix(filepath.Base(opts.TemplatePath), ".template.json")
	}
	if opts.APIAddr == "" {
		opts.APIAddr = DefaultAPIAddr
	}
	if opts.AWSAddr == "" {
		opts.AWSAddr = DefaultAWSAddr
	}
	return opts
}

// Close stops everything in the reverse order of the start and waits for
// it. It is idempotent and returns the first call's errors.
func (r *Running) Close() error {
	r.once.Do(func() {
		var errs []error
		for i := len(r.closers) - 1; i >= 0; i-- {
			c := r.closers[i]
			if err := c.close(); err != nil {
				errs = append(errs, fmt.Errorf("close %s: %w", c.name, err))
			}
		}
		r.err = errors.Join(errs...)
	})
	return r.err
}

func (r *Running) onClose(name string, f func() error) {
	r.closers = append(r.closers, closer{name, f})
}

func (r *Running) progress(format string, args ...any) {
	fmt.Fprintf(r.logs, "devstack: "+format+"\n", args...)
}

func (r *Running) start(ctx context.Context, opts Options) error {
	data, err := os.ReadFile(opts.TemplatePath)
	if err != nil {
		return fmt.Errorf("read template: %w", err)
	}
	apiLn, err := listen(opts.APIAddr)
	if err != nil {
		return err
	}
	r.onClose("API listener", ignoreClosed(apiLn.Close))
	awsLn, err := listen(opts.AWSAddr)
	if err != nil {
		return err
	}
	r.onClose("AWS listener", ignoreClosed(awsLn.Close))
	r.APIURL = "http://" + apiLn.Addr().String()
	r.AWSURL = "http://" + awsLn.Addr().String()

	stack, err := template.Load(data, template.Options{
		StackName: opts.StackName, AWSEndpoint: r.AWSURL, APIEndpoint: r.APIURL,
	})
	if err != nil {
		return fmt.Errorf("load %s: %w", opts.TemplatePath, err)
	}
	r.Stack = stack
	r.progress("loaded %s: %d functions, %d tables, %d queues, %d rules, %d state machines, %d inert resources",
		opts.TemplatePath, len(stack.Functions), len(stack.Tables), len(stack.Queues), len(stack.Rules),
		len(stack.StateMachines), len(stack.Inert))

	// Background work runs under runCtx, cancelled first thing on Close
	// (registered last).
	runCtx, cancel := context.WithCancel(context.Background())
	var async sync.WaitGroup

	if err := r.startDynamoDB(ctx, opts.Root); err != nil {
		cancel()
		return err
	}
	secrets, err := secretsemu.New(stack.Secrets, secretsemu.Options{})
	if err != nil {
		cancel()
		return err
	}
	if err := r.startFunctions(ctx, opts.Root); err != nil {
		cancel()
		return err
	}
	r.onClose("asynchronous invocations", func() error { cancel(); async.Wait(); return nil })

	broker, err := r.createQueues()
	if err != nil {
		return err
	}
	events := r.newEvents(runCtx, &async, broker)
	r.StepFunctions = sfnemu.New(sfnemu.Options{Region: stack.Region, Lambda: sfnLambda{r.Lambda}, Events: eventPutter{events}})
	r.onClose("Step Functions", r.StepFunctions.Close)
	for _, sm := range stack.StateMachines {
		if err := r.StepFunctions.Register(sm); err != nil {
			return err
		}
	}
	r.onClose("EventBridge", events.Close)
	if err := r.createRules(runCtx, &async, events, broker); err != nil {
		return err
	}

	r.serve("AWS endpoint", awsLn, &awsEndpoint{
		sqs: broker, events: events, sfn: r.StepFunctions, secrets: secrets, lambda: lambdart.NewInvokeAPI(r.Lambda),
	})
	if err := r.startPollers(runCtx, broker); err != nil {
		return err
	}
	gateway, err := r.gateway()
	if err != nil {
		return err
	}
	r.serve("REST API", apiLn, gateway)
	for _, api := range stack.RestAPIs {
		for _, st := range api.Stages {
			r.progress("REST API %s stage %s: %s", api.Name, st.Name, st.InvokeURL)
		}
	}
	r.progress("AWS endpoint: %s", r.AWSURL)
	return nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

func ignoreClosed(f func() error) func() error {
	return func() error {
		if err := f(); err != nil && !errors.Is(err, net.ErrClosed) {
			return err
		}
		return nil
	}
}

// serve serves h on ln until Close, which shuts the server down gracefully.
func (r *Running) serve(name string, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	r.onClose(name, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = srv.Close()
		}
		if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		return err
	})
}

func (r *Running) startDynamoDB(ctx context.Context, root string) error {
	r.progress("starting DynamoDB Local")
	srv, err := ddbemu.Start(ctx, ddbemu.ServerOptions{Root: root, SharedDB: true, Log: prefixed(r.logs, "[dynamodb-local] ")})
	if err != nil {
		return fmt.Errorf("start DynamoDB Local: %w", err)
	}
	r.onClose("DynamoDB Local", func() error { srv.Stop(); return nil })
	r.DynamoDBURL = srv.Endpoint
	client := ddbemu.NewClient(srv.Endpoint, r.Stack.Region)
	if err := ddbemu.CreateTables(ctx, client, r.Stack.Tables); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	r.progress("DynamoDB Local on %s with %d tables", srv.Endpoint, len(r.Stack.Tables))
	return nil
}

// EndpointEnv returns the AWS_ENDPOINT_URL_<SERVICE> variables that point
// an AWS SDK at devstack: DynamoDB and DynamoDB Streams at DynamoDB Local,
// SQS, EventBridge, Step Functions, Lambda and Secrets Manager at the AWS
// endpoint. Every function gets them on top of its template environment.
func (r *Running) EndpointEnv() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB":         r.DynamoDBURL,
		"AWS_ENDPOINT_URL_DYNAMODB_STREAMS": r.DynamoDBURL,
		"AWS_ENDPOINT_URL_SQS":              r.AWSURL,
		"AWS_ENDPOINT_URL_EVENTBRIDGE":      r.AWSURL,
		"AWS_ENDPOINT_URL_SFN":              r.AWSURL,
		"AWS_ENDPOINT_URL_LAMBDA":           r.AWSURL,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER":  r.AWSURL,
	}
}
