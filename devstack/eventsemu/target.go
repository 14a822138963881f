package eventsemu

import (
	"context"
	"fmt"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// Target receives the events a rule matched, as the JSON EventBridge
// delivers. An error makes the delivery retried.
type Target interface {
	Deliver(ctx context.Context, event []byte) error
}

// SQSTarget sends each event as the body of a message to an sqsemu queue.
type SQSTarget struct {
	Queue *sqsemu.Queue
}

// Deliver sends the event to the queue.
func (t SQSTarget) Deliver(_ context.Context, event []byte) error {
	if _, err := t.Queue.Send(sqsemu.SendInput{Body: string(event)}); err != nil {
		return fmt.Errorf("send to %s: %w", t.Queue.Name(), err)
	}
	return nil
}

// AsyncInvoker invokes a Lambda function asynchronously (InvocationType
// Event): an error means the invocation was not accepted.
type AsyncInvoker interface {
	InvokeAsync(ctx context.Context, payload []byte) error
}

// LambdaTarget invokes a function asynchronously with each event.
type LambdaTarget struct {
	Function AsyncInvoker
}

// Deliver invokes the function.
func (t LambdaTarget) Deliver(ctx context.Context, event []byte) error {
	return t.Function.InvokeAsync(ctx, event)
}

// ExecutionStarter starts an execution of one state machine with input.
type ExecutionStarter interface {
	StartExecution(ctx context.Context, input []byte) error
}

// StepFunctionsTarget starts a state machine execution with each event as
// its input.
type StepFunctionsTarget struct {
	StateMachine ExecutionStarter
}

// Deliver starts the execution.
func (t StepFunctionsTarget) Deliver(ctx context.Context, event []byte) error {
	return t.StateMachine.StartExecution(ctx, event)
}
