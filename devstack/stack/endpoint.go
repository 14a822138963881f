package stack

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// awsEndpoint serves the AWS APIs on one address, as a LocalStack-style
// edge: JSON protocols by their X-Amz-Target prefix, Lambda's REST API by
// path.
type awsEndpoint struct {
	sqs, events, sfn, secrets, lambda http.Handler
}

func (e *awsEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/2015-03-31/functions/") {
		e.lambda.ServeHTTP(w, r)
		return
	}
	target := r.Header.Get("X-Amz-Target")
	for _, route := range []struct {
		prefix  string
		handler http.Handler
	}{
		{"AmazonSQS.", e.sqs},
		{"AWSEvents.", e.events},
		{"AWSStepFunctions.", e.sfn},
		{"secretsmanager.", e.secrets},
	} {
		if strings.HasPrefix(target, route.prefix) {
			route.handler.ServeHTTP(w, r)
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", "UnknownOperationException")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"__type":  "UnknownOperationException",
		"message": "devstack serves SQS, EventBridge, Step Functions, Secrets Manager and Lambda Invoke; not " + r.Method + " " + r.URL.Path + " X-Amz-Target " + target,
	})
}

// Serialized returns w behind a mutex, for writers shared by goroutines
// (the stack's parts, a command and its logs).
func Serialized(w io.Writer) io.Writer { return &syncWriter{w: w} }

// syncWriter serializes writes to a shared log writer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
