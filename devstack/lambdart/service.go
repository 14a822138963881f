package lambdart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Limits and defaults Lambda documents.
const (
	// MaxPayloadBytes is the largest synchronous request or response payload (6 MB).
	MaxPayloadBytes = 6 * 1024 * 1024
	// DefaultTimeout is CloudFormation's default function Timeout.
	DefaultTimeout = 3 * time.Second
	// DefaultMemoryMB is CloudFormation's default function MemorySize.
	DefaultMemoryMB = 128
	// DefaultMaxConcurrency is the instances a function may run at once
	// when Function.MaxConcurrency is not set.
	DefaultMaxConcurrency = 10
	// DefaultInitTimeout is Lambda's limit on the init phase of on-demand functions.
	DefaultInitTimeout = 10 * time.Second
	// LatestVersion is the only version lambdart runs.
	LatestVersion = "$LATEST"
)

// Errors Invoke returns (wrapped; test with errors.Is). They match the
// Invoke API's exceptions: see NewInvokeAPI.
var (
	ErrFunctionNotFound      = errors.New("function not found")
	ErrTooManyRequests       = errors.New("rate exceeded: the function is at its reserved concurrency")
	ErrInvalidRequestContent = errors.New("could not parse request body into json")
	ErrRequestTooLarge       = fmt.Errorf("request must be smaller than %d bytes", MaxPayloadBytes)
	ErrClosed                = errors.New("lambda service closed")
)

// Config configures a Service. The zero value works.
type Config struct {
	// Region is AWS_REGION of every function and the region of default ARNs (us-east-1).
	Region string
	// AccountID is the account of default ARNs (000000000000).
	AccountID string
	// Env is added to every function's environment after the function's
	// own variables (endpoint URLs such as AWS_ENDPOINT_URL_DYNAMODB, or
	// credentials), overriding both them and lambdart's defaults.
	Env map[string]string
	// Logs receives function output and START/END/REPORT lines, one line
	// per Write, prefixed with "[function-name] "; nil discards them.
	Logs io.Writer
	// InitTimeout bounds a cold start's init phase (DefaultInitTimeout).
	InitTimeout time.Duration
	// ShutdownGrace is how long Close waits after SIGTERM before SIGKILL (1s).
	ShutdownGrace time.Duration
}

// Function is a function to run, as the template describes it.
type Function struct {
	// Name is the function name, by which Invoke finds it.
	Name string
	// ARN is the function ARN (Invoke also finds it by ARN);
	// default arn:aws:lambda:<region>:<account>:function:<name>.
	ARN string
	// Binary is the bootstrap executable (see Builder).
	Binary string
	// Env is the function's environment variables from the template. Keys
	// Lambda reserves (AWS_REGION, AWS_LAMBDA_*, _HANDLER, ...) are refused.
	Env map[string]string
	// Timeout bounds one invocation (DefaultTimeout).
	Timeout time.Duration
	// MemoryMB is the configured memory, reported to the function and in REPORT (DefaultMemoryMB).
	MemoryMB int
	// MaxConcurrency is the most instances run at once
	// (DefaultMaxConcurrency), a limit that spares this machine, not one
	// AWS applies: an invocation that finds them all busy waits for one to
	// be free, until its context ends.
	MaxConcurrency int
	// ReservedConcurrency is the function's reserved concurrency
	// (ReservedConcurrentExecutions), 0 for none: an invocation beyond that
	// many concurrent ones is throttled at once with ErrTooManyRequests, as
	// Lambda does (those within it, beyond MaxConcurrency, wait). Without
	// one the function draws, as on AWS, from the account's unreserved
	// pool, which lambdart does not limit: nothing is throttled.
	ReservedConcurrency int
	// Throttled throttles every invocation, as Lambda does for a function
	// whose reserved concurrency is 0.
	Throttled bool
}

// Result is the outcome of one invocation that reached the function.
type Result struct {
	// RequestID is the invocation's request id.
	RequestID string
	// Payload is the function's response or, when FunctionError is set,
	// the error document Lambda returns ({"errorMessage","errorType",...}).
	Payload []byte
	// FunctionError is "Unhandled" when the invocation failed, as the
	// Invoke API's X-Amz-Function-Error, and empty otherwise.
	FunctionError string
	// ErrorType and ErrorMessage are the failure's errorType (e.g.
	// "OutOfStockError", "Sandbox.Timedout", "Runtime.ExitError") and
	// errorMessage; Step Functions uses ErrorType as the task's Error.
	ErrorType    string
	ErrorMessage string
	// LogTail is the last 4 KB of the invocation's log lines (the Invoke
	// API's LogType Tail), from START to REPORT; a cold start's init output
	// is included.
	LogTail string
	// Duration is the time from handing the event to the runtime to its answer.
	Duration time.Duration
	// InitDuration is the cold start's init phase, zero on a warm start.
	InitDuration time.Duration
	// ColdStart tells whether a new process was started for this invocation.
	ColdStart bool
	// PID is the process that ran the invocation.
	PID int
}

// Service runs registered functions. It is safe for concurrent use; Close
// stops every process it started.
type Service struct {
	cfg  Config
	logs *lineWriter

	mu      sync.RWMutex
	closed  bool
	funcs   map[string]*function
	byARN   map[string]*function
	closing chan struct{}
	wg      sync.WaitGroup // invocations in flight
}

// New returns a Service with no functions.
func New(cfg Config) *Service {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.InitTimeout <= 0 {
		cfg.InitTimeout = DefaultInitTimeout
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = time.Second
	}
	return &Service{
		cfg:     cfg,
		logs:    newLineWriter(cfg.Logs),
		funcs:   map[string]*function{},
		byARN:   map[string]*function{},
		closing: make(chan struct{}),
	}
}

