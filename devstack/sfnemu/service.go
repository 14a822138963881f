package sfnemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/devstack/asl"
	"github.com/goshop-dev/goshop/devstack/template"
)

// Options configure a Service. Zero values take the defaults shown.
type Options struct {
	// Region is reported in TaskScheduled events ("us-east-1").
	Region string
	// Lambda serves lambda:invoke tasks; a state machine using them is
	// refused without it.
	Lambda LambdaInvoker
	// Events serves events:putEvents tasks; a state machine using them is
	// refused without it.
	Events EventPutter
	// Now is the clock (time.Now).
	Now func() time.Time
	// NewID generates execution names and request ids (uuid.NewString).
	NewID func() string
	// Sleep waits between task retries (a timer honouring ctx); tests make
	// retries instant with it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand draws retry jitter in [0,1) (math/rand).
	Rand func() float64
}

// Status is an execution's status.
type Status string

// Execution statuses.
const (
	StatusRunning   Status = "RUNNING"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
	StatusTimedOut  Status = "TIMED_OUT"
	StatusAborted   Status = "ABORTED"
)

// Execution describes one execution, as DescribeExecution does. Output is
// set when it SUCCEEDED; Error and Cause when it FAILED, TIMED_OUT or was
// ABORTED with them.
type Execution struct {
	ARN             string
	StateMachineARN string
	Name            string
	Status          Status
	Input           string
	Output          string
	Error           string
	Cause           string
	StartDate       time.Time
	StopDate        time.Time // zero while RUNNING
}

// StateMachine describes a registered state machine.
type StateMachine struct {
	ARN          string
	Name         string
	Definition   string
	CreationDate time.Time
}

// Service runs the executions of registered state machines. It is safe for
// concurrent use; ServeHTTP serves the Step Functions API. Close stops it.
type Service struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	machines map[string]*machine
	execs    map[string]*execution
	seq      int64
	closed   bool
}

type machine struct {
	StateMachine
	def *asl.Definition
	// runs holds the executions, oldest first.
	runs []*execution
}

type execution struct {
	Execution
	seq     int64
	m       *machine
	cancel  context.CancelFunc
	done    chan struct{}
	events  []HistoryEvent
	current string    // the state entered last, not yet exited
	began   time.Time // real start time, for the machine's TimeoutSeconds
}

