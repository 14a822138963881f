package consumer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/backoff"
	"github.com/goshop-dev/goshop/internal/envconfig"
)

// VisibilityAPI is the part of the SQS client Redelivery uses.
type VisibilityAPI interface {
	ChangeMessageVisibility(ctx context.Context, in *sqs.ChangeMessageVisibilityInput, optFns ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error)
}

// Redelivery decides when a failed message is delivered again. Without it a
// failed message waits out the queue's whole visibility timeout (six times
// the function's timeout) between attempts, so a poison event would take
// maxReceiveCount such periods to reach the dead-letter queue and a
// transient failure would be retried at a fixed, long interval.
//
// With it, the consumer sets the visibility of each failed message itself
// before reporting the failure: zero for a poison event (it can never
// succeed, so it goes through its remaining receives and into the
// dead-letter queue at once), and a full-jitter exponential delay in the
// number of receives for any other failure. The ChangeMessageVisibility
// permission is part of what the event source mapping already needs.
type Redelivery struct {
	Client   VisibilityAPI
	QueueURL string
	// Base is the bound of the first retry's delay (default 1 s); it
	// doubles with each receive up to Ceiling (default 5 min).
	Base, Ceiling time.Duration
}

// delay is how long a message received receives times stays invisible
// after failing with err.
func (r *Redelivery) delay(receives int, err error) time.Duration {
	if errors.Is(err, ErrPoison) {
		return 0
	}
	base, ceiling := r.Base, r.Ceiling
	if base <= 0 {
		base = time.Second
	}
	if ceiling <= 0 {
		ceiling = 5 * time.Minute
	}
	return backoff.Full(min(max(receives-1, 0), 30), base, ceiling)
}

// schedule sets the visibility of msg after it failed with err. A failure
// to do so is logged and otherwise harmless: the message then waits out the
// queue's visibility timeout, as without Redelivery.
func (r *Redelivery) schedule(ctx context.Context, logger *slog.Logger, msg lambdaevents.SQSMessage, err error) {
	receives, _ := strconv.Atoi(msg.Attributes["ApproximateReceiveCount"])
	d := r.delay(receives, err)
	secs := int32(math.Ceil(d.Seconds()))
	_, cerr := r.Client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
		QueueUrl: aws.String(r.QueueURL), ReceiptHandle: aws.String(msg.ReceiptHandle), VisibilityTimeout: secs,
	})
	if cerr != nil {
		logger.WarnContext(ctx, "redelivery delay not set", slog.String("messageId", msg.MessageId), slog.String("error", fmt.Sprint(cerr)))
		return
	}
	logger.InfoContext(ctx, "redelivery scheduled", slog.String("messageId", msg.MessageId), slog.Int("receiveCount", receives), slog.Int("visibilitySeconds", int(secs)))
}

// RedeliveryFromEnv returns the Redelivery of the queue named by QUEUE_URL,
// which the CDK app sets on every consumer function.
func RedeliveryFromEnv(ctx context.Context) (*Redelivery, error) {
	env := envconfig.New()
	queueURL := env.String("QUEUE_URL")
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	return &Redelivery{Client: sqs.NewFromConfig(cfg), QueueURL: queueURL}, nil
}
