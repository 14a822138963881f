package sfnemu

import (
	"context"
	"fmt"
)

// Starter starts executions of one state machine with generated names. It
// satisfies eventsemu.ExecutionStarter, for rules targeting the machine.
type Starter struct {
	s   *Service
	arn string
}

// Starter returns the Starter of the state machine stateMachineARN.
func (s *Service) Starter(stateMachineARN string) *Starter {
	return &Starter{s: s, arn: stateMachineARN}
}

// StartExecution starts an execution with input.
func (st *Starter) StartExecution(_ context.Context, input []byte) error {
	in := string(input)
	if _, err := st.s.StartExecution(StartInput{StateMachineARN: st.arn, Input: &in}); err != nil {
		return fmt.Errorf("start execution of %s: %w", st.arn, err)
	}
	return nil
}
