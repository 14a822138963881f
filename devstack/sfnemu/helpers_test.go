package sfnemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/goshop-dev/goshop/devstack/sfnemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// obj is a JSON object literal.
type obj = map[string]any

// arr is a JSON array literal.
type arr = []any

const machinePrefix = "arn:aws:states:us-east-1:000000000000:stateMachine:"

// answer is what a fake function returns.
type answer struct {
	out          string
	errorType    string
	errorMessage string
	err          error
}

// fakeLambda answers invocations with handler and records them.
type fakeLambda struct {
	handler func(ctx context.Context, fn string, payload []byte) answer

	mu       sync.Mutex
	calls    []call
	inflight int
}

type call struct {
	fn      string
	payload string
}

func (f *fakeLambda) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, string, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call{fn, string(payload)})
	f.inflight++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	a := f.handler(ctx, fn, payload)
	return []byte(a.out), a.errorType, a.errorMessage, a.err
}

func (f *fakeLambda) recorded() ([]call, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...), f.inflight
}

// instantSleep makes retries immediate and records the delays asked for.
type instantSleep struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (s *instantSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.delays = append(s.delays, d)
	s.mu.Unlock()
	return ctx.Err()
}

// machine is a state machine of the template with this definition.
func machine(t *testing.T, name string, def obj) *template.StateMachine {
	t.Helper()
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	return &template.StateMachine{Name: name, ARN: machinePrefix + name, Type: "STANDARD", Definition: string(b)}
}

// lambdaTask is a lambda:invoke Task state.
func lambdaTask(fn string, extra obj) obj {
	st := obj{
		"Type":       "Task",
		"Resource":   "arn:aws:states:::lambda:invoke",
		"Parameters": obj{"FunctionName": fn, "Payload.$": "$"},
	}
	for k, v := range extra {
		st[k] = v
	}
	return st
}

// newService returns a Service with opts and machines registered, closed
// at the end of the test.
func newService(t *testing.T, opts sfnemu.Options, machines ...*template.StateMachine) *sfnemu.Service {
	t.Helper()
	if opts.Sleep == nil {
		opts.Sleep = (&instantSleep{}).sleep
	}
	s := sfnemu.New(opts)
	t.Cleanup(func() { _ = s.Close() })
	for _, m := range machines {
		if err := s.Register(m); err != nil {
			t.Fatalf("Register: %v", err)
		}
	}
	return s
}

// newClient returns an SDK client for s served over HTTP.
func newClient(t *testing.T, s *sfnemu.Service) *sfn.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return sfn.New(sfn.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
}

// start starts an execution over the API.
func start(t *testing.T, c *sfn.Client, machineName, name, input string) *sfn.StartExecutionOutput {
	t.Helper()
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(machinePrefix + machineName), Input: aws.String(input)}
	if name != "" {
		in.Name = aws.String(name)
	}
	out, err := c.StartExecution(context.Background(), in)
	if err != nil {
		t.Fatalf("StartExecution: %v", err)
	}
	return out
}

// waitDone polls DescribeExecution until the execution is not RUNNING.
func waitDone(t *testing.T, c *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := c.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatalf("DescribeExecution: %v", err)
		}
		if out.Status != types.ExecutionStatusRunning {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s still RUNNING", arn)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// history returns an execution's events over the API, every page.
func history(t *testing.T, c *sfn.Client, arn string) []types.HistoryEvent {
	t.Helper()
	var events []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(c, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("GetExecutionHistory: %v", err)
		}
		events = append(events, page.Events...)
	}
	return events
}

// eventTypes lists the types of events, with the state name after
// StateEntered and StateExited events.
func eventTypes(events []types.HistoryEvent) []string {
	var out []string
	for _, ev := range events {
		s := string(ev.Type)
		switch {
		case ev.StateEnteredEventDetails != nil:
			s += " " + aws.ToString(ev.StateEnteredEventDetails.Name)
		case ev.StateExitedEventDetails != nil:
			s += " " + aws.ToString(ev.StateExitedEventDetails.Name)
		}
		out = append(out, s)
	}
	return out
}

// statesEntered lists the states entered, in order.
func statesEntered(events []types.HistoryEvent) []string {
	var out []string
	for _, ev := range events {
		if ev.StateEnteredEventDetails != nil {
			out = append(out, aws.ToString(ev.StateEnteredEventDetails.Name))
		}
	}
	return out
}

// apiCode returns the error code of an SDK error.
func apiCode(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return ""
}
