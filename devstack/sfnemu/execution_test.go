package sfnemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sfnemu"
)

func TestStartExecutionRunsToSucceeded(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(_ context.Context, fn string, payload []byte) answer {
		return answer{out: `{"greeting":"hello ` + fn + `","echo":` + string(payload) + `}`}
	}}
	m := machine(t, "hello", obj{
		"StartAt": "Greet",
		"States": obj{
			"Greet": lambdaTask("greeter", obj{"ResultPath": "$.raw", "Next": "Select"}),
			"Select": obj{"Type": "Pass", "Parameters": obj{
				"greeting.$": "$.raw.Payload.greeting", "echo.$": "$.raw.Payload.echo",
				"version.$": "$.raw.ExecutedVersion", "status.$": "$.raw.StatusCode",
				"httpStatus.$": "$.raw.SdkHttpMetadata.HttpStatusCode",
			}, "End": true},
		},
	})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, m))

	started := start(t, c, "hello", "run-1", `{"who":"ann"}`)
	if got, want := aws.ToString(started.ExecutionArn), "arn:aws:states:us-east-1:000000000000:execution:hello:run-1"; got != want {
		t.Errorf("execution ARN = %s, want %s", got, want)
	}
	out := waitDone(t, c, aws.ToString(started.ExecutionArn))
	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s (%s: %s), want SUCCEEDED", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	var got obj
	if err := json.Unmarshal([]byte(aws.ToString(out.Output)), &got); err != nil {
		t.Fatal(err)
	}
	want := obj{"greeting": "hello greeter", "echo": obj{"who": "ann"}, "version": "$LATEST", "status": 200.0, "httpStatus": 200.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if aws.ToString(out.Input) != `{"who":"ann"}` || aws.ToString(out.Name) != "run-1" || out.StopDate == nil || out.StartDate == nil {
		t.Errorf("describe = input %q name %q stop %v", aws.ToString(out.Input), aws.ToString(out.Name), out.StopDate)
	}
	calls, _ := fn.recorded()
	if diff := cmp.Diff([]call{{"greeter", `{"who":"ann"}`}}, calls, cmp.AllowUnexported(call{})); diff != "" {
		t.Errorf("invocations (-want +got):\n%s", diff)
	}
	wantEvents := []string{
		"ExecutionStarted", "TaskStateEntered Greet", "TaskScheduled", "TaskStarted", "TaskSucceeded",
		"TaskStateExited Greet", "PassStateEntered Select", "PassStateExited Select", "ExecutionSucceeded",
	}
	events := history(t, c, aws.ToString(started.ExecutionArn))
	if diff := cmp.Diff(wantEvents, eventTypes(events)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	sched := events[2].TaskScheduledEventDetails
	if sched == nil || aws.ToString(sched.ResourceType) != "lambda" || aws.ToString(sched.Resource) != "invoke" ||
		aws.ToString(sched.Parameters) != `{"FunctionName":"greeter","Payload":{"who":"ann"}}` {
		t.Errorf("TaskScheduled details = %+v", sched)
	}
	for i, ev := range events {
		if ev.Id != int64(i+1) || ev.PreviousEventId != int64(i) {
			t.Errorf("event %d: id %d previous %d", i, ev.Id, ev.PreviousEventId)
		}
	}
}

func TestStartExecutionNameReuse(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	fn := &fakeLambda{handler: func(ctx context.Context, _ string, _ []byte) answer {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return answer{out: `{}`}
	}}
	m := machine(t, "reuse", obj{"StartAt": "Work", "States": obj{"Work": lambdaTask("slow", obj{"End": true})}})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, m))
	ctx := context.Background()

	first := start(t, c, "reuse", "order-1", `{"n":1}`)
	again := start(t, c, "reuse", "order-1", `{"n":1}`)
	if aws.ToString(again.ExecutionArn) != aws.ToString(first.ExecutionArn) || !again.StartDate.Equal(*first.StartDate) {
		t.Errorf("same name and input while running = %s %v, want %s %v", aws.ToString(again.ExecutionArn), again.StartDate,
			aws.ToString(first.ExecutionArn), first.StartDate)
	}
	_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machinePrefix + "reuse"),
		Name: aws.String("order-1"), Input: aws.String(`{"n":2}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("different input while running: err = %v, want ExecutionAlreadyExists", err)
	}

	close(release)
	if out := waitDone(t, c, aws.ToString(first.ExecutionArn)); out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s", out.Status)
	}
	// AWS: "If the execution is closed or if the input is different, it
	// returns a 400 ExecutionAlreadyExists error."
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machinePrefix + "reuse"),
		Name: aws.String("order-1"), Input: aws.String(`{"n":1}`)})
	if !errors.As(err, &exists) {
		t.Errorf("same input after close: err = %v, want ExecutionAlreadyExists", err)
	}
	list, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machinePrefix + "reuse")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Executions) != 1 {
		t.Errorf("executions = %d, want 1", len(list.Executions))
	}
	if calls, _ := fn.recorded(); len(calls) != 1 {
		t.Errorf("invocations = %d, want 1", len(calls))
	}
}

func TestStartExecutionWithoutNameUsesUUID(t *testing.T) {
	t.Parallel()
	m := machine(t, "pass", obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}})
	c := newClient(t, newService(t, sfnemu.Options{}, m))
	out, err := c.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(machinePrefix + "pass")})
	if err != nil {
		t.Fatal(err)
	}
	name := aws.ToString(out.ExecutionArn)[strings.LastIndexByte(aws.ToString(out.ExecutionArn), ':')+1:]
	if len(name) != 36 || strings.Count(name, "-") != 4 {
		t.Errorf("generated name %q is not a UUID", name)
	}
	d := waitDone(t, c, aws.ToString(out.ExecutionArn))
	if aws.ToString(d.Input) != "{}" || aws.ToString(d.Output) != "{}" {
		t.Errorf("input %q output %q, want {} and {}", aws.ToString(d.Input), aws.ToString(d.Output))
	}
}

func TestCaughtTaskErrorInHistory(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(context.Context, string, []byte) answer {
		return answer{out: `{"errorMessage":"sku-1 has 0 left","errorType":"OutOfStock"}`, errorType: "OutOfStock", errorMessage: "sku-1 has 0 left"}
	}}
	m := machine(t, "catch", obj{
		"StartAt": "Reserve",
		"States": obj{
			"Reserve": lambdaTask("reserve", obj{
				"Retry": arr{obj{"ErrorEquals": arr{"TransientError"}}},
				"Catch": arr{obj{"ErrorEquals": arr{"OutOfStock"}, "ResultPath": "$.error", "Next": "Cancelled"}},
				"Next":  "Done",
			}),
			"Done":      obj{"Type": "Succeed"},
			"Cancelled": obj{"Type": "Succeed"},
		},
	})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, m))
	arn := aws.ToString(start(t, c, "catch", "", `{"orderId":"o1"}`).ExecutionArn)
	out := waitDone(t, c, arn)
	if out.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("status = %s", out.Status)
	}
	cause := `{"errorMessage":"sku-1 has 0 left","errorType":"OutOfStock"}`
	var got obj
	_ = json.Unmarshal([]byte(aws.ToString(out.Output)), &got)
	if diff := cmp.Diff(obj{"orderId": "o1", "error": obj{"Error": "OutOfStock", "Cause": cause}}, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	events := history(t, c, arn)
	want := []string{
		"ExecutionStarted", "TaskStateEntered Reserve", "TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskStateExited Reserve", "SucceedStateEntered Cancelled", "SucceedStateExited Cancelled", "ExecutionSucceeded",
	}
	if diff := cmp.Diff(want, eventTypes(events)); diff != "" {
		t.Fatalf("history (-want +got):\n%s", diff)
	}
	failed := events[4].TaskFailedEventDetails
	if aws.ToString(failed.Error) != "OutOfStock" || aws.ToString(failed.Cause) != cause || aws.ToString(failed.ResourceType) != "lambda" {
		t.Errorf("TaskFailed = %s / %s / %s", aws.ToString(failed.Error), aws.ToString(failed.Cause), aws.ToString(failed.ResourceType))
	}
}

func TestRetriesInHistory(t *testing.T) {
	t.Parallel()
	attempts := 0
	fn := &fakeLambda{handler: func(context.Context, string, []byte) answer {
		attempts++ // one execution: invocations are sequential
		if attempts <= 2 {
			return answer{errorType: "TransientError", errorMessage: "try again"}
		}
		return answer{out: `"ok"`}
	}}
	sleeper := &instantSleep{}
	m := machine(t, "retry", obj{
		"StartAt": "Flaky",
		"States": obj{"Flaky": lambdaTask("flaky", obj{
			"Retry":          arr{obj{"ErrorEquals": arr{"TransientError"}, "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 3}},
			"ResultSelector": obj{"value.$": "$.Payload"},
			"End":            true,
		})},
	})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn, Sleep: sleeper.sleep}, m))
	arn := aws.ToString(start(t, c, "retry", "r", `{}`).ExecutionArn)
	out := waitDone(t, c, arn)
	if out.Status != types.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"value":"ok"}` {
		t.Fatalf("status = %s output %s", out.Status, aws.ToString(out.Output))
	}
	want := []string{
		"ExecutionStarted", "TaskStateEntered Flaky",
		"TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskScheduled", "TaskStarted", "TaskSucceeded",
		"TaskStateExited Flaky", "ExecutionSucceeded",
	}
	events := history(t, c, arn)
	if diff := cmp.Diff(want, eventTypes(events)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if got := aws.ToString(events[4].TaskFailedEventDetails.Cause); got != `{"errorMessage":"try again","errorType":"TransientError"}` {
		t.Errorf("cause built without an error document = %s", got)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, sleeper.delays); diff != "" {
		t.Errorf("retry delays (-want +got):\n%s", diff)
	}
}

func TestExecutionFailedAndTimedOut(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(ctx context.Context, fn string, _ []byte) answer {
		if fn == "hang" {
			<-ctx.Done()
			return answer{err: ctx.Err()}
		}
		return answer{err: &sfnemu.APIError{Code: "TooManyRequestsException", Message: "Rate exceeded"}}
	}}
	failing := machine(t, "failing", obj{"StartAt": "T", "States": obj{"T": lambdaTask("throttled", obj{"End": true})}})
	slow := machine(t, "slow", obj{"TimeoutSeconds": 1, "StartAt": "T", "States": obj{"T": lambdaTask("hang", obj{"End": true})}})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, failing, slow))

	tests := []struct {
		machine   string
		status    types.ExecutionStatus
		err       string
		lastEvent types.HistoryEventType
	}{
		{"failing", types.ExecutionStatusFailed, "Lambda.TooManyRequestsException", types.HistoryEventTypeExecutionFailed},
		{"slow", types.ExecutionStatusTimedOut, "States.Timeout", types.HistoryEventTypeExecutionTimedOut},
	}
	for _, tt := range tests {
		t.Run(tt.machine, func(t *testing.T) {
			t.Parallel()
			arn := aws.ToString(start(t, c, tt.machine, "x", `{}`).ExecutionArn)
			out := waitDone(t, c, arn)
			if out.Status != tt.status || aws.ToString(out.Error) != tt.err {
				t.Errorf("status %s error %s, want %s %s", out.Status, aws.ToString(out.Error), tt.status, tt.err)
			}
			events := history(t, c, arn)
			if last := events[len(events)-1].Type; last != tt.lastEvent {
				t.Errorf("last event %s, want %s", last, tt.lastEvent)
			}
		})
	}
}

