package sfnemu_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sfnemu"
)

func TestRegisterRefuses(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(context.Context, string, []byte) answer { return answer{out: "{}"} }}
	task := func(st obj) obj { return obj{"StartAt": "T", "States": obj{"T": st}} }
	tests := []struct {
		name string
		opts sfnemu.Options
		def  obj
		want string
	}{
		{"state asl refuses", sfnemu.Options{Lambda: fn},
			obj{"StartAt": "M", "States": obj{"M": obj{"Type": "Map", "End": true}}}, "state type Map is not supported"},
		{"plain lambda ARN resource", sfnemu.Options{Lambda: fn},
			task(obj{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f", "End": true}),
			"resource arn:aws:lambda:us-east-1:000000000000:function:f is not supported"},
		{"sqs integration", sfnemu.Options{Lambda: fn},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": obj{}, "End": true}),
			"resource arn:aws:states:::sqs:sendMessage is not supported"},
		{"waitForTaskToken", sfnemu.Options{Lambda: fn},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Parameters": obj{"FunctionName": "f"}, "End": true}),
			"is not supported"},
		{"unknown lambda parameter", sfnemu.Options{Lambda: fn},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": obj{"FunctionName": "f", "InvocationType": "Event"}, "End": true}),
			"parameter InvocationType of arn:aws:states:::lambda:invoke is not supported"},
		{"lambda without FunctionName", sfnemu.Options{Lambda: fn},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": obj{"Payload.$": "$"}, "End": true}),
			"parameter FunctionName of arn:aws:states:::lambda:invoke is required"},
		{"lambda without an invoker", sfnemu.Options{},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": obj{"FunctionName": "f"}, "End": true}),
			"needs a LambdaInvoker"},
		{"putEvents without a putter", sfnemu.Options{},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": obj{"Entries": arr{}}, "End": true}),
			"needs an EventPutter"},
		{"unknown entry field", sfnemu.Options{Events: &fakeBus{}},
			task(obj{"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": obj{"Entries": arr{obj{"TraceHeader": "x"}}}, "End": true}),
			"field TraceHeader of a PutEvents entry is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := sfnemu.New(tt.opts)
			defer s.Close()
			err := s.Register(machine(t, "refused", tt.def))
			if err == nil {
				t.Fatal("Register accepted the definition")
			}
			if !strings.Contains(err.Error(), "state machine refused:") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name the machine and say %q", err, tt.want)
			}
		})
	}
}

func TestRegisterRefusesDuplicatesAndBadARNs(t *testing.T) {
	t.Parallel()
	s := newService(t, sfnemu.Options{})
	pass := obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}}
	if err := s.Register(machine(t, "once", pass)); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(machine(t, "once", pass)); err == nil {
		t.Error("a second machine with the same ARN was accepted")
	}
	bad := machine(t, "bad", pass)
	bad.ARN = "arn:aws:lambda:us-east-1:000000000000:function:bad"
	if err := s.Register(bad); err == nil || !strings.Contains(err.Error(), "state machine bad") {
		t.Errorf("err = %v, want a refusal naming the machine", err)
	}
}

// fakeBus is an EventPutter that records entries and fails those whose
// Source is "fail".
type fakeBus struct {
	mu      sync.Mutex
	entries []sfnemu.EventEntry
}

func (b *fakeBus) PutEvents(_ context.Context, entries []sfnemu.EventEntry) ([]sfnemu.EventResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]sfnemu.EventResult, len(entries))
	for i, e := range entries {
		b.entries = append(b.entries, e)
		if e.Source == "fail" {
			out[i] = sfnemu.EventResult{ErrorCode: "InvalidArgument", ErrorMessage: "bad source"}
			continue
		}
		out[i] = sfnemu.EventResult{EventID: "ev-" + e.DetailType}
	}
	return out, nil
}

