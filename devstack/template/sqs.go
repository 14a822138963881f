package template

import (
	"errors"
	"fmt"
	"time"
)

// Queue is an AWS::SQS::Queue (standard queues only).
type Queue struct {
	LogicalID string
	Name      string
	// URL is http(s)://<aws-endpoint-host>/<account>/<name>, Ref's value.
	URL string
	ARN string
	// VisibilityTimeout defaults to 30 seconds.
	VisibilityTimeout time.Duration
	// MessageRetention defaults to 4 days.
	MessageRetention time.Duration
	// Redrive is the dead-letter policy; nil without one.
	Redrive *RedrivePolicy
}

// RedrivePolicy moves a message to the dead-letter queue once it has been
// received MaxReceiveCount times without being deleted.
type RedrivePolicy struct {
	DeadLetterTargetARN string
	// DeadLetterLogicalID is the dead-letter queue's logical id.
	DeadLetterLogicalID string
	MaxReceiveCount     int
}

func (b *builder) queue(res *resource, props map[string]any) error {
	var p struct {
		QueueName              string
		VisibilityTimeout      flexInt
		MessageRetentionPeriod flexInt
		FifoQueue              flexBool
		RedrivePolicy          *jsonDoc
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.FifoQueue.value {
		return &UnsupportedError{Property: "FifoQueue", Reason: "FIFO queues"}
	}
	visibility := p.VisibilityTimeout.or(30)
	if visibility < 0 || visibility > 43200 {
		return fmt.Errorf("property VisibilityTimeout %d is outside 0..43200 seconds", visibility)
	}
	retention := p.MessageRetentionPeriod.or(345600)
	if retention < 60 || retention > 1209600 {
		return fmt.Errorf("property MessageRetentionPeriod %d is outside 60..1209600 seconds", retention)
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	q := &Queue{
		LogicalID: res.LogicalID, Name: id.attrs["QueueName"], URL: id.ref, ARN: id.attrs["Arn"],
		VisibilityTimeout: time.Duration(visibility) * time.Second,
		MessageRetention:  time.Duration(retention) * time.Second,
	}
	if p.RedrivePolicy != nil {
		var rp struct {
			DeadLetterTargetArn string  `json:"deadLetterTargetArn"`
			MaxReceiveCount     flexInt `json:"maxReceiveCount"`
		}
		if err := decodeJSON(*p.RedrivePolicy, &rp); err != nil {
			return &UnsupportedError{Property: "RedrivePolicy", Reason: err.Error()}
		}
		if rp.MaxReceiveCount.value < 1 || rp.MaxReceiveCount.value > 1000 {
			return fmt.Errorf("property RedrivePolicy.maxReceiveCount %d is outside 1..1000", rp.MaxReceiveCount.value)
		}
		q.Redrive = &RedrivePolicy{DeadLetterTargetARN: rp.DeadLetterTargetArn, MaxReceiveCount: int(rp.MaxReceiveCount.value)}
	}
	b.s.Queues = append(b.s.Queues, q)
	return nil
}

// linkQueues ties each redrive policy to its dead-letter queue.
func (b *builder) linkQueues() error {
	var errs []error
	for _, q := range b.s.Queues {
		if q.Redrive == nil {
			continue
		}
		dlq, ok := b.s.LookupQueue(q.Redrive.DeadLetterTargetARN)
		if !ok || dlq.ARN != q.Redrive.DeadLetterTargetARN || dlq == q {
			errs = append(errs, resourceError(b.r.doc.Resources[q.LogicalID], &UnsupportedError{
				Property: "RedrivePolicy.deadLetterTargetArn",
				Reason:   fmt.Sprintf("dead-letter queue %q is not another queue of the template", q.Redrive.DeadLetterTargetARN),
			}))
			continue
		}
		q.Redrive.DeadLetterLogicalID = dlq.LogicalID
	}
	return errors.Join(errs...)
}
