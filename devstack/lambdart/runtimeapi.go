package lambdart

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Runtime API (2018-06-01) headers.
const (
	headerRequestID   = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline    = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID     = "Lambda-Runtime-Trace-Id"
	headerErrorType   = "Lambda-Runtime-Function-Error-Type"
	trailerErrorBody  = "Lambda-Runtime-Function-Error-Body"
)

// invocation is one event on its way through an instance.
type invocation struct {
	id       string
	arn      string
	traceID  string
	payload  []byte
	deadline time.Time // set before the event is handed over

	once     sync.Once
	done     chan struct{}
	response []byte
	failure  *invokeError
}

func newInvocation(arn string, payload []byte, traceID string) *invocation {
	if traceID == "" {
		traceID = fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), randomHex(12), randomHex(8))
	}
	return &invocation{id: uuid.NewString(), arn: arn, traceID: traceID, payload: payload, done: make(chan struct{})}
}

// complete records the runtime's answer; only the first counts.
func (inv *invocation) complete(response []byte, failure *invokeError) bool {
	first := false
	inv.once.Do(func() {
		first = true
		inv.response, inv.failure = response, failure
		close(inv.done)
	})
	return first
}

func (inv *invocation) answered() bool {
	select {
	case <-inv.done:
		return true
	default:
		return false
	}
}

// invokeError is a function error as the Invoke API returns it.
type invokeError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
	body         []byte // the document the runtime posted, returned as is
}

func (e *invokeError) payload() []byte {
	if e.body != nil {
		return e.body
	}
	b, _ := json.Marshal(e)
	return b
}

// exitError is Lambda's error for a runtime that exited during an invocation.
func exitError(requestID string, err error) *invokeError {
	msg := "Runtime exited without providing a reason"
	if err != nil {
		msg = "Runtime exited with error: " + describeExit(err)
	}
	return &invokeError{ErrorType: "Runtime.ExitError", ErrorMessage: "RequestId: " + requestID + " Error: " + msg}
}

// parseFunctionError reads an error the runtime posted: the body's
// errorType wins over the Lambda-Runtime-Function-Error-Type header, as
// the body is what callers receive.
func parseFunctionError(headerType string, body []byte) *invokeError {
	var doc struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if err := json.Unmarshal(body, &doc); err == nil && len(body) > 0 && body[0] == '{' {
		e := &invokeError{ErrorMessage: doc.ErrorMessage, ErrorType: doc.ErrorType, body: body}
		if e.ErrorType == "" {
			e.ErrorType = headerType
			e.body = nil
		}
		if e.ErrorType == "" {
			e.ErrorType = "Unhandled"
		}
		return e
	}
	if headerType == "" {
		headerType = "Unhandled"
	}
	return &invokeError{ErrorType: headerType, ErrorMessage: string(body)}
}

func (in *instance) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", in.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", in.handleResponse)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", in.handleError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", in.handleInitError)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeRuntimeError(w, http.StatusNotFound, "UnknownRoute", "lambdart does not serve "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// handleNext parks the runtime until an invocation is handed to it.
func (in *instance) handleNext(w http.ResponseWriter, r *http.Request) {
	in.firstNext.Do(func() {
		in.initDone = time.Now()
		in.nextCalled.Store(true)
	})
	slot := make(chan *invocation, 1)
	select {
	case in.next <- slot:
	case <-r.Context().Done():
		return
	}
	select {
	case inv := <-slot:
		h := w.Header()
		h.Set(headerRequestID, inv.id)
		h.Set(headerDeadline, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set(headerFunctionARN, inv.arn)
		h.Set(headerTraceID, inv.traceID)
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-r.Context().Done():
	}
}

func (in *instance) handleResponse(w http.ResponseWriter, r *http.Request) {
	inv := in.currentFor(r.PathValue("id"))
	if inv == nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation in progress has this request id")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes+1))
	if err != nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	// aws-lambda-go reports an error met while streaming the response in
	// trailers.
	if t := r.Trailer.Get(headerErrorType); t != "" {
		doc, _ := base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrorBody))
		in.answer(w, inv, nil, parseFunctionError(t, doc))
		return
	}
	if len(body) > MaxPayloadBytes {
		msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxPayloadBytes)
		inv.complete(nil, &invokeError{ErrorType: "Function.ResponseSizeTooLarge", ErrorMessage: msg})
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", msg)
		return
	}
	in.answer(w, inv, body, nil)
}

func (in *instance) handleError(w http.ResponseWriter, r *http.Request) {
	inv := in.currentFor(r.PathValue("id"))
	if inv == nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation in progress has this request id")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes))
	if err != nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	in.answer(w, inv, nil, parseFunctionError(r.Header.Get(headerErrorType), body))
}

func (in *instance) answer(w http.ResponseWriter, inv *invocation, body []byte, failure *invokeError) {
	in.sampleMemory() // while the process surely lives
	if !inv.complete(body, failure) {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidStateTransition", "the invocation already has an answer")
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

func (in *instance) handleInitError(w http.ResponseWriter, r *http.Request) {
	if in.nextCalled.Load() {
		writeRuntimeError(w, http.StatusForbidden, "InvalidStateTransition", "init error posted after init")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes))
	if err != nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	e := parseFunctionError(r.Header.Get(headerErrorType), body)
	in.initOnce.Do(func() {
		in.initErr = e
		close(in.initFailed)
	})
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

func writeRuntimeError(w http.ResponseWriter, status int, errType, msg string) {
	writeJSON(w, status, map[string]string{"errorType": errType, "errorMessage": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
