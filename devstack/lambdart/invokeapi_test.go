package lambdart_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/goshop-dev/goshop/devstack/lambdart"
)

func sdkClient(t *testing.T, inv lambdart.Invoker) *lambda.Client {
	t.Helper()
	srv := httptest.NewServer(lambdart.NewInvokeAPI(inv))
	t.Cleanup(srv.Close)
	return lambda.New(lambda.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("key", "secret", ""),
		RetryMaxAttempts: 1,
	})
}

func TestInvokeAPIServesTheSDKClient(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{},
		lambdart.Function{Name: "echo", Binary: binaries["echo"]},
		lambdart.Function{Name: "fails", Binary: binaries["typederror"]})
	client := sdkClient(t, s)
	ctx := context.Background()

	out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"echo":"hi"}`)})
	if err != nil {
		t.Fatalf("Invoke echo: %v", err)
	}
	var echo echoOutput
	if err := json.Unmarshal(out.Payload, &echo); err != nil || string(echo.Echo) != `"hi"` {
		t.Errorf("payload %s (%v), want the echo", out.Payload, err)
	}
	pids.add(echo.PID)
	if out.StatusCode != 200 || aws.ToString(out.ExecutedVersion) != "$LATEST" || out.FunctionError != nil {
		t.Errorf("status %d, version %q, function error %v; want 200, $LATEST, none", out.StatusCode, aws.ToString(out.ExecutedVersion), out.FunctionError)
	}

	out, err = client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName: aws.String("arn:aws:lambda:us-east-1:000000000000:function:fails"),
		Payload:      []byte(`{"kind":"typed"}`),
		LogType:      types.LogTypeTail,
	})
	if err != nil {
		t.Fatalf("Invoke fails: %v", err)
	}
	var doc struct{ ErrorType, ErrorMessage string }
	if err := json.Unmarshal(out.Payload, &doc); err != nil {
		t.Fatalf("decode %s: %v", out.Payload, err)
	}
	if aws.ToString(out.FunctionError) != "Unhandled" || doc.ErrorType != "OutOfStockError" || doc.ErrorMessage != "out of stock: sku-1" {
		t.Errorf("function error %q, document %+v; want Unhandled with OutOfStockError", aws.ToString(out.FunctionError), doc)
	}
	tail, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil || !strings.Contains(string(tail), "REPORT RequestId: ") {
		t.Errorf("log result %q (%v), want the base64 log tail with its REPORT line", tail, err)
	}
}

// fakeInvoker answers every invocation with err.
type fakeInvoker struct{ err error }

func (f fakeInvoker) Invoke(context.Context, string, []byte) (lambdart.Result, error) {
	return lambdart.Result{}, f.err
}

func TestInvokeAPIReturnsLambdaExceptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		input   lambda.InvokeInput
		wantErr any
	}{
		{name: "unknown function", err: fmt.Errorf("invoke x: %w", lambdart.ErrFunctionNotFound),
			wantErr: new(*types.ResourceNotFoundException)},
		{name: "throttled", err: fmt.Errorf("invoke x: %w", lambdart.ErrTooManyRequests),
			wantErr: new(*types.TooManyRequestsException)},
		{name: "payload not json", err: fmt.Errorf("invoke x: %w", lambdart.ErrInvalidRequestContent),
			wantErr: new(*types.InvalidRequestContentException)},
		{name: "payload too large", err: fmt.Errorf("invoke x: %w", lambdart.ErrRequestTooLarge),
			wantErr: new(*types.RequestTooLargeException)},
		{name: "service failure", err: errors.New("start x: exec format error"),
			wantErr: new(*types.ServiceException)},
		{name: "event invocation", input: lambda.InvokeInput{InvocationType: types.InvocationTypeEvent},
			wantErr: new(*types.InvalidParameterValueException)},
		{name: "other qualifier", input: lambda.InvokeInput{Qualifier: aws.String("3")},
			wantErr: new(*types.ResourceNotFoundException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := sdkClient(t, fakeInvoker{err: tt.err})
			in := tt.input
			in.FunctionName = aws.String("x")
			_, err := client.Invoke(context.Background(), &in)
			if err == nil || !errors.As(err, tt.wantErr) {
				t.Errorf("Invoke: %v, want %T", err, tt.wantErr)
			}
		})
	}
}
