// Package catalogrpc is the internal contract by which other services ask
// the catalog about products without touching its table: a direct Lambda
// invocation of the catalog-lookup function with a JSON request. The
// request and response types are the contract; Client is the caller's side
// and Handler the function's side.
package catalogrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// MaxIDs bounds one lookup.
const MaxIDs = 100

// LookupRequest asks for products by id.
type LookupRequest struct {
	ProductIDs []string `json:"productIds"`
}

// Product is what the catalog tells other services about a product.
type Product struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Category    string `json:"category"`
	PriceAmount int64  `json:"priceAmount"`
	Currency    string `json:"currency"`
	Available   int    `json:"available"`
}

// LookupResponse lists the products found; unknown ids are absent.
type LookupResponse struct {
	Products []Product `json:"products"`
}

// LookupFunc is the catalog's side of a lookup.
type LookupFunc func(ctx context.Context, ids []string) ([]Product, error)

// Lookup calls f, so that an in-process lookup serves wherever a Client
// does.
func (f LookupFunc) Lookup(ctx context.Context, ids []string) ([]Product, error) { return f(ctx, ids) }

// ErrTooManyIDs is returned for a lookup of more than MaxIDs products.
var ErrTooManyIDs = fmt.Errorf("at most %d product ids per lookup", MaxIDs)

// Handler returns the Lambda handler of the catalog-lookup function.
func Handler(lookup LookupFunc) func(context.Context, LookupRequest) (LookupResponse, error) {
	return func(ctx context.Context, req LookupRequest) (LookupResponse, error) {
		if len(req.ProductIDs) > MaxIDs {
			return LookupResponse{}, ErrTooManyIDs
		}
		products, err := lookup(ctx, req.ProductIDs)
		if err != nil {
			return LookupResponse{}, err
		}
		if products == nil {
			products = []Product{}
		}
		return LookupResponse{Products: products}, nil
	}
}

// Invoker is the part of the Lambda client the Client uses.
type Invoker interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, opts ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// Client calls the catalog-lookup function.
type Client struct {
	invoker  Invoker
	function string
}

// NewClient returns a Client invoking function (a name or ARN).
func NewClient(invoker Invoker, function string) *Client {
	return &Client{invoker: invoker, function: function}
}

// Lookup returns the products among ids that exist.
func (c *Client) Lookup(ctx context.Context, ids []string) ([]Product, error) {
	if len(ids) > MaxIDs {
		return nil, ErrTooManyIDs
	}
	payload, err := json.Marshal(LookupRequest{ProductIDs: ids})
	if err != nil {
		return nil, fmt.Errorf("encode lookup: %w", err)
	}
	out, err := c.invoker.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(c.function), Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", c.function, err)
	}
	if out.FunctionError != nil {
		return nil, fmt.Errorf("invoke %s: function error %s: %s", c.function, aws.ToString(out.FunctionError), out.Payload)
	}
	var resp LookupResponse
	if err := json.Unmarshal(out.Payload, &resp); err != nil {
		return nil, fmt.Errorf("decode lookup from %s: %w", c.function, err)
	}
	if resp.Products == nil {
		return nil, errors.New("lookup answer has no products list")
	}
	return resp.Products, nil
}
