// Package sfnstarter is the orders.SagaStarter on AWS Step Functions: it
// starts the checkout saga's execution of an order, named after the order,
// with the saga's input contract. It is its own package so that only the
// orders-checkout function links the Step Functions client.
package sfnstarter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/logging"
)

// StepFunctions is the part of the Step Functions client the Starter uses.
type StepFunctions interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, opts ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
}

// Starter is the orders.SagaStarter on a Step Functions state machine: one
// execution per order, named after the order id.
type Starter struct {
	client       StepFunctions
	stateMachine string
}

var _ orders.SagaStarter = (*Starter)(nil)

// New returns a Starter of the state machine stateMachineARN.
func New(client StepFunctions, stateMachineARN string) *Starter {
	return &Starter{client: client, stateMachine: stateMachineARN}
}

// SagaInput is the checkout saga's execution input (the contract of the
// state machine's first states).
type SagaInput struct {
	OrderID       string     `json:"orderId"`
	UserID        string     `json:"userId"`
	CorrelationID string     `json:"correlationId"`
	Lines         []SagaLine `json:"lines"`
	Total         Money      `json:"total"`
	PaymentToken  string     `json:"paymentToken"`
}

// SagaLine is a line of SagaInput.
type SagaLine struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
}

// Money is an amount in minor units of a currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Start starts the execution named in.OrderID. An execution of that name
// that exists already (the same order started before) is success: a
// retried checkout re-issues the start safely. The correlation id comes
// from ctx. The input carries the payment token: it is never logged here.
func (s *Starter) Start(ctx context.Context, in orders.SagaInput) error {
	body := SagaInput{
		OrderID: in.OrderID, UserID: in.UserID, CorrelationID: logging.IDsFrom(ctx).CorrelationID,
		Lines: make([]SagaLine, 0, len(in.Lines)),
		Total: Money{Amount: in.Total.Amount(), Currency: in.Total.Currency()}, PaymentToken: in.PaymentToken,
	}
	for _, l := range in.Lines {
		body.Lines = append(body.Lines, SagaLine{ProductID: l.ProductID, Quantity: l.Quantity})
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode saga input of %s: %w", in.OrderID, err)
	}
	_, err = s.client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(s.stateMachine),
		Name:            aws.String(in.OrderID),
		Input:           aws.String(string(raw)),
	})
	var exists *sfntypes.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		return nil
	}
	if err != nil {
		// The SDK's error names the operation, never the input.
		return fmt.Errorf("start saga of %s: %w", in.OrderID, err)
	}
	return nil
}

// FromConfig returns a Starter of stateMachineARN with a Step Functions
// client built from cfg.
func FromConfig(cfg aws.Config, stateMachineARN string) orders.SagaStarter {
	return New(sfn.NewFromConfig(cfg), stateMachineARN)
}
