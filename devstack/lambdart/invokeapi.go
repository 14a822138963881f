package lambdart

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Invoker runs a function synchronously; *Service is one.
type Invoker interface {
	Invoke(ctx context.Context, name string, payload []byte) (Result, error)
}

// NewInvokeAPI serves the Lambda Invoke operation of the AWS REST protocol,
// POST /2015-03-31/functions/{name}/invocations, so the AWS SDKs' Lambda
// clients work against inv. It supports the RequestResponse invocation
// type, the $LATEST qualifier and LogType Tail; any other invocation type
// or qualifier is refused. Responses carry X-Amz-Executed-Version and, for
// a failed invocation, X-Amz-Function-Error with the error document as the
// body (status 200, as Lambda). Errors are Lambda's: 404
// ResourceNotFoundException, 429 TooManyRequestsException, 400
// InvalidRequestContentException, 413 RequestTooLargeException, 400
// InvalidParameterValueException.
func NewInvokeAPI(inv Invoker) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", func(w http.ResponseWriter, r *http.Request) {
		serveInvoke(inv, w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, "UnknownOperationException", "lambdart serves only Invoke, not "+r.Method+" "+r.URL.Path)
	})
	return mux
}

func serveInvoke(inv Invoker, w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if t := r.Header.Get("X-Amz-Invocation-Type"); t != "" && t != "RequestResponse" {
		writeAPIError(w, http.StatusBadRequest, "InvalidParameterValueException",
			"InvocationType "+t+" is not supported by lambdart: only RequestResponse")
		return
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" && q != LatestVersion {
		writeAPIError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+name+":"+q)
		return
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes+1))
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "InvalidRequestContentException", "could not read the request body")
		return
	}
	res, err := inv.Invoke(r.Context(), name, payload)
	switch {
	case err == nil:
	case errors.Is(err, ErrFunctionNotFound):
		writeAPIError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+name)
		return
	case errors.Is(err, ErrTooManyRequests):
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{
			"Type": "User", "message": "Rate Exceeded.", "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
		})
		return
	case errors.Is(err, ErrInvalidRequestContent):
		writeAPIError(w, http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json")
		return
	case errors.Is(err, ErrRequestTooLarge):
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException",
			"Request must be smaller than "+strconv.Itoa(MaxPayloadBytes)+" bytes for the InvokeFunction operation")
		return
	case r.Context().Err() != nil:
		return // the caller is gone
	default:
		writeAPIError(w, http.StatusInternalServerError, "ServiceException", err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amz-Executed-Version", LatestVersion)
	h.Set("X-Amzn-RequestId", res.RequestID)
	if res.FunctionError != "" {
		h.Set("X-Amz-Function-Error", res.FunctionError)
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		h.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte(res.LogTail)))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Payload)
}

// writeAPIError writes an error of the AWS REST JSON protocol: the code in
// X-Amzn-ErrorType and the body, as Lambda sends it.
func writeAPIError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Amzn-ErrorType", code)
	writeJSON(w, status, map[string]string{"Type": "User", "message": msg})
}
