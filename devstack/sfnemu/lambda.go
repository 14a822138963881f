package sfnemu

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/goshop-dev/goshop/devstack/asl"
)

func (iv *invoker) lambda(ctx context.Context, params any) (any, error) {
	p, _ := params.(map[string]any)
	fn, ok := p["FunctionName"].(string)
	if !ok || fn == "" {
		return nil, &asl.Error{Name: asl.ErrRuntime, Cause: "lambda:invoke: FunctionName must be a non-empty string"}
	}
	var payload []byte
	if v, ok := p["Payload"]; ok {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, &asl.Error{Name: asl.ErrRuntime, Cause: err.Error()}
		}
		payload = b
	}
	out, errType, errMsg, err := iv.s.opts.Lambda.Invoke(ctx, fn, payload)
	if err != nil {
		return nil, apiErrorName(ctx, "Lambda", err)
	}
	if errType != "" || errMsg != "" {
		name := errType
		if name == "" {
			name = "Lambda.Unknown"
		}
		return nil, &asl.Error{Name: name, Cause: functionErrorCause(out, errType, errMsg)}
	}
	var decoded any
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &decoded); err != nil {
			decoded = string(out)
		}
	}
	requestID := iv.s.opts.NewID()
	headers := map[string]string{
		"Connection":                     "keep-alive",
		"Content-Length":                 strconv.Itoa(len(out)),
		"Content-Type":                   "application/json",
		"Date":                           iv.s.opts.Now().UTC().Format(time.RFC1123),
		"X-Amz-Executed-Version":         "$LATEST",
		"x-amzn-Remapped-Content-Length": "0",
		"x-amzn-RequestId":               requestID,
	}
	all := map[string]any{}
	single := map[string]any{}
	for k, v := range headers {
		all[k] = []any{v}
		single[k] = v
	}
	return map[string]any{
		"ExecutedVersion":     "$LATEST",
		"Payload":             decoded,
		"SdkHttpMetadata":     map[string]any{"AllHttpHeaders": all, "HttpHeaders": single, "HttpStatusCode": float64(200)},
		"SdkResponseMetadata": map[string]any{"RequestId": requestID},
		"StatusCode":          float64(200),
	}, nil
}

// functionErrorCause is the Cause of a function error: the error document
// the function returned, compacted, or one built from its type and message.
func functionErrorCause(doc []byte, errType, errMsg string) string {
	var v map[string]any
	if json.Unmarshal(doc, &v) == nil && v != nil {
		if b, err := json.Marshal(v); err == nil {
			return string(b)
		}
	}
	b, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType,omitempty"`
	}{errMsg, errType})
	return string(b)
}
