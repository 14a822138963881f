// Package catalogrpc is the internal contract by which other services ask
// the catalog about products without touching its table: a direct Lambda
// invocation of the catalog-lookup function with a JSON request. The
// request and response types are the contract; Client is the caller's side
// and Handler the function's side.
//
// # Guarding the lookup
//
// A Client given WithGuard makes every lookup through a resilience.Guard;
// LookupGuard builds the one a process shares, with the breaker
// "catalog-lookup". A lookup is a read, so it is retried, but only for
// what the SDK's own retryer cannot see: an answer carrying a function
// error (ErrFunction: the catalog's table failed, the function timed out
// or crashed) and an attempt that ran out of its own time. Errors of the
// Invoke call itself (throttling, 5xx, connection) were retried by the
// SDK already (internal/awsconfig), and retrying them again would multiply
// the attempts. An answer that cannot be decoded, and a request of too
// many ids, are permanent: neither retried nor counted by the breaker.
// When the breaker is open a lookup fails at once with an error matching
// resilience.ErrOpen; there is no stale answer to fall back on for prices
// and stock, so the caller fails (the cart and the checkout answer an
// error, the dashboard's consumer lets the queue redeliver).
package catalogrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// MaxIDs bounds one lookup.
const MaxIDs = 100

// LookupRequest asks for products by id.
type LookupRequest struct {
	ProductIDs []string `json:"productIds"`
	// CorrelationID is the caller's, so the lookup's log lines carry it.
	CorrelationID string `json:"correlationId,omitempty"`
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

// ErrFunction is matched by the error of a lookup whose answer carries a
// function error: the catalog-lookup function ran and failed (its table,
// its own timeout, a crash).
var ErrFunction = errors.New("catalog-lookup function error")

// Client calls the catalog-lookup function.
type Client struct {
	invoker  Invoker
	function string
	guard    *resilience.Guard
}

// Option configures a Client.
type Option func(*Client)

// WithGuard makes every lookup of the Client go through guard (see
// LookupGuard); a nil guard changes nothing.
func WithGuard(guard *resilience.Guard) Option {
	return func(c *Client) { c.guard = guard }
}

// NewClient returns a Client invoking function (a name or ARN).
func NewClient(invoker Invoker, function string, opts ...Option) *Client {
	c := &Client{invoker: invoker, function: function}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Settings of LookupGuard.
const (
	// LookupTimeout bounds a whole lookup, its attempts and waits included:
	// the checkout and the cart answer API Gateway within seconds.
	LookupTimeout = 4 * time.Second
	// LookupAttemptTimeout bounds one attempt: a warm catalog-lookup
	// answers in tens of milliseconds, a cold start takes up to a second.
	LookupAttemptTimeout = 2 * time.Second
	// LookupReserve is kept back from the caller's deadline for it to
	// answer after the lookup.
	LookupReserve = time.Second
	// LookupAttempts is the most attempts of one lookup.
	LookupAttempts = 3
	// LookupBulkhead is the most lookups in flight in one process; a
	// Lambda instance serves one request at a time, so it bites only where
	// a process serves many at once.
	LookupBulkhead = 8
)

// LookupGuard returns the guard of a process's lookups: LookupTimeout,
// LookupReserve, LookupAttemptTimeout, LookupAttempts spaced by full
// jitter from 50 ms to 500 ms, the breaker "catalog-lookup" (5 failed
// attempts in a row open it for 10 s; its changes are logged to logger and
// counted in rec, which may be nil) and a bulkhead of LookupBulkhead. Call
// it once per process: the breaker is registered under its name.
func LookupGuard(logger *slog.Logger, rec *metrics.Recorder) *resilience.Guard {
	breaker := resilience.NewBreaker(metrics.BreakerCatalogLookup, resilience.BreakerOptions{
		FailureThreshold: 5,
		Cooldown:         10 * time.Second,
		OnStateChange:    resilience.ReportStateChanges(logger, rec),
	})
	return resilience.NewGuard(metrics.BreakerCatalogLookup, resilience.GuardOptions{
		Timeout:        LookupTimeout,
		Reserve:        LookupReserve,
		AttemptTimeout: LookupAttemptTimeout,
		Retry: resilience.Policy{
			Attempts: LookupAttempts, Base: 50 * time.Millisecond, Max: 500 * time.Millisecond,
			Retryable: retryable,
		},
		Breaker:  breaker,
		Bulkhead: resilience.NewBulkhead(metrics.BreakerCatalogLookup, LookupBulkhead, 100*time.Millisecond),
	})
}

// retryable reports whether a failed attempt is worth another one: see
// the package documentation.
func retryable(err error) bool {
	return errors.Is(err, ErrFunction) || errors.Is(err, context.DeadlineExceeded)
}

// Lookup returns the products among ids that exist.
func (c *Client) Lookup(ctx context.Context, ids []string) ([]Product, error) {
	if len(ids) > MaxIDs {
		return nil, ErrTooManyIDs
	}
	payload, err := json.Marshal(LookupRequest{ProductIDs: ids, CorrelationID: logging.IDsFrom(ctx).CorrelationID})
	if err != nil {
		return nil, fmt.Errorf("encode lookup: %w", err)
	}
	if c.guard == nil {
		return c.invoke(ctx, payload)
	}
	var products []Product
	err = c.guard.Do(ctx, func(ctx context.Context) error {
		var err error
		products, err = c.invoke(ctx, payload)
		return err
	})
	if err != nil {
		return nil, err
	}
	return products, nil
}

// invoke makes one lookup; an answer it cannot read is Permanent.
func (c *Client) invoke(ctx context.Context, payload []byte) ([]Product, error) {
	out, err := c.invoker.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(c.function), Payload: payload})
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", c.function, err)
	}
	if out.FunctionError != nil {
		return nil, fmt.Errorf("invoke %s: %w %s: %s", c.function, ErrFunction, aws.ToString(out.FunctionError), out.Payload)
	}
	var resp LookupResponse
	if err := json.Unmarshal(out.Payload, &resp); err != nil {
		return nil, resilience.Permanent(fmt.Errorf("decode lookup from %s: %w", c.function, err))
	}
	if resp.Products == nil {
		return nil, resilience.Permanent(errors.New("lookup answer has no products list"))
	}
	return resp.Products, nil
}