func TestStopExecution(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(ctx context.Context, _ string, _ []byte) answer {
		<-ctx.Done()
		return answer{err: ctx.Err()}
	}}
	m := machine(t, "stoppable", obj{"StartAt": "T", "States": obj{"T": lambdaTask("hang", obj{
		"Catch": arr{obj{"ErrorEquals": arr{"States.ALL"}, "Next": "Compensate"}}, "End": true}),
		"Compensate": lambdaTask("hang", obj{"End": true})}})
	s := newService(t, sfnemu.Options{Lambda: fn}, m)
	c := newClient(t, s)
	arn := aws.ToString(start(t, c, "stoppable", "s", `{}`).ExecutionArn)
	waitFor(t, func() bool { _, n := fn.recorded(); return n == 1 })
	if _, err := c.StopExecution(context.Background(), &sfn.StopExecutionInput{ExecutionArn: aws.String(arn),
		Error: aws.String("Operator"), Cause: aws.String("stopped by hand")}); err != nil {
		t.Fatal(err)
	}
	out := waitDone(t, c, arn)
	if out.Status != types.ExecutionStatusAborted || aws.ToString(out.Error) != "Operator" {
		t.Errorf("status %s error %s, want ABORTED Operator", out.Status, aws.ToString(out.Error))
	}
	if err := s.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls, inflight := fn.recorded()
	if len(calls) != 1 || inflight != 0 {
		t.Errorf("invocations %d in flight %d: the catcher must not run after a stop", len(calls), inflight)
	}
	events := history(t, c, arn)
	if last := events[len(events)-1]; last.Type != types.HistoryEventTypeExecutionAborted ||
		aws.ToString(last.ExecutionAbortedEventDetails.Cause) != "stopped by hand" {
		t.Errorf("last event = %s", eventTypes(events))
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
	}
}