func TestPutEventsIntegration(t *testing.T) {
	t.Parallel()
	bus := &fakeBus{}
	def := func(source string) obj {
		return obj{"StartAt": "Publish", "States": obj{"Publish": obj{
			"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
			"Parameters": obj{"Entries": arr{obj{
				"Source": source, "DetailType": "OrderConfirmed", "EventBusName": "goshop",
				"Detail": obj{"orderId.$": "$.orderId"},
			}}},
			"End": true,
		}}}
	}
	c := newClient(t, newService(t, sfnemu.Options{Events: bus}, machine(t, "publish", def("goshop.orders")), machine(t, "reject", def("fail"))))

	arn := aws.ToString(start(t, c, "publish", "p1", `{"orderId":"o-1"}`).ExecutionArn)
	out := waitDone(t, c, arn)
	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s (%s)", out.Status, aws.ToString(out.Cause))
	}
	var got obj
	_ = json.Unmarshal([]byte(aws.ToString(out.Output)), &got)
	if diff := cmp.Diff(obj{"Entries": arr{obj{"EventId": "ev-OrderConfirmed"}}, "FailedEntryCount": 0.0}, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	want := sfnemu.EventEntry{Source: "goshop.orders", DetailType: "OrderConfirmed", EventBusName: "goshop", Detail: `{"orderId":"o-1"}`,
		Resources: []string{arn, machinePrefix + "publish"}}
	bus.mu.Lock()
	first := bus.entries[0]
	bus.mu.Unlock()
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}

	arn = aws.ToString(start(t, c, "reject", "r1", `{"orderId":"o-2"}`).ExecutionArn)
	out = waitDone(t, c, arn)
	if out.Status != types.ExecutionStatusFailed || aws.ToString(out.Error) != "EventBridge.FailedEntry" ||
		!strings.Contains(aws.ToString(out.Cause), `"FailedEntryCount":1`) {
		t.Errorf("failed entry: status %s error %s cause %s", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	events := history(t, c, arn)
	if d := events[2].TaskScheduledEventDetails; d == nil || aws.ToString(d.ResourceType) != "events" || aws.ToString(d.Resource) != "putEvents" {
		t.Errorf("TaskScheduled = %v", eventTypes(events))
	}
}

func TestStarterStartsExecutions(t *testing.T) {
	t.Parallel()
	m := machine(t, "triggered", obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}})
	s := newService(t, sfnemu.Options{}, m)
	if err := s.Starter(m.ARN).StartExecution(context.Background(), []byte(`{"detail":{}}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.Starter(machinePrefix+"missing").StartExecution(context.Background(), []byte(`{}`)); err == nil {
		t.Error("started an execution of a machine that does not exist")
	}
	if err := s.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	list, err := s.Executions(m.ARN, sfnemu.StatusSucceeded)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Output != `{"detail":{}}` {
		t.Errorf("executions = %+v", list)
	}
}

// TestCloseAbortsRunningExecutions is not parallel: it counts goroutines.
func TestCloseAbortsRunningExecutions(t *testing.T) {
	before := runtime.NumGoroutine()
	fn := &fakeLambda{handler: func(ctx context.Context, _ string, _ []byte) answer {
		<-ctx.Done()
		return answer{err: ctx.Err()}
	}}
	m := machine(t, "long", obj{"StartAt": "T", "States": obj{"T": lambdaTask("hang", obj{
		"Retry": arr{obj{"ErrorEquals": arr{"States.ALL"}, "MaxAttempts": 5}},
		"Catch": arr{obj{"ErrorEquals": arr{"States.ALL"}, "Next": "Again"}}, "End": true}),
		"Again": lambdaTask("hang", obj{"End": true})}})
	s := sfnemu.New(sfnemu.Options{Lambda: fn})
	if err := s.Register(m); err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, name := range []string{"a", "b", "c"} {
		e, err := s.StartExecution(sfnemu.StartInput{StateMachineARN: m.ARN, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, e.ARN)
	}
	waitFor(t, func() bool { _, n := fn.recorded(); return n == 3 })

	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	calls, inflight := fn.recorded()
	if len(calls) != 3 || inflight != 0 {
		t.Errorf("invocations %d, in flight %d: want 3 and 0 (no retry or catcher after Close)", len(calls), inflight)
	}
	for _, arn := range arns {
		e, err := s.DescribeExecution(arn)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != sfnemu.StatusAborted || e.StopDate.IsZero() {
			t.Errorf("%s: status %s", arn, e.Status)
		}
	}
	if _, err := s.StartExecution(sfnemu.StartInput{StateMachineARN: m.ARN}); err == nil {
		t.Error("StartExecution after Close succeeded")
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}
