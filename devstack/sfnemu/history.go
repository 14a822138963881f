package sfnemu

import (
	"time"

	"github.com/goshop-dev/goshop/devstack/asl"
)

// HistoryEvent is one event of an execution's history, with the AWS event
// type ("TaskStateEntered", "TaskFailed", ...). The fields a type does not
// use are empty; Input and Output are nil when not known.
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	// StateName is set on StateEntered and StateExited events.
	StateName string
	Input     *string
	Output    *string
	// ResourceType and Resource name a task's integration ("lambda",
	// "invoke"); Parameters are its effective parameters as JSON.
	ResourceType     string
	Resource         string
	Region           string
	Parameters       string
	TimeoutInSeconds int64
	Error            string
	Cause            string
}

// History returns the events of an execution, oldest first.
func (s *Service) History(arn string) ([]HistoryEvent, error) {
	if err := checkExecutionARN(arn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.execs[arn]
	if !ok {
		return nil, errExecutionDoesNotExist(arn)
	}
	return append([]HistoryEvent(nil), e.events...), nil
}

// record appends ev to e's history, numbering it; s.mu is held.
func (s *Service) record(e *execution, ev HistoryEvent) {
	ev.ID = int64(len(e.events)) + 1
	ev.PreviousEventID = ev.ID - 1
	ev.Timestamp = s.opts.Now()
	e.events = append(e.events, ev)
}

// recordRunning records ev unless e has been stopped.
func (s *Service) recordRunning(e *execution, ev HistoryEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Status == StatusRunning {
		s.record(e, ev)
	}
}

// onEvent turns the interpreter's events into AWS history events. Task
// events come from the invoker; the execution's own end is recorded by run.
func (s *Service) onEvent(e *execution, ev asl.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Status != StatusRunning {
		return
	}
	switch ev.Type {
	case "StateEntered":
		s.exitCurrent(e, nil)
		in := (*string)(nil)
		if len(e.events) == 1 { // the first state's input is the execution's
			in = &e.Input
		}
		s.record(e, HistoryEvent{Type: e.stateType(ev.State) + "StateEntered", StateName: ev.State, Input: in})
		e.current = ev.State
	case "TaskFailed":
		typ := "TaskFailed"
		if ev.Err.Name == asl.ErrTimeout {
			typ = "TaskTimedOut"
		}
		rt, r := splitResource(e.m.def.States[ev.State].Resource)
		s.record(e, HistoryEvent{Type: typ, ResourceType: rt, Resource: r, Error: ev.Err.Name, Cause: ev.Err.Cause})
	case "ExecutionSucceeded":
		var out *string
		if b, err := marshalJSON(ev.Output); err == nil {
			out = &b
		}
		s.exitCurrent(e, out)
	case "ExecutionFailed":
		e.current = "" // a failing state does not exit
	}
	// RetryScheduled and ErrorCaught have no event of their own in AWS:
	// a retry shows as the next TaskScheduled, a catch as the StateExited.
}

// exitCurrent records the StateExited event of the state e is in, if any;
// a Fail state has none.
func (s *Service) exitCurrent(e *execution, output *string) {
	if e.current == "" {
		return
	}
	if typ := e.stateType(e.current); typ != "Fail" {
		s.record(e, HistoryEvent{Type: typ + "StateExited", StateName: e.current, Output: output})
	}
	e.current = ""
}

func (e *execution) stateType(name string) string {
	if st, ok := e.m.def.States[name]; ok {
		return st.Type
	}
	return "Task"
}
