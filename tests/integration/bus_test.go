package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// busEvent is an event as EventBridge delivers it, its detail the goshop
// envelope.
type busEvent struct {
	ID         string `json:"id"`
	DetailType string `json:"detail-type"`
	Source     string `json:"source"`
	Detail     struct {
		ID            string          `json:"id"`
		Type          string          `json:"type"`
		Version       int             `json:"version"`
		CorrelationID string          `json:"correlationId"`
		Producer      string          `json:"producer"`
		Data          json.RawMessage `json:"data"`
	} `json:"detail"`
}

// field returns a string field of the event's data.
func (e busEvent) field(name string) string {
	var m map[string]any
	_ = json.Unmarshal(e.Detail.Data, &m)
	s, _ := m[name].(string)
	return s
}

// listener is the suite's own subscriber on the bus: a rule routing the
// goshop events to a queue of its own, as another team would subscribe.
type listener struct {
	sqs      *sqs.Client
	queueURL string

	mu   sync.Mutex
	seen []busEvent
}

var busOnce struct {
	sync.Mutex
	l   *listener
	err error
}

// bus returns the listener, created on first use and removed when the run
// ends (see cleanupBus).
func bus(t testing.TB) *listener {
	t.Helper()
	busOnce.Lock()
	defer busOnce.Unlock()
	if busOnce.l == nil && busOnce.err == nil {
		busOnce.l, busOnce.err = subscribe()
	}
	if busOnce.err != nil {
		t.Fatalf("subscribe to the bus: %v", busOnce.err)
	}
	return busOnce.l
}

var busCleanup []func(context.Context) error

func subscribe() (*listener, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sq := sqs.NewFromConfig(stack.aws)
	eb := eventbridge.NewFromConfig(stack.aws)
	name := "goshop-it-" + stack.run
	busName := stack.outputs["EventBusName"]

	q, err := sq.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("create queue: %w", err)
	}
	busCleanup = append(busCleanup, func(ctx context.Context) error {
		_, err := sq.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: q.QueueUrl})
		return err
	})
	attrs, err := sq.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return nil, fmt.Errorf("queue arn: %w", err)
	}
	queueARN := attrs.Attributes["QueueArn"]
	pattern, _ := json.Marshal(map[string]any{"source": []map[string]string{{"prefix": "goshop."}}})
	rule, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String(name), EventBusName: aws.String(busName), EventPattern: aws.String(string(pattern)),
		State: ebtypes.RuleStateEnabled, Description: aws.String("goshop integration suite listener"),
	})
	if err != nil {
		return nil, fmt.Errorf("put rule: %w", err)
	}
	busCleanup = append(busCleanup, func(ctx context.Context) error {
		_, err := eb.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String(name), EventBusName: aws.String(busName)})
		return err
	})
	// Only this rule may send to the queue, as on any subscription.
	policy, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect": "Allow", "Principal": map[string]string{"Service": "events.amazonaws.com"},
			"Action": "sqs:SendMessage", "Resource": queueARN,
			"Condition": map[string]any{"ArnEquals": map[string]string{"aws:SourceArn": aws.ToString(rule.RuleArn)}},
		}},
	})
	if _, err := sq.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: q.QueueUrl, Attributes: map[string]string{"Policy": string(policy)}}); err != nil {
		return nil, fmt.Errorf("queue policy: %w", err)
	}
	targets, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{
		Rule: aws.String(name), EventBusName: aws.String(busName),
		Targets: []ebtypes.Target{{Id: aws.String("suite"), Arn: aws.String(queueARN)}},
	})
	if err != nil {
		return nil, fmt.Errorf("put targets: %w", err)
	}
	if targets.FailedEntryCount > 0 {
		return nil, fmt.Errorf("put targets: %s", aws.ToString(targets.FailedEntries[0].ErrorMessage))
	}
	busCleanup = append(busCleanup, func(ctx context.Context) error {
		_, err := eb.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String(name), EventBusName: aws.String(busName), Ids: []string{"suite"}})
		return err
	})
	return &listener{sqs: sq, queueURL: aws.ToString(q.QueueUrl)}, nil
}

// cleanupBus removes the listener's target, rule and queue, in that order.
func cleanupBus() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var first error
	for i := len(busCleanup) - 1; i >= 0; i-- {
		if err := busCleanup[i](ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// waitFor returns the first event, seen before or arriving within timeout,
// that match accepts.
func (l *listener) waitFor(t testing.TB, timeout time.Duration, what string, match func(busEvent) bool) busEvent {
	t.Helper()
	var found *busEvent
	eventually(t, timeout, what, func() (bool, string) {
		if err := l.poll(); err != nil {
			return false, err.Error()
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		for i := range l.seen {
			if match(l.seen[i]) {
				found = &l.seen[i]
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d events seen", len(l.seen))
	})
	return *found
}

// poll receives what the queue holds and keeps it.
func (l *listener) poll() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		out, err := l.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(l.queueURL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			return fmt.Errorf("receive: %w", err)
		}
		if len(out.Messages) == 0 {
			return nil
		}
		var del []sqstypes.DeleteMessageBatchRequestEntry
		l.mu.Lock()
		for i, m := range out.Messages {
			var e busEvent
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &e); err == nil {
				l.seen = append(l.seen, e)
			}
			del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(i)), ReceiptHandle: m.ReceiptHandle})
		}
		l.mu.Unlock()
		if _, err := l.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(l.queueURL), Entries: del}); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
	}
}

// find returns an event seen so far that match accepts, after one poll.
func (l *listener) find(match func(busEvent) bool) (busEvent, bool) {
	_ = l.poll()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.seen {
		if match(e) {
			return e, true
		}
	}
	return busEvent{}, false
}

// distinct counts the events (by their envelope id: a redelivery is the
// same event) seen so far that match accepts, after one poll.
func (l *listener) distinct(match func(busEvent) bool) int {
	_ = l.poll()
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := map[string]bool{}
	for _, e := range l.seen {
		if match(e) {
			ids[e.Detail.ID] = true
		}
	}
	return len(ids)
}
