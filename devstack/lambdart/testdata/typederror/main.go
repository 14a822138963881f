// Command typederror is a test function that fails as asked: with a typed
// error, a plain error, or a panic.
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

// OutOfStockError is a typed error; aws-lambda-go reports its type name
// as the errorType.
type OutOfStockError struct{ SKU string }

func (e *OutOfStockError) Error() string { return "out of stock: " + e.SKU }

type input struct {
	Kind string `json:"kind"`
}

func handle(_ context.Context, in input) (string, error) {
	switch in.Kind {
	case "typed":
		return "", &OutOfStockError{SKU: "sku-1"}
	case "plain":
		return "", errors.New("plain failure")
	case "panic":
		panic("boom")
	}
	return "fine", nil
}

func main() {
	lambda.Start(handle)
}
