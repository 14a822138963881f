// Package awsconfig loads the AWS SDK configuration every function shares:
// config.LoadDefaultConfig (which honours AWS_ENDPOINT_URL and the
// per-service AWS_ENDPOINT_URL_* variables, so a local runtime differs only
// by environment), the SDK's standard retryer with bounds that suit a
// Lambda, a time budget on every API call, and X-Ray instrumentation of
// every client built from it.
//
// # Retries
//
// The SDK retries on its own what it knows to be transient (throttling,
// 5xx answers, connection errors): NewRetryer configures its standard
// retryer explicitly rather than leaving the defaults to the environment.
// MaxAttempts stays the SDK's default of 3: a DynamoDB or Lambda call that
// failed three times in a row is an outage, not a blip, and more attempts
// would only spend the invocation's time; the callers that need more
// patience (the saga's tasks, the queue consumers) are retried as a whole
// by Step Functions or SQS. MaxBackoff comes down from the SDK's 20 s to
// 1 s: a Lambda has seconds, not minutes, and a 20 s wait would outlive
// most invocations. The waits already have full jitter: the standard
// retryer draws each one uniformly from [0, min(base·2^i, MaxBackoff)),
// base 50 ms (1 s for throttling), so nothing is added here.
//
// # The budget of a call
//
// CallBudget bounds each API call, its retries included, with
// resilience.Budget: at most CallTimeout, and ending a little before the
// deadline of the context it is given (the Lambda invocation's, or a
// tighter one a guard or a dashboard part set), so that no SDK call
// outlives the invocation and the caller keeps time to answer.
package awsconfig

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-xray-sdk-go/instrumentation/awsv2"
	"github.com/aws/smithy-go/middleware"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// Settings of the SDK clients; the package documentation gives the reasons.
const (
	// MaxAttempts is the most attempts of one API call, the first included.
	MaxAttempts = 3
	// MaxBackoff caps the SDK's wait between two attempts.
	MaxBackoff = time.Second
	// CallTimeout bounds one API call, its attempts and waits included. A
	// DynamoDB or Step Functions call answers in milliseconds and a Lambda
	// invocation of catalog-lookup in well under a second once warm, so 5 s
	// is an outage; it also bounds calls made without a deadline (at
	// start-up).
	CallTimeout = 5 * time.Second
	// CallReserve is the most an API call keeps back from its context's
	// deadline for the caller to answer; see CallBudget.
	CallReserve = 500 * time.Millisecond
)

// Load returns the instrumented SDK configuration.
func Load(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		// DynamoDB Local and other emulators do not always send the checksums
		// the SDK would validate; validate only where an operation requires it.
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
		config.WithRetryer(NewRetryer),
		config.WithAPIOptions([]func(*middleware.Stack) error{CallBudget(CallTimeout, CallReserve)}),
		config.WithLogger(routeSDKLogs(logging.ForService("aws-sdk"))),
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	awsv2.AWSV2Instrumentor(&cfg.APIOptions)
	return cfg, nil
}

// NewRetryer returns the SDK's standard retryer with MaxAttempts and
// MaxBackoff, and its defaults otherwise (what it retries, full-jitter
// waits, the retry token bucket that stops retry storms).
func NewRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = MaxAttempts
		o.MaxBackoff = MaxBackoff
	})
}

// CallBudget returns an SDK API option adding a middleware, first of the
// Initialize step and so around the retries, that runs each API call under
// resilience.Budget(ctx, limit, r): it ends at most limit after it starts,
// and r before ctx's deadline, where r is the smaller of reserve and a
// tenth of the time left. The reserve leaves a call made with the
// invocation's own context up to reserve to answer; a call made under a
// tighter deadline (a guard's attempt, a dashboard part's budget) loses at
// most a tenth of it, since whoever set that deadline kept its own reserve.
// A call whose context has no time left fails at once.
//
// The call's context is cancelled when the operation returns: an operation
// whose output streams its body after that (S3 GetObject) would need to be
// left out; the project uses none.
func CallBudget(limit, reserve time.Duration) func(*middleware.Stack) error {
	budget := middleware.InitializeMiddlewareFunc("goshop.CallBudget", func(
		ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
	) (middleware.InitializeOutput, middleware.Metadata, error) {
		ctx, cancel := resilience.Budget(ctx, limit, callReserve(ctx, reserve))
		defer cancel()
		return next.HandleInitialize(ctx, in)
	})
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(budget, middleware.Before)
	}
}

// callReserve is the part of ctx's time a call keeps back: at most reserve
// and at most a tenth of what is left.
func callReserve(ctx context.Context, reserve time.Duration) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0
	}
	return max(min(reserve, time.Until(deadline)/10), 0)
}
