package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/google/uuid"
)

// TestPoisonEventReachesTheDeadLetterQueue puts a batch on the bus that
// only the notifications consumer subscribes to (payment events): two
// good PaymentSucceeded events and, between them, one whose detail is no
// goshop envelope. The good ones are delivered to the user; the poison one
// fails every delivery and, after the queue's maxReceiveCount, lands in the
// consumer's dead-letter queue, from which the test removes it.
func TestPoisonEventReachesTheDeadLetterQueue(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	// The consumer knows the user once it has handled UserRegistered.
	eventually(t, 60*time.Second, "welcome notification", func() (bool, string) {
		return len(notifications(t, u, "UserRegistered")) > 0, "none"
	})

	marker := "poison-" + stack.run
	var orderIDs []string
	good := func() string {
		orderID := uuid.NewString()
		orderIDs = append(orderIDs, orderID)
		b, _ := json.Marshal(map[string]any{
			"id": uuid.NewString(), "type": "PaymentSucceeded", "version": 1,
			"occurredAt": time.Now().UTC().Format(time.RFC3339Nano), "correlationId": uuid.NewString(), "producer": "payments",
			"data": map[string]any{
				"paymentId": uuid.NewString(), "orderId": orderID, "userId": u.ID,
				"amount": map[string]any{"amount": 4200, "currency": "USD"}, "processedAt": time.Now().UTC().Format(time.RFC3339Nano),
			},
		})
		return string(b)
	}
	entry := func(detail string) ebtypes.PutEventsRequestEntry {
		return ebtypes.PutEventsRequestEntry{
			EventBusName: aws.String(stack.outputs["EventBusName"]), Source: aws.String("goshop.payments"),
			DetailType: aws.String("PaymentSucceeded"), Detail: aws.String(detail),
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := eventbridge.NewFromConfig(stack.aws).PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
		entry(good()), entry(`{"marker":"` + marker + `","note":"not a goshop envelope"}`), entry(good()),
	}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("put events: %v %+v", err, out)
	}

	// The good events of the batch are handled.
	eventually(t, 90*time.Second, "a payment notification per good event", func() (bool, string) {
		seen := notifications(t, u, "PaymentSucceeded")
		for _, id := range orderIDs {
			if !slices.ContainsFunc(seen, func(n notification) bool { return strings.Contains(n.Subject, id) }) {
				return false, "none yet for order " + id
			}
		}
		return true, ""
	})

	// The poison one ends in the dead-letter queue.
	dlq := stack.outputs["NotificationsConsumerDeadLetterQueueUrl"]
	client := sqs.NewFromConfig(stack.aws)
	eventually(t, 150*time.Second, "the poison event in "+dlq, func() (bool, string) {
		res, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(dlq), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount},
		})
		if err != nil {
			return false, err.Error()
		}
		for _, m := range res.Messages {
			if !strings.Contains(aws.ToString(m.Body), marker) {
				continue // another run's, left for its owner
			}
			if _, err := client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(dlq), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Errorf("delete the poison event: %v", err)
			}
			return true, ""
		}
		return false, "not there yet"
	})
	// It was never delivered as a notification.
	for _, n := range notifications(t, u, "PaymentSucceeded") {
		if strings.Contains(n.Body, marker) {
			t.Errorf("the poison event was delivered: %+v", n)
		}
	}
	// Its receive count on the main queue reached maxReceiveCount: the
	// redrive policy of the queue says how many.
	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(stack.outputs["NotificationsConsumerQueueUrl"]), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameRedrivePolicy},
	})
	if err != nil || !strings.Contains(attrs.Attributes["RedrivePolicy"], "maxReceiveCount") {
		t.Errorf("the consumer's queue has no redrive policy: %v %v", attrs, err)
	}
}

// notification is the API's notification.
type notification struct {
	ID, EventType, Channel, Subject, Body, Status string
}

// notifications lists u's notifications about events of type typ.
func notifications(t *testing.T, u user, typ string) []notification {
	t.Helper()
	res := call(t, request{method: "GET", path: "/users/" + u.ID + "/notifications?limit=100", token: u.Token})
	want(t, "list notifications", res, http.StatusOK)
	var page struct{ Items []notification }
	res.decode(t, &page)
	var out []notification
	for _, n := range page.Items {
		if n.EventType == typ {
			out = append(out, n)
		}
	}
	return out
}
