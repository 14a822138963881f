package eventsemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
)

const jsonContentType = "application/x-amz-json-1.1"

// maxRequestSize is PutEvents' limit on the total size of the entries.
const maxRequestSize = 256 * 1024

// ServeHTTP serves the EventBridge AWS JSON 1.1 protocol: POST with
// X-Amz-Target: AWSEvents.<Action>, for PutEvents, PutRule, PutTargets,
// RemoveTargets, DeleteRule, DescribeRule and ListTargetsByRule. Other
// actions are refused with UnknownOperationException naming them.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSEvents.")
	if r.Method != http.MethodPost || !ok {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "expected POST with X-Amz-Target AWSEvents.<Action>")
		return
	}
	op, ok := s.operations()[action]
	if !ok {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", fmt.Sprintf("devstack does not emulate the EventBridge action %q", action))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4*maxRequestSize))
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "request body could not be read")
		return
	}
	out, err := op(body)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{"InternalException", http.StatusInternalServerError, "Internal failure."}
		}
		writeError(w, e.Status, e.Code, e.Message)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("x-amzn-RequestId", s.newID())
	_ = json.NewEncoder(w).Encode(out)
}

type operation func(body []byte) (any, error)

func (s *Service) operations() map[string]operation {
	return map[string]operation{
		"PutEvents":         s.putEventsAPI,
		"PutRule":           s.putRuleAPI,
		"PutTargets":        s.putTargetsAPI,
		"RemoveTargets":     s.removeTargetsAPI,
		"DeleteRule":        s.deleteRuleAPI,
		"DescribeRule":      s.describeRuleAPI,
		"ListTargetsByRule": s.listTargetsByRuleAPI,
	}
}

// decode reads a request body into v.
func decode(body []byte, v any, action string) error {
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{"SerializationException", http.StatusBadRequest, fmt.Sprintf("request body is not a valid %s request", action)}
	}
	return nil
}

func (s *Service) putEventsAPI(body []byte) (any, error) {
	var in struct {
		Entries []struct {
			Source       string   `json:"Source"`
			DetailType   string   `json:"DetailType"`
			Detail       string   `json:"Detail"`
			EventBusName string   `json:"EventBusName"`
			Resources    []string `json:"Resources"`
			Time         *float64 `json:"Time"` // epoch seconds, as the JSON protocols encode timestamps
		} `json:"Entries"`
		EndpointId string `json:"EndpointId"`
	}
	if err := decode(body, &in, "PutEvents"); err != nil {
		return nil, err
	}
	if n := len(in.Entries); n < 1 || n > 10 {
		return nil, errValidation("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1 (got %d)", n)
	}
	if in.EndpointId != "" {
		return nil, errValidation("devstack does not emulate global endpoints (EndpointId)")
	}
	size := 0
	entries := make([]Entry, len(in.Entries))
	for i, e := range in.Entries {
		size += entrySize(e.Source, e.DetailType, e.Detail, e.Resources, e.Time != nil)
		entries[i] = Entry{Source: e.Source, DetailType: e.DetailType, Detail: e.Detail, EventBusName: e.EventBusName, Resources: e.Resources}
		if e.Time != nil {
			sec, frac := math.Modf(*e.Time)
			entries[i].Time = time.Unix(int64(sec), int64(frac*1e9))
		}
	}
	if size > maxRequestSize {
		return nil, errValidation("Total size of the entries in the request is over the limit.")
	}
	type resultEntry struct {
		EventId      string `json:"EventId,omitempty"`
		ErrorCode    string `json:"ErrorCode,omitempty"`
		ErrorMessage string `json:"ErrorMessage,omitempty"`
	}
	out := struct {
		FailedEntryCount int           `json:"FailedEntryCount"`
		Entries          []resultEntry `json:"Entries"`
	}{}
	for _, res := range s.PutEvents(entries) {
		if res.ErrorCode != "" {
			out.FailedEntryCount++
		}
		out.Entries = append(out.Entries, resultEntry{res.EventID, res.ErrorCode, res.ErrorMessage})
	}
	return out, nil
}

// entrySize follows EventBridge's documented calculation of PutEvents
// entry size: UTF-8 bytes of Source, DetailType, Detail and Resources, plus
// 14 bytes for Time.
func entrySize(source, detailType, detail string, resources []string, hasTime bool) int {
	n := len(source) + len(detailType) + len(detail)
	for _, r := range resources {
		n += len(r)
	}
	if hasTime {
		n += 14
	}
	return n
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message})
}
