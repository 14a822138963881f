package sfnstarter_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/orderstask/sfnstarter"
)

// fakeSFN records executions by name, like Step Functions: a second start
// of a name is ExecutionAlreadyExists.
type fakeSFN struct {
	mu     sync.Mutex
	inputs map[string]string
	err    error
}

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	name := aws.ToString(in.Name)
	if _, ok := f.inputs[name]; ok {
		return nil, &sfntypes.ExecutionAlreadyExists{Message: aws.String("exists")}
	}
	f.inputs[name] = aws.ToString(in.Input)
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String("arn:" + name)}, nil
}

func TestStarter(t *testing.T) {
	t.Parallel()
	api := &fakeSFN{inputs: map[string]string{}}
	starter := sfnstarter.New(api, "arn:aws:states:eu-west-1:1:stateMachine:checkout")
	total, _ := money.New(4998, "EUR")
	in := orders.SagaInput{OrderID: "o-1", UserID: "u-1", Lines: []orders.SagaLine{{ProductID: "p-1", Quantity: 2}}, Total: total, PaymentToken: "tok_1"}
	ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-1"})
	for range 2 {
		if err := starter.Start(ctx, in); err != nil {
			t.Fatalf("Start: %v", err)
		}
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(api.inputs["o-1"]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"orderId": "o-1", "userId": "u-1", "correlationId": "corr-1",
		"lines":        []any{map[string]any{"productId": "p-1", "quantity": float64(2)}},
		"total":        map[string]any{"amount": float64(4998), "currency": "EUR"},
		"paymentToken": "tok_1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("saga input (-want +got):\n%s", diff)
	}
	api.err = errors.New("throttled")
	if err := starter.Start(ctx, in); err == nil {
		t.Error("Start with a failing API: nil error")
	}
}
