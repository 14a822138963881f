package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/goshop-dev/goshop/devstack/asl"
)

// The service integrations this package serves.
const (
	ResourceLambdaInvoke = "arn:aws:states:::lambda:invoke"
	ResourcePutEvents    = "arn:aws:states:::events:putEvents"
)

// integrationParams lists, per Resource, the Parameters it takes and which
// are required.
var integrationParams = map[string]map[string]bool{
	ResourceLambdaInvoke: {"FunctionName": true, "Payload": false},
	ResourcePutEvents:    {"Entries": true},
}

// entryFields are the fields of a PutEvents entry.
var entryFields = map[string]bool{"Detail": true, "DetailType": true, "EventBusName": true, "Source": true, "Resources": true, "Time": true}

// checkIntegrations refuses Task states whose Resource or Parameters are
// not served.
func (s *Service) checkIntegrations(def *asl.Definition) error {
	names := make([]string, 0, len(def.States))
	for name := range def.States {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		st := def.States[name]
		if st.Type != "Task" {
			continue
		}
		if err := s.checkTask(st); err != nil {
			return fmt.Errorf("state %q: %w", name, err)
		}
	}
	return nil
}

func (s *Service) checkTask(st *asl.State) error {
	allowed, ok := integrationParams[st.Resource]
	if !ok {
		return fmt.Errorf("resource %s is not supported (only %s and %s)", st.Resource, ResourceLambdaInvoke, ResourcePutEvents)
	}
	if st.Resource == ResourceLambdaInvoke && s.opts.Lambda == nil {
		return fmt.Errorf("resource %s needs a LambdaInvoker, and none is configured", st.Resource)
	}
	if st.Resource == ResourcePutEvents && s.opts.Events == nil {
		return fmt.Errorf("resource %s needs an EventPutter, and none is configured", st.Resource)
	}
	var params map[string]json.RawMessage
	if st.Parameters == nil || json.Unmarshal(st.Parameters, &params) != nil {
		return fmt.Errorf("resource %s needs Parameters as a JSON object", st.Resource)
	}
	seen := map[string]bool{}
	for k := range params {
		field := strings.TrimSuffix(k, ".$")
		if _, ok := allowed[field]; !ok {
			return fmt.Errorf("parameter %s of %s is not supported", k, st.Resource)
		}
		seen[field] = true
	}
	for field, required := range allowed {
		if required && !seen[field] {
			return fmt.Errorf("parameter %s of %s is required", field, st.Resource)
		}
	}
	if raw, ok := params["Entries"]; ok {
		var entries []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &entries); err != nil {
			return fmt.Errorf("parameter Entries of %s must be a list of objects", st.Resource)
		}
		for _, entry := range entries {
			for k := range entry {
				if !entryFields[strings.TrimSuffix(k, ".$")] {
					return fmt.Errorf("field %s of a PutEvents entry is not supported", k)
				}
			}
		}
	}
	return nil
}

// splitResource returns the resourceType and resource history events name
// an integration by: "lambda" and "invoke".
func splitResource(resource string) (string, string) {
	rest := strings.TrimPrefix(resource, "arn:aws:states:::")
	typ, name, _ := strings.Cut(rest, ":")
	return typ, name
}

func marshalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// invoker serves the Task states of one execution and records their task
// events.
type invoker struct {
	s       *Service
	e       *execution
	execCtx context.Context
}

// errStopped ends an execution that was stopped: States.Runtime is matched
// by no Retry or Catch but one naming it, so nothing more runs.
var errStopped = &asl.Error{Name: asl.ErrRuntime, Cause: "the execution was stopped"}

// Invoke runs one attempt of a task.
func (iv *invoker) Invoke(ctx context.Context, resource string, params any) (any, error) {
	if iv.execCtx.Err() != nil {
		return nil, errStopped
	}
	rt, r := splitResource(resource)
	paramsJSON, _ := marshalJSON(params)
	var timeout int64
	iv.s.mu.Lock()
	if st, ok := iv.e.m.def.States[iv.e.current]; ok {
		timeout = int64(st.TimeoutSeconds)
	}
	iv.s.mu.Unlock()
	if timeout == 0 {
		timeout = 99999999 // what AWS reports for a task without TimeoutSeconds
	}
	iv.s.recordRunning(iv.e, HistoryEvent{Type: "TaskScheduled", ResourceType: rt, Resource: r, Region: iv.s.opts.Region,
		Parameters: paramsJSON, TimeoutInSeconds: timeout})
	iv.s.recordRunning(iv.e, HistoryEvent{Type: "TaskStarted", ResourceType: rt, Resource: r})

	var result any
	var err error
	switch resource {
	case ResourceLambdaInvoke:
		result, err = iv.lambda(ctx, params)
	case ResourcePutEvents:
		result, err = iv.putEvents(ctx, params)
	default:
		err = &asl.Error{Name: asl.ErrRuntime, Cause: "resource " + resource + " is not supported"}
	}
	if iv.execCtx.Err() != nil {
		return nil, errStopped
	}
	if err != nil {
		return nil, err
	}
	out, merr := marshalJSON(result)
	if merr != nil {
		return nil, &asl.Error{Name: asl.ErrRuntime, Cause: merr.Error()}
	}
	if len(out) > maxPayload {
		return nil, &asl.Error{Name: "States.DataLimitExceeded", Cause: fmt.Sprintf("the task result is %d bytes, over the %d byte limit", len(out), maxPayload)}
	}
	iv.s.recordRunning(iv.e, HistoryEvent{Type: "TaskSucceeded", ResourceType: rt, Resource: r, Output: &out})
	return result, nil
}

// apiErrorName names a failed service call: "<service>.<code>" for an
// error carrying an API error code; otherwise the error itself, which the
// interpreter reports as States.TaskFailed (or States.Timeout for the
// task's deadline).
func apiErrorName(ctx context.Context, service string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", service, ctx.Err())
	}
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) && coded.ErrorCode() != "" {
		return &asl.Error{Name: service + "." + coded.ErrorCode(), Cause: err.Error()}
	}
	return err
}