// New returns a Service with no state machines.
func New(opts Options) *Service {
	if opts.Region == "" {
		opts.Region = template.DefaultRegion
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewID == nil {
		opts.NewID = uuid.NewString
	}
	s := &Service{opts: opts, machines: map[string]*machine{}, execs: map[string]*execution{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Register adds a state machine from the template. A definition asl.Parse
// refuses, or that uses a Resource or parameter this package does not
// serve, is refused with an error naming the state machine.
func (s *Service) Register(sm *template.StateMachine) error {
	if err := s.register(sm); err != nil {
		return fmt.Errorf("state machine %s: %w", sm.Name, err)
	}
	return nil
}

func (s *Service) register(sm *template.StateMachine) error {
	name, ok := machineName(sm.ARN)
	if !ok {
		return fmt.Errorf("ARN %q is not a state machine ARN", sm.ARN)
	}
	if sm.Type != "" && sm.Type != "STANDARD" {
		return fmt.Errorf("type %s is not supported (only STANDARD)", sm.Type)
	}
	def, err := asl.Parse([]byte(sm.Definition))
	if err != nil {
		return err
	}
	if err := s.checkIntegrations(def); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.machines[sm.ARN]; dup {
		return fmt.Errorf("ARN %s is already registered", sm.ARN)
	}
	s.machines[sm.ARN] = &machine{
		StateMachine: StateMachine{ARN: sm.ARN, Name: name, Definition: sm.Definition, CreationDate: s.opts.Now()},
		def:          def,
	}
	return nil
}

// StateMachines returns the registered state machines, by name.
func (s *Service) StateMachines() []StateMachine {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]StateMachine, 0, len(s.machines))
	for _, m := range s.machines {
		out = append(out, m.StateMachine)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// StartInput is a StartExecution request. Name is optional (a UUID), Input
// too ("{}").
type StartInput struct {
	StateMachineARN string
	Name            string
	Input           *string
}

// StartExecution starts an execution in the background, or returns the
// running execution with the same name and input (see the package doc).
// Errors are *APIError.
func (s *Service) StartExecution(in StartInput) (Execution, error) {
	if err := checkMachineARN(in.StateMachineARN); err != nil {
		return Execution{}, err
	}
	name := in.Name
	if name == "" {
		name = s.opts.NewID()
	}
	if !validName(name) {
		return Execution{}, newError(CodeInvalidName, "Invalid Name: '%s'", name)
	}
	input := "{}"
	if in.Input != nil {
		input = *in.Input
	}
	if len(input) > maxPayload {
		return Execution{}, newError(CodeValidation, "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to %d", maxPayload)
	}
	var decoded any
	if err := json.Unmarshal([]byte(input), &decoded); err != nil {
		return Execution{}, newError(CodeInvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Execution{}, &APIError{Code: CodeServiceUnavailable, Message: "the Step Functions emulator is closed", Status: 503}
	}
	m, ok := s.machines[in.StateMachineARN]
	if !ok {
		return Execution{}, errStateMachineDoesNotExist(in.StateMachineARN)
	}
	arn := executionARN(m.ARN, name)
	if e, ok := s.execs[arn]; ok {
		if e.Status == StatusRunning && e.Input == input {
			return e.Execution, nil
		}
		return Execution{}, errExecutionAlreadyExists(arn)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.seq++
	e := &execution{
		Execution: Execution{ARN: arn, StateMachineARN: m.ARN, Name: name, Status: StatusRunning, Input: input, StartDate: s.opts.Now()},
		seq:       s.seq, m: m, cancel: cancel, done: make(chan struct{}), began: time.Now(),
	}
	s.execs[arn] = e
	m.runs = append(m.runs, e)
	s.record(e, HistoryEvent{Type: "ExecutionStarted", Input: &e.Input})
	s.wg.Add(1)
	go s.run(ctx, e, decoded)
	return e.Execution, nil
}

// maxPayload is Step Functions' limit on an execution's input and on data
// passed between states: 256 KiB.
const maxPayload = 256 * 1024

// DescribeExecution returns the execution with this ARN.
func (s *Service) DescribeExecution(arn string) (Execution, error) {
	if err := checkExecutionARN(arn); err != nil {
		return Execution{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.execs[arn]
	if !ok {
		return Execution{}, errExecutionDoesNotExist(arn)
	}
	return e.Execution, nil
}

// StopExecution aborts a running execution: it is ABORTED at once with
// errName and cause, and its task in progress sees its context cancelled.
// Stopping a closed execution changes nothing, as in AWS.
func (s *Service) StopExecution(arn, errName, cause string) (Execution, error) {
	if err := checkExecutionARN(arn); err != nil {
		return Execution{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.execs[arn]
	if !ok {
		return Execution{}, errExecutionDoesNotExist(arn)
	}
	s.abort(e, errName, cause)
	return e.Execution, nil
}

// abort stops a running execution; s.mu is held.
func (s *Service) abort(e *execution, errName, cause string) {
	if e.Status != StatusRunning {
		return
	}
	e.Status, e.Error, e.Cause, e.StopDate = StatusAborted, errName, cause, s.opts.Now()
	s.record(e, HistoryEvent{Type: "ExecutionAborted", Error: errName, Cause: cause})
	e.cancel()
}

// Executions returns the executions of a state machine, newest first,
// optionally only those with status.
func (s *Service) Executions(stateMachineARN string, status Status) ([]Execution, error) {
	if err := checkMachineARN(stateMachineARN); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[stateMachineARN]
	if !ok {
		return nil, errStateMachineDoesNotExist(stateMachineARN)
	}
	var out []Execution
	for i := len(m.runs) - 1; i >= 0; i-- {
		if status == "" || m.runs[i].Status == status {
			out = append(out, m.runs[i].Execution)
		}
	}
	return out, nil
}

// Wait blocks until no execution is running or ctx is done.
func (s *Service) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close aborts the running executions (error "devstack.Shutdown"), waits
// for their goroutines to return, and refuses later starts.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, e := range s.execs {
		s.abort(e, "devstack.Shutdown", "devstack stopped while the execution was running")
	}
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// run executes e in its own goroutine and records its outcome.
func (s *Service) run(ctx context.Context, e *execution, input any) {
	defer s.wg.Done()
	defer close(e.done)
	defer e.cancel()
	inv := &invoker{s: s, e: e, execCtx: ctx}
	out, err := e.m.def.Execute(ctx, input, asl.Options{
		Invoker: inv, Sleep: s.opts.Sleep, Rand: s.opts.Rand,
		OnEvent: func(ev asl.Event) { s.onEvent(e, ev) },
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Status != StatusRunning {
		return // aborted
	}
	e.StopDate = s.opts.Now()
	if err == nil {
		b, merr := json.Marshal(out)
		if merr == nil && len(b) > maxPayload {
			merr = fmt.Errorf("the output is %d bytes, over the %d byte limit", len(b), maxPayload)
		}
		if merr == nil {
			e.Status, e.Output = StatusSucceeded, string(b)
			s.record(e, HistoryEvent{Type: "ExecutionSucceeded", Output: &e.Output})
			return
		}
		err = &asl.Error{Name: "States.DataLimitExceeded", Cause: merr.Error()}
	}
	var ae *asl.Error
	if !errors.As(err, &ae) {
		ae = &asl.Error{Name: asl.ErrRuntime, Cause: err.Error()}
	}
	e.Error, e.Cause = ae.Name, ae.Cause
	limit := time.Duration(e.m.def.TimeoutSeconds) * time.Second
	if ae.Name == asl.ErrTimeout && limit > 0 && time.Since(e.began) >= limit {
		e.Status = StatusTimedOut
		s.record(e, HistoryEvent{Type: "ExecutionTimedOut", Error: ae.Name, Cause: ae.Cause})
		return
	}
	e.Status = StatusFailed
	s.record(e, HistoryEvent{Type: "ExecutionFailed", Error: ae.Name, Cause: ae.Cause})
}
