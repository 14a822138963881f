package consumer_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
)

// visibility records ChangeMessageVisibility calls by receipt handle.
type visibility struct {
	mu    sync.Mutex
	calls map[string]int32
	fail  bool
}

func (v *visibility) ChangeMessageVisibility(_ context.Context, in *sqs.ChangeMessageVisibilityInput, _ ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if aws.ToString(in.QueueUrl) != "https://sqs.eu-west-1.amazonaws.com/123456789012/notifications" {
		return nil, errors.New("wrong queue " + aws.ToString(in.QueueUrl))
	}
	v.calls[aws.ToString(in.ReceiptHandle)] = in.VisibilityTimeout
	if v.fail {
		return nil, errors.New("throttled")
	}
	return &sqs.ChangeMessageVisibilityOutput{}, nil
}

func receivedTimes(msg lambdaevents.SQSMessage, n string) lambdaevents.SQSMessage {
	msg.Attributes = map[string]string{"ApproximateReceiveCount": n}
	return msg
}

func TestRedelivery(t *testing.T) {
	t.Parallel()
	v := &visibility{calls: map[string]int32{}}
	r := &consumer.Redelivery{Client: v, QueueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/notifications"}
	s := &seen{ids: map[string]logging.IDs{}}
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		message("m1", envelopeBody(t, event(t, "ok-1"))),
		message("m2", "not json"),
		receivedTimes(message("m3", envelopeBody(t, event(t, "fail-1"))), "1"),
		receivedTimes(message("m4", envelopeBody(t, event(t, "fail-2"))), "4"),
		receivedTimes(message("m5", envelopeBody(t, event(t, "fail-3"))), "40"),
		message("m6", envelopeBody(t, event(t, "poison-1"))),
	}}
	resp, err := consumer.SQSHandler(testHandler(s), logging.Discard(), r)(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []lambdaevents.SQSBatchItemFailure{{ItemIdentifier: "m2"}, {ItemIdentifier: "m3"}, {ItemIdentifier: "m4"}, {ItemIdentifier: "m5"}, {ItemIdentifier: "m6"}}
	if diff := cmp.Diff(want, resp.BatchItemFailures); diff != "" {
		t.Errorf("batch item failures (-want +got):\n%s", diff)
	}
	if _, ok := v.calls["rh-m1"]; ok {
		t.Error("a handled message had its visibility changed")
	}
	// Poison events come back at once; other failures after a full-jitter
	// delay bounded by 1 s doubled per earlier receive, at most 5 min.
	bounds := map[string][2]int32{"rh-m2": {0, 0}, "rh-m6": {0, 0}, "rh-m3": {0, 1}, "rh-m4": {0, 8}, "rh-m5": {0, 300}}
	for handle, b := range bounds {
		got, ok := v.calls[handle]
		if !ok {
			t.Errorf("%s: visibility not changed", handle)
			continue
		}
		if got < b[0] || got > b[1] {
			t.Errorf("%s: visibility %d s, want within [%d, %d]", handle, got, b[0], b[1])
		}
	}
	if len(v.calls) != len(bounds) {
		t.Errorf("visibility changed for %v, want exactly the failed messages", v.calls)
	}
}

// TestRedeliveryFailureKeepsTheFailure checks that a message whose
// visibility cannot be changed is still reported as failed.
func TestRedeliveryFailureKeepsTheFailure(t *testing.T) {
	t.Parallel()
	v := &visibility{calls: map[string]int32{}, fail: true}
	r := &consumer.Redelivery{Client: v, QueueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/notifications"}
	s := &seen{ids: map[string]logging.IDs{}}
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{message("m1", envelopeBody(t, event(t, "fail-1")))}}
	resp, err := consumer.SQSHandler(testHandler(s), logging.Discard(), r)(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]lambdaevents.SQSBatchItemFailure{{ItemIdentifier: "m1"}}, resp.BatchItemFailures); diff != "" {
		t.Errorf("batch item failures (-want +got):\n%s", diff)
	}
}
