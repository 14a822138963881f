package sfnemu

type executionListItem struct {
	ExecutionArn    string `json:"executionArn"`
	StateMachineArn string `json:"stateMachineArn"`
	Name            string `json:"name"`
	Status          Status `json:"status"`
	StartDate       epoch  `json:"startDate"`
	StopDate        *epoch `json:"stopDate,omitempty"`
}

func (s *Service) apiListExecutions(body []byte) (any, error) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
		StatusFilter    Status `json:"statusFilter"`
		MaxResults      int    `json:"maxResults"`
		NextToken       string `json:"nextToken"`
		MapRunArn       string `json:"mapRunArn"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.MapRunArn != "" {
		return nil, newError(CodeValidation, "devstack does not emulate Map Runs (mapRunArn)")
	}
	switch in.StatusFilter {
	case "", StatusRunning, StatusSucceeded, StatusFailed, StatusTimedOut, StatusAborted, "PENDING_REDRIVE":
	default:
		return nil, newError(CodeValidation, "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", in.StatusFilter)
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	scope := "executions\x00" + in.StateMachineArn + "\x00" + string(in.StatusFilter)
	before := int64(-1)
	if in.NextToken != "" {
		if before, err = readToken(in.NextToken, scope); err != nil {
			return nil, err
		}
	}
	page, next, err := s.executionPage(in.StateMachineArn, in.StatusFilter, before, size)
	if err != nil {
		return nil, err
	}
	out := struct {
		Executions []executionListItem `json:"executions"`
		NextToken  string              `json:"nextToken,omitempty"`
	}{Executions: []executionListItem{}}
	for _, e := range page {
		out.Executions = append(out.Executions, executionListItem{e.ARN, e.StateMachineARN, e.Name, e.Status, epoch(e.StartDate), epochPtr(e.StopDate)})
	}
	if next >= 0 {
		out.NextToken = makeToken(scope, next)
	}
	return out, nil
}

// executionPage returns up to size executions of a machine with status
// (any when empty), newest first, started before the one numbered before
// (all when negative), and the number to continue from (-1 at the end).
func (s *Service) executionPage(machineARN string, status Status, before int64, size int) ([]Execution, int64, error) {
	if err := checkMachineARN(machineARN); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[machineARN]
	if !ok {
		return nil, 0, errStateMachineDoesNotExist(machineARN)
	}
	var page []Execution
	last := int64(-1)
	for i := len(m.runs) - 1; i >= 0; i-- {
		e := m.runs[i]
		if (before >= 0 && e.seq >= before) || (status != "" && e.Status != status) {
			continue
		}
		if len(page) == size {
			return page, last, nil
		}
		page = append(page, e.Execution)
		last = e.seq
	}
	return page, -1, nil
}

func (s *Service) apiDescribeStateMachine(body []byte) (any, error) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := checkMachineARN(in.StateMachineArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	m, ok := s.machines[in.StateMachineArn]
	s.mu.Unlock()
	if !ok {
		return nil, errStateMachineDoesNotExist(in.StateMachineArn)
	}
	return struct {
		StateMachineArn string `json:"stateMachineArn"`
		Name            string `json:"name"`
		Status          string `json:"status"`
		Definition      string `json:"definition"`
		RoleArn         string `json:"roleArn"`
		Type            string `json:"type"`
		CreationDate    epoch  `json:"creationDate"`
	}{m.ARN, m.Name, "ACTIVE", m.Definition, "", "STANDARD", epoch(m.CreationDate)}, nil
}

func (s *Service) apiListStateMachines(body []byte) (any, error) {
	var in struct {
		MaxResults int    `json:"maxResults"`
		NextToken  string `json:"nextToken"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	start := int64(0)
	if in.NextToken != "" {
		if start, err = readToken(in.NextToken, "machines"); err != nil {
			return nil, err
		}
	}
	type item struct {
		StateMachineArn string `json:"stateMachineArn"`
		Name            string `json:"name"`
		Type            string `json:"type"`
		CreationDate    epoch  `json:"creationDate"`
	}
	out := struct {
		StateMachines []item `json:"stateMachines"`
		NextToken     string `json:"nextToken,omitempty"`
	}{StateMachines: []item{}}
	// Machines are only added, at start-up, so an index into the list by
	// name is a stable position.
	all := s.StateMachines()
	for i := int(min(start, int64(len(all)))); i < len(all); i++ {
		if len(out.StateMachines) == size {
			out.NextToken = makeToken("machines", int64(i))
			break
		}
		out.StateMachines = append(out.StateMachines, item{all[i].ARN, all[i].Name, "STANDARD", epoch(all[i].CreationDate)})
	}
	return out, nil
}
