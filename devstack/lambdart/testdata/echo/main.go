// Command echo is a test function: it answers with its input, its process,
// the invocation's metadata and the environment variables asked for, after
// sleeping SleepMs (ignoring its deadline, to test timeouts).
package main

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type input struct {
	Echo    json.RawMessage `json:"echo"`
	SleepMs int             `json:"sleepMs"`
	Env     []string        `json:"env"`
}

type output struct {
	Echo        json.RawMessage   `json:"echo"`
	PID         int               `json:"pid"`
	RequestID   string            `json:"requestId"`
	FunctionARN string            `json:"functionArn"`
	TraceID     string            `json:"traceId"`
	DeadlineMs  int64             `json:"deadlineMs"`
	Env         map[string]string `json:"env"`
}

func handle(ctx context.Context, in input) (output, error) {
	time.Sleep(time.Duration(in.SleepMs) * time.Millisecond)
	out := output{Echo: in.Echo, PID: os.Getpid(), Env: map[string]string{}}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		out.RequestID = lc.AwsRequestID
		out.FunctionARN = lc.InvokedFunctionArn
	}
	out.TraceID, _ = ctx.Value("x-amzn-trace-id").(string)
	if d, ok := ctx.Deadline(); ok {
		out.DeadlineMs = d.UnixMilli()
	}
	for _, k := range in.Env {
		if v, ok := os.LookupEnv(k); ok {
			out.Env[k] = v
		}
	}
	return out, nil
}

func main() {
	lambda.Start(handle)
}