// reservedEnv are the variables Lambda sets itself and refuses in a
// function's configuration.
var reservedEnv = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true,
	"AWS_LAMBDA_LOG_GROUP_NAME": true, "AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true,
	"AWS_LAMBDA_RUNTIME_API": true, "LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

// Register adds a function. It refuses a duplicate name or ARN, a missing
// binary, a reserved environment variable, negative limits and a
// ReservedConcurrency on a Throttled function.
func (s *Service) Register(fn Function) error {
	if fn.Name == "" {
		return errors.New("register function: empty name")
	}
	if fn.ARN == "" {
		fn.ARN = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.cfg.Region, s.cfg.AccountID, fn.Name)
	}
	if fn.Timeout < 0 || fn.MemoryMB < 0 || fn.MaxConcurrency < 0 || fn.ReservedConcurrency < 0 {
		return fmt.Errorf("register %s: negative Timeout, MemoryMB, MaxConcurrency or ReservedConcurrency", fn.Name)
	}
	if fn.Throttled && fn.ReservedConcurrency > 0 {
		return fmt.Errorf("register %s: a Throttled function has no ReservedConcurrency", fn.Name)
	}
	if fn.Timeout == 0 {
		fn.Timeout = DefaultTimeout
	}
	if fn.MemoryMB == 0 {
		fn.MemoryMB = DefaultMemoryMB
	}
	if fn.MaxConcurrency == 0 {
		fn.MaxConcurrency = DefaultMaxConcurrency
	}
	for k := range fn.Env {
		if reservedEnv[k] {
			return fmt.Errorf("register %s: environment variable %s is reserved by Lambda", fn.Name, k)
		}
	}
	info, err := os.Stat(fn.Binary)
	if err != nil {
		return fmt.Errorf("register %s: binary: %w", fn.Name, err)
	}
	if info.IsDir() || info.Mode()&0o111 == 0 {
		return fmt.Errorf("register %s: binary %s is not an executable file", fn.Name, fn.Binary)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("register %s: %w", fn.Name, ErrClosed)
	}
	if _, ok := s.funcs[fn.Name]; ok {
		return fmt.Errorf("register %s: function already registered", fn.Name)
	}
	if _, ok := s.byARN[fn.ARN]; ok {
		return fmt.Errorf("register %s: ARN %s already registered", fn.Name, fn.ARN)
	}
	f := newFunction(s, fn)
	s.funcs[fn.Name] = f
	s.byARN[fn.ARN] = f
	return nil
}

// Invoke runs the function named by name (a name, an ARN, or an ARN with
// the $LATEST qualifier) synchronously, like the Invoke API's
// RequestResponse type. An empty payload is sent as {}. A failure inside
// the function is a Result with FunctionError set, not an error; errors are
// ErrFunctionNotFound, ErrTooManyRequests, ErrInvalidRequestContent,
// ErrRequestTooLarge, ErrClosed, the context's error, or a failure to
// start the process. An invocation waiting for an instance (see
// Function.MaxConcurrency) gives up, without starting one, when ctx ends;
// once it runs, it still runs to its end in the background when ctx ends
// first, as it does in Lambda.
func (s *Service) Invoke(ctx context.Context, name string, payload []byte) (Result, error) {
	if len(payload) > MaxPayloadBytes {
		return Result{}, fmt.Errorf("invoke %s: %w", name, ErrRequestTooLarge)
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		return Result{}, fmt.Errorf("invoke %s: %w", name, ErrInvalidRequestContent)
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return Result{}, fmt.Errorf("invoke %s: %w", name, ErrClosed)
	}
	f := s.lookup(name)
	if f == nil {
		s.mu.RUnlock()
		return Result{}, fmt.Errorf("invoke %s: %w", name, ErrFunctionNotFound)
	}
	s.wg.Add(1) // under the lock, so Close's Wait sees it
	s.mu.RUnlock()
	return f.invoke(ctx, payload, traceIDFrom(ctx))
}

// lookup finds a function by name or ARN; s.mu is held.
func (s *Service) lookup(name string) *function {
	if f, ok := s.funcs[name]; ok {
		return f
	}
	if f, ok := s.byARN[name]; ok {
		return f
	}
	if q, ok := strings.CutSuffix(name, ":"+LatestVersion); ok {
		return s.lookup(q)
	}
	// Partial ARN: 123456789012:function:name.
	if i := strings.LastIndex(name, ":function:"); i >= 0 && !strings.HasPrefix(name, "arn:") {
		if f, ok := s.funcs[name[i+len(":function:"):]]; ok {
			return f
		}
	}
	return nil
}

// Close stops every process (SIGTERM, then SIGKILL after ShutdownGrace) and
// its Runtime API server, and waits for invocations in flight, which fail
// with ErrClosed. It is idempotent.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.closing)
	funcs := make([]*function, 0, len(s.funcs))
	for _, f := range s.funcs {
		funcs = append(funcs, f)
	}
	s.mu.Unlock()

	var instances []*instance
	for _, f := range funcs {
		instances = append(instances, f.shutdown()...)
	}
	var wg sync.WaitGroup
	for _, in := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.stop(s.cfg.ShutdownGrace)
		}()
	}
	wg.Wait()
	s.wg.Wait()
	for _, in := range instances {
		in.finish()
	}
	return nil
}

type traceKey struct{}

// WithTraceID returns a context whose invocations carry traceID (an X-Ray
// trace header, "Root=1-...;Parent=...;Sampled=0") as
// Lambda-Runtime-Trace-Id, as API Gateway passes its own; without it each
// invocation gets a new trace id.
func WithTraceID(ctx context.Context, traceID string) context.Context {
	return context.WithValue(ctx, traceKey{}, traceID)
}

func traceIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(traceKey{}).(string)
	return id
}
