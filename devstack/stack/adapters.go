package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/goshop-dev/goshop/devstack/eventsemu"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/sfnemu"
	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// FunctionError is a function's failure, as a poller sees it.
type FunctionError struct {
	Function string
	Type     string
	Message  string
}

// Error names the function and its error.
func (e *FunctionError) Error() string {
	return fmt.Sprintf("function %s failed: %s: %s", e.Function, e.Type, e.Message)
}

// functionInvoker invokes one function synchronously for the pollers:
// it is an sqsemu.Invoker and a ddbemu.Invoker.
type functionInvoker struct {
	lambda *lambdart.Service
	name   string
}

func (f functionInvoker) invoke(ctx context.Context, payload []byte) ([]byte, *FunctionError, error) {
	res, err := f.lambda.Invoke(ctx, f.name, payload)
	if err != nil {
		return nil, nil, err
	}
	if res.FunctionError != "" {
		return res.Payload, &FunctionError{Function: f.name, Type: res.ErrorType, Message: res.ErrorMessage}, nil
	}
	return res.Payload, nil, nil
}

// sqsInvoker adapts a function to sqsemu.Invoker.
type sqsInvoker struct{ functionInvoker }

func (s sqsInvoker) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	out, fnErr, err := s.invoke(ctx, payload)
	if err != nil {
		return nil, err
	}
	if fnErr != nil {
		return out, fnErr
	}
	return out, nil
}

var _ sqsemu.Invoker = sqsInvoker{}

// streamInvoker adapts a function to ddbemu.Invoker.
type streamInvoker struct{ functionInvoker }

func (s streamInvoker) Invoke(ctx context.Context, payload []byte) ([]byte, bool, error) {
	out, fnErr, err := s.invoke(ctx, payload)
	return out, fnErr != nil, err
}

// sfnLambda adapts lambdart to sfnemu.LambdaInvoker.
type sfnLambda struct{ lambda *lambdart.Service }

func (s sfnLambda) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, string, error) {
	res, err := s.lambda.Invoke(ctx, fn, payload)
	if err != nil {
		return nil, "", "", err
	}
	if res.FunctionError != "" {
		errType := res.ErrorType
		if errType == "" {
			errType = "Lambda.Unknown"
		}
		return res.Payload, errType, res.ErrorMessage, nil
	}
	return res.Payload, "", "", nil
}

var _ sfnemu.LambdaInvoker = sfnLambda{}

// eventPutter adapts eventsemu to sfnemu.EventPutter.
type eventPutter struct{ events *eventsemu.Service }

func (p eventPutter) PutEvents(_ context.Context, entries []sfnemu.EventEntry) ([]sfnemu.EventResult, error) {
	in := make([]eventsemu.Entry, len(entries))
	for i, e := range entries {
		in[i] = eventsemu.Entry{
			Source: e.Source, DetailType: e.DetailType, Detail: e.Detail,
			EventBusName: e.EventBusName, Resources: e.Resources, Time: e.Time,
		}
	}
	results := p.events.PutEvents(in)
	out := make([]sfnemu.EventResult, len(results))
	for i, r := range results {
		out[i] = sfnemu.EventResult{EventID: r.EventID, ErrorCode: r.ErrorCode, ErrorMessage: r.ErrorMessage}
	}
	return out, nil
}

// asyncInvoker invokes a function with InvocationType Event: the
// invocation runs in the background under the stack's context and its
// failure is logged.
type asyncInvoker struct {
	functionInvoker
	ctx    context.Context
	wg     *sync.WaitGroup
	logger *slog.Logger
}

func (a asyncInvoker) InvokeAsync(_ context.Context, payload []byte) error {
	if err := a.ctx.Err(); err != nil {
		return fmt.Errorf("invoke %s: %w", a.name, lambdart.ErrClosed)
	}
	body := append([]byte(nil), payload...)
	a.wg.Go(func() {
		_, fnErr, err := a.invoke(a.ctx, body)
		if err := errors.Join(err, asError(fnErr)); err != nil {
			a.logger.Error("async invocation failed", "function", a.name, "error", err)
		}
	})
	return nil
}

func asError(e *FunctionError) error {
	if e == nil {
		return nil
	}
	return e
}

// queueDestination sends a stream mapping's on-failure documents to a queue.
type queueDestination struct{ queue *sqsemu.Queue }

func (d queueDestination) Send(_ context.Context, body []byte) error {
	_, err := d.queue.Send(sqsemu.SendInput{Body: string(body)})
	return err
}
