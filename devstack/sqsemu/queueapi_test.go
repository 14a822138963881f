package sqsemu_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// newWireBroker returns an empty broker on a manual clock and its SDK client.
func newWireBroker(t *testing.T) (*sqs.Client, *sqsemu.Broker, *sqsemu.ManualClock) {
	t.Helper()
	clock := sqsemu.NewManualClock(epoch)
	b := sqsemu.NewBroker(sqsemu.Options{Clock: clock})
	return newClient(t, b), b, clock
}

func createQueue(t *testing.T, c *sqs.Client, name string, attrs map[string]string) string {
	t.Helper()
	out, err := c.CreateQueue(context.Background(), &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		t.Fatalf("CreateQueue %s: %v", name, err)
	}
	return aws.ToString(out.QueueUrl)
}

func queueAttributes(t *testing.T, c *sqs.Client, url string) map[string]string {
	t.Helper()
	out, err := c.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
	if err != nil {
		t.Fatalf("GetQueueAttributes: %v", err)
	}
	return out.Attributes
}

// errorCode returns the code the SDK reports for err, "" for nil.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}`

func TestSDKCreateQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, clock := newWireBroker(t)
	dlqURL := createQueue(t, c, "jobs-dlq", nil)
	attrs := map[string]string{
		"VisibilityTimeout": "45", "MessageRetentionPeriod": "120", "DelaySeconds": "5",
		"ReceiveMessageWaitTimeSeconds": "2", "MaximumMessageSize": "2048", "SqsManagedSseEnabled": "false",
		"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:jobs-dlq","maxReceiveCount":"3"}`,
		"Policy":        policy,
	}
	out, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: attrs,
		Tags: map[string]string{"team": "shop"}})
	if err != nil {
		t.Fatal(err)
	}
	url := aws.ToString(out.QueueUrl)
	if want := strings.TrimSuffix(dlqURL, "-dlq"); url != want {
		t.Errorf("QueueUrl = %q, want %q", url, want)
	}
	got := queueAttributes(t, c, url)
	want := map[string]string{
		"VisibilityTimeout": "45", "MessageRetentionPeriod": "120", "DelaySeconds": "5",
		"ReceiveMessageWaitTimeSeconds": "2", "MaximumMessageSize": "2048", "SqsManagedSseEnabled": "false",
		"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:jobs-dlq","maxReceiveCount":3}`,
		"Policy":        policy, "QueueArn": "arn:aws:sqs:us-east-1:000000000000:jobs",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, got[k], v)
		}
	}
	if def := queueAttributes(t, c, dlqURL); def["VisibilityTimeout"] != "30" || def["SqsManagedSseEnabled"] != "true" || def["Policy"] != "" {
		t.Errorf("a queue created without attributes has %v, want the defaults", def)
	}

	// The attributes govern the queue: the delay, the maximum size.
	if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(strings.Repeat("x", 2049))}); errorCode(err) != "InvalidParameterValue" {
		t.Errorf("a body over MaximumMessageSize: %v, want InvalidParameterValue", err)
	}
	if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("job")}); err != nil {
		t.Fatal(err)
	}
	if got := queueAttributes(t, c, url)["ApproximateNumberOfMessagesDelayed"]; got != "1" {
		t.Errorf("ApproximateNumberOfMessagesDelayed = %s, want 1 with DelaySeconds 5", got)
	}
	clock.Advance(5 * time.Second)
	recv, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 0})
	if err != nil || len(recv.Messages) != 1 {
		t.Fatalf("receive after the delay = %+v, %v", recv, err)
	}

	// Idempotency: the same attributes give the same URL, different ones an error.
	if again := createQueue(t, c, "jobs", attrs); again != url {
		t.Errorf("re-creating with the same attributes returned %q, want %q", again, url)
	}
	tests := []struct {
		name  string
		attrs map[string]string
		attr  string
	}{
		{"different visibility", map[string]string{"VisibilityTimeout": "46"}, "VisibilityTimeout"},
		{"omitted attributes take the defaults", nil, "VisibilityTimeout"},
	}
	for _, tt := range tests {
		changed := map[string]string{}
		if tt.attrs != nil {
			for k, v := range attrs {
				changed[k] = v
			}
			for k, v := range tt.attrs {
				changed[k] = v
			}
		}
		_, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: changed})
		var exists *types.QueueNameExists
		if !errors.As(err, &exists) || exists.ErrorCode() != "QueueAlreadyExists" || !strings.Contains(exists.ErrorMessage(), tt.attr) {
			t.Errorf("%s: %v, want QueueNameExists (QueueAlreadyExists) naming %s", tt.name, err, tt.attr)
		}
	}
	if got := queueAttributes(t, c, url)["VisibilityTimeout"]; got != "45" {
		t.Errorf("a refused re-creation changed VisibilityTimeout to %s", got)
	}
}

func TestSDKCreateQueueRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		queue string
		attrs map[string]string
		code  string
	}{
		{"bad name", "a b", nil, "InvalidParameterValue"},
		{"long name", strings.Repeat("q", 81), nil, "InvalidParameterValue"},
		{"fifo name", "orders.fifo", nil, "AWS.SimpleQueueService.UnsupportedOperation"},
		{"fifo attribute", "q", map[string]string{"FifoQueue": "true"}, "AWS.SimpleQueueService.UnsupportedOperation"},
		{"kms", "q", map[string]string{"KmsMasterKeyId": "alias/aws/sqs"}, "AWS.SimpleQueueService.UnsupportedOperation"},
		{"redrive allow policy", "q", map[string]string{"RedriveAllowPolicy": `{"redrivePermission":"allowAll"}`}, "AWS.SimpleQueueService.UnsupportedOperation"},
		{"visibility too long", "q", map[string]string{"VisibilityTimeout": "43201"}, "InvalidAttributeValue"},
		{"visibility not a number", "q", map[string]string{"VisibilityTimeout": "soon"}, "InvalidAttributeValue"},
		{"retention too short", "q", map[string]string{"MessageRetentionPeriod": "59"}, "InvalidAttributeValue"},
		{"delay too long", "q", map[string]string{"DelaySeconds": "901"}, "InvalidAttributeValue"},
		{"wait too long", "q", map[string]string{"ReceiveMessageWaitTimeSeconds": "21"}, "InvalidAttributeValue"},
		{"message size too small", "q", map[string]string{"MaximumMessageSize": "1023"}, "InvalidAttributeValue"},
		{"sse not a boolean", "q", map[string]string{"SqsManagedSseEnabled": "yes"}, "InvalidAttributeValue"},
		{"policy not json", "q", map[string]string{"Policy": "allow all"}, "InvalidAttributeValue"},
		{"redrive to a missing queue", "q", map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":3}`}, "InvalidParameterValue"},
		{"redrive count 0", "q", map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0}`}, "InvalidParameterValue"},
		{"redrive not json", "q", map[string]string{"RedrivePolicy": `dlq`}, "InvalidParameterValue"},
		{"read-only attribute", "q", map[string]string{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:q"}, "InvalidAttributeName"},
		{"unknown attribute", "q", map[string]string{"Bogus": "1"}, "InvalidAttributeName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := newWireBroker(t)
			createQueue(t, c, "dlq", nil)
			_, err := c.CreateQueue(context.Background(), &sqs.CreateQueueInput{QueueName: aws.String(tt.queue), Attributes: tt.attrs})
			if got := errorCode(err); got != tt.code {
				t.Fatalf("CreateQueue: %v (code %q), want %s", err, got, tt.code)
			}
			if _, err := c.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String(tt.queue)}); err == nil {
				t.Error("a refused CreateQueue created the queue")
			}
		})
	}
}

func TestSDKDeleteQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, b, clock := newWireBroker(t)
	url := createQueue(t, c, "temp", nil)
	q, _ := b.Queue("temp")
	if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan error, 1)
	go func() {
		_, err := q.Receive(ctx, sqsemu.ReceiveInput{WaitTime: dur(20 * time.Second)})
		waiting <- err
	}()

	if _, err := c.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waiting:
		var e *sqsemu.Error
		if !errors.As(err, &e) || e.Code != "QueueDoesNotExist" {
			t.Errorf("a long poll on the deleted queue ended with %v, want QueueDoesNotExist", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a long poll on the deleted queue did not end")
	}
	var notFound *types.QueueDoesNotExist
	if _, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("temp")}); !errors.As(err, &notFound) {
		t.Errorf("GetQueueUrl after DeleteQueue: %v, want QueueDoesNotExist", err)
	}
	if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")}); !errors.As(err, &notFound) {
		t.Errorf("SendMessage after DeleteQueue: %v, want QueueDoesNotExist", err)
	}
	if _, err := q.Send(sqsemu.SendInput{Body: "x"}); err == nil {
		t.Error("Send on a deleted *Queue succeeded")
	}
	if _, err := c.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)}); !errors.As(err, &notFound) {
		t.Errorf("deleting twice: %v, want QueueDoesNotExist", err)
	}

	var recently *types.QueueDeletedRecently
	if _, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("temp")}); !errors.As(err, &recently) {
		t.Errorf("re-creating within 60 s: %v, want QueueDeletedRecently", err)
	}
	clock.Advance(time.Minute)
	again := createQueue(t, c, "temp", nil)
	if got := queueAttributes(t, c, again)["ApproximateNumberOfMessages"]; again != url || got != "0" {
		t.Errorf("re-created queue %s has %s messages, want %s with none", again, got, url)
	}
}

func TestSDKSetQueueAttributes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, clock := newWireBroker(t)
	createQueue(t, c, "dlq", nil)
	url := createQueue(t, c, "work", map[string]string{"MessageRetentionPeriod": "600"})
	send := func(body string) {
		t.Helper()
		if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)}); err != nil {
			t.Fatal(err)
		}
	}
	send("old")
	clock.Advance(2 * time.Minute)
	send("new")

	set := map[string]string{
		"VisibilityTimeout": "10", "MessageRetentionPeriod": "60", "Policy": policy,
		"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}`,
	}
	if _, err := c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: set}); err != nil {
		t.Fatal(err)
	}
	got := queueAttributes(t, c, url)
	for k, v := range set {
		if got[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, got[k], v)
		}
	}
	if got["LastModifiedTimestamp"] == got["CreatedTimestamp"] {
		t.Errorf("LastModifiedTimestamp %s not updated", got["LastModifiedTimestamp"])
	}
	// The shorter retention drops the older message; the new visibility applies.
	recv, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
	if err != nil || len(recv.Messages) != 1 || aws.ToString(recv.Messages[0].Body) != "new" {
		t.Fatalf("receive = %+v, %v; want only the message within the new retention", recv, err)
	}
	clock.Advance(10 * time.Second)
	if again, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)}); err != nil || len(again.Messages) != 1 {
		t.Errorf("not visible again after the new 10 s visibility: %+v, %v", again, err)
	}

	// Refusals change nothing.
	refusals := []struct {
		attrs map[string]string
		code  string
	}{
		{map[string]string{"FifoQueue": "false"}, "InvalidAttributeName"},
		{map[string]string{"VisibilityTimeout": "-1"}, "InvalidAttributeValue"},
		{map[string]string{"VisibilityTimeout": "20", "KmsMasterKeyId": "k"}, "AWS.SimpleQueueService.UnsupportedOperation"},
		{map[string]string{"ApproximateNumberOfMessages": "1"}, "InvalidAttributeName"},
		{map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:gone","maxReceiveCount":2}`}, "InvalidParameterValue"},
	}
	for _, tt := range refusals {
		_, err := c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: tt.attrs})
		if got := errorCode(err); got != tt.code {
			t.Errorf("SetQueueAttributes %v: %v (code %q), want %s", tt.attrs, err, got, tt.code)
		}
	}
	if got := queueAttributes(t, c, url)["VisibilityTimeout"]; got != "10" {
		t.Errorf("VisibilityTimeout = %s after refused changes, want 10", got)
	}

	// An empty RedrivePolicy or Policy removes it.
	if _, err := c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: map[string]string{"RedrivePolicy": "", "Policy": ""}}); err != nil {
		t.Fatal(err)
	}
	got = queueAttributes(t, c, url)
	if diff := cmp.Diff([2]string{}, [2]string{got["RedrivePolicy"], got["Policy"]}); diff != "" {
		t.Errorf("RedrivePolicy and Policy after removal (-want +got):\n%s", diff)
	}
}
