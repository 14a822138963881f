package sfnemu

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const jsonContentType = "application/x-amz-json-1.0"

// maxRequestBody bounds a request: an input of maxPayload bytes, escaped.
const maxRequestBody = 8 * maxPayload

// ServeHTTP serves the Step Functions AWS JSON 1.0 protocol: POST with
// X-Amz-Target: AWSStepFunctions.<Action>.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.")
	if r.Method != http.MethodPost || !ok {
		writeError(w, newError(CodeUnknownOperation, "expected POST with X-Amz-Target AWSStepFunctions.<Action>"))
		return
	}
	handle, ok := map[string]func([]byte) (any, error){
		"StartExecution":       s.apiStartExecution,
		"DescribeExecution":    s.apiDescribeExecution,
		"StopExecution":        s.apiStopExecution,
		"GetExecutionHistory":  s.apiGetExecutionHistory,
		"ListExecutions":       s.apiListExecutions,
		"DescribeStateMachine": s.apiDescribeStateMachine,
		"ListStateMachines":    s.apiListStateMachines,
	}[action]
	if !ok {
		writeError(w, newError(CodeUnknownOperation, "devstack does not emulate the Step Functions action %q", action))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		writeError(w, newError(CodeSerialization, "request body could not be read"))
		return
	}
	if len(body) == 0 {
		body = []byte("{}")
	}
	out, err := handle(body)
	if err != nil {
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			apiErr = &APIError{Code: "InternalFailure", Message: "internal failure", Status: http.StatusInternalServerError}
		}
		writeError(w, apiErr)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("x-amzn-RequestId", s.opts.NewID())
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e *APIError) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
}

// decode reads a request; a body that is not the action's shape is a
// SerializationException, as the JSON protocol reports it.
func decode(body []byte, dst any) error {
	if err := json.Unmarshal(body, dst); err != nil {
		return newError(CodeSerialization, "the request body is not valid for this action: %v", err)
	}
	return nil
}

// epoch is a timestamp as the JSON protocols encode it: seconds since the
// epoch, with milliseconds.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(time.Time(t).UnixMilli())/1000, 'f', -1, 64)), nil
}

func epochPtr(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

type details struct {
	Included  *bool `json:"included,omitempty"`
	Truncated *bool `json:"truncated,omitempty"`
}

var (
	yes = true
	no  = false
)

func (s *Service) apiStartExecution(body []byte) (any, error) {
	var in struct {
		StateMachineArn string  `json:"stateMachineArn"`
		Name            string  `json:"name"`
		Input           *string `json:"input"`
		TraceHeader     string  `json:"traceHeader"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	e, err := s.StartExecution(StartInput{StateMachineARN: in.StateMachineArn, Name: in.Name, Input: in.Input})
	if err != nil {
		return nil, err
	}
	return struct {
		ExecutionArn string `json:"executionArn"`
		StartDate    epoch  `json:"startDate"`
	}{e.ARN, epoch(e.StartDate)}, nil
}

type describeExecutionOutput struct {
	ExecutionArn    string   `json:"executionArn"`
	StateMachineArn string   `json:"stateMachineArn"`
	Name            string   `json:"name"`
	Status          Status   `json:"status"`
	StartDate       epoch    `json:"startDate"`
	StopDate        *epoch   `json:"stopDate,omitempty"`
	Input           string   `json:"input"`
	InputDetails    details  `json:"inputDetails"`
	Output          *string  `json:"output,omitempty"`
	OutputDetails   *details `json:"outputDetails,omitempty"`
	Error           string   `json:"error,omitempty"`
	Cause           string   `json:"cause,omitempty"`
}

func (s *Service) apiDescribeExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	e, err := s.DescribeExecution(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := describeExecutionOutput{
		ExecutionArn: e.ARN, StateMachineArn: e.StateMachineARN, Name: e.Name, Status: e.Status,
		StartDate: epoch(e.StartDate), StopDate: epochPtr(e.StopDate), Input: e.Input, InputDetails: details{Included: &yes},
		Error: e.Error, Cause: e.Cause,
	}
	if e.Status == StatusSucceeded {
		out.Output, out.OutputDetails = &e.Output, &details{Included: &yes}
	}
	return out, nil
}

func (s *Service) apiStopExecution(body []byte) (any, error) {
	var in struct {
		ExecutionArn string `json:"executionArn"`
		Error        string `json:"error"`
		Cause        string `json:"cause"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	e, err := s.StopExecution(in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	return struct {
		StopDate epoch `json:"stopDate"`
	}{epoch(e.StopDate)}, nil
}

// pageSize applies the maxResults rules: 0 is the default of 100, at
// most 1000.
func pageSize(n int) (int, error) {
	switch {
	case n < 0 || n > 1000:
		return 0, newError(CodeValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", n)
	case n == 0:
		return 100, nil
	}
	return n, nil
}

// Tokens are opaque to clients: base64url of the request's scope and the
// position of the last item returned.
func makeToken(scope string, pos int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(scope + "\x00" + strconv.FormatInt(pos, 10)))
}

func readToken(token, scope string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, errInvalidToken()
	}
	i := strings.LastIndexByte(string(b), 0)
	if i < 0 || string(b[:i]) != scope {
		return 0, errInvalidToken()
	}
	n, err := strconv.ParseInt(string(b[i+1:]), 10, 64)
	if err != nil || n < 0 {
		return 0, errInvalidToken()
	}
	return n, nil
}
