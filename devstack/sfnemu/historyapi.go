package sfnemu

import (
	"fmt"
	"strings"
)

type historyEventJSON struct {
	ID              int64  `json:"id"`
	PreviousEventID int64  `json:"previousEventId"`
	Timestamp       epoch  `json:"timestamp"`
	Type            string `json:"type"`

	ExecutionStarted   *executionData `json:"executionStartedEventDetails,omitempty"`
	ExecutionSucceeded *outputData    `json:"executionSucceededEventDetails,omitempty"`
	ExecutionFailed    *errorData     `json:"executionFailedEventDetails,omitempty"`
	ExecutionTimedOut  *errorData     `json:"executionTimedOutEventDetails,omitempty"`
	ExecutionAborted   *errorData     `json:"executionAbortedEventDetails,omitempty"`
	StateEntered       *stateData     `json:"stateEnteredEventDetails,omitempty"`
	StateExited        *stateData     `json:"stateExitedEventDetails,omitempty"`
	TaskScheduled      *taskData      `json:"taskScheduledEventDetails,omitempty"`
	TaskStarted        *taskData      `json:"taskStartedEventDetails,omitempty"`
	TaskSucceeded      *taskData      `json:"taskSucceededEventDetails,omitempty"`
	TaskFailed         *taskData      `json:"taskFailedEventDetails,omitempty"`
	TaskTimedOut       *taskData      `json:"taskTimedOutEventDetails,omitempty"`
}

type executionData struct {
	Input        *string  `json:"input,omitempty"`
	InputDetails *details `json:"inputDetails,omitempty"`
	RoleArn      string   `json:"roleArn,omitempty"`
}

type outputData struct {
	Output        *string  `json:"output,omitempty"`
	OutputDetails *details `json:"outputDetails,omitempty"`
}

type errorData struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

type stateData struct {
	Name          string   `json:"name"`
	Input         *string  `json:"input,omitempty"`
	InputDetails  *details `json:"inputDetails,omitempty"`
	Output        *string  `json:"output,omitempty"`
	OutputDetails *details `json:"outputDetails,omitempty"`
}

type taskData struct {
	ResourceType     string   `json:"resourceType"`
	Resource         string   `json:"resource"`
	Region           string   `json:"region,omitempty"`
	Parameters       string   `json:"parameters,omitempty"`
	TimeoutInSeconds int64    `json:"timeoutInSeconds,omitempty"`
	Output           *string  `json:"output,omitempty"`
	OutputDetails    *details `json:"outputDetails,omitempty"`
	Error            string   `json:"error,omitempty"`
	Cause            string   `json:"cause,omitempty"`
}

// wire returns ev in the API's shape; without data, inputs and outputs
// are left out (includeExecutionData false).
func (ev HistoryEvent) wire(data bool) historyEventJSON {
	in, out := ev.Input, ev.Output
	if !data {
		in, out = nil, nil
	}
	inDetails := func() *details {
		if in == nil {
			return nil
		}
		return &details{Truncated: &no}
	}
	outDetails := func() *details {
		if out == nil {
			return nil
		}
		return &details{Truncated: &no}
	}
	j := historyEventJSON{ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: epoch(ev.Timestamp), Type: ev.Type}
	task := &taskData{ResourceType: ev.ResourceType, Resource: ev.Resource}
	failure := &errorData{Error: ev.Error, Cause: ev.Cause}
	switch t := ev.Type; {
	case t == "ExecutionStarted":
		j.ExecutionStarted = &executionData{Input: in, InputDetails: inDetails()}
	case t == "ExecutionSucceeded":
		j.ExecutionSucceeded = &outputData{Output: out, OutputDetails: outDetails()}
	case t == "ExecutionFailed":
		j.ExecutionFailed = failure
	case t == "ExecutionTimedOut":
		j.ExecutionTimedOut = failure
	case t == "ExecutionAborted":
		j.ExecutionAborted = failure
	case strings.HasSuffix(t, "StateEntered"):
		j.StateEntered = &stateData{Name: ev.StateName, Input: in, InputDetails: inDetails()}
	case strings.HasSuffix(t, "StateExited"):
		j.StateExited = &stateData{Name: ev.StateName, Output: out, OutputDetails: outDetails()}
	case t == "TaskScheduled":
		task.Region, task.Parameters, task.TimeoutInSeconds = ev.Region, ev.Parameters, ev.TimeoutInSeconds
		j.TaskScheduled = task
	case t == "TaskStarted":
		j.TaskStarted = task
	case t == "TaskSucceeded":
		task.Output, task.OutputDetails = out, outDetails()
		j.TaskSucceeded = task
	case t == "TaskFailed":
		task.Error, task.Cause = ev.Error, ev.Cause
		j.TaskFailed = task
	case t == "TaskTimedOut":
		task.Error, task.Cause = ev.Error, ev.Cause
		j.TaskTimedOut = task
	}
	return j
}

func (s *Service) apiGetExecutionHistory(body []byte) (any, error) {
	var in struct {
		ExecutionArn         string `json:"executionArn"`
		MaxResults           int    `json:"maxResults"`
		NextToken            string `json:"nextToken"`
		ReverseOrder         bool   `json:"reverseOrder"`
		IncludeExecutionData *bool  `json:"includeExecutionData"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	events, err := s.History(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	scope := fmt.Sprintf("history\x00%s\x00%t", in.ExecutionArn, in.ReverseOrder)
	// after is the id of the last event returned: forward pages continue
	// above it, reverse pages below it.
	after := int64(0)
	if in.ReverseOrder {
		after = int64(len(events)) + 1
	}
	if in.NextToken != "" {
		if after, err = readToken(in.NextToken, scope); err != nil {
			return nil, err
		}
	}
	if in.ReverseOrder {
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	data := in.IncludeExecutionData == nil || *in.IncludeExecutionData
	out := struct {
		Events    []historyEventJSON `json:"events"`
		NextToken string             `json:"nextToken,omitempty"`
	}{Events: []historyEventJSON{}}
	for _, ev := range events {
		if (!in.ReverseOrder && ev.ID <= after) || (in.ReverseOrder && ev.ID >= after) {
			continue
		}
		if len(out.Events) == size {
			out.NextToken = makeToken(scope, out.Events[len(out.Events)-1].ID)
			break
		}
		out.Events = append(out.Events, ev.wire(data))
	}
	return out, nil
}
