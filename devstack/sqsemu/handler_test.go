package sqsemu_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// newClient serves broker on httptest and returns the SDK's client for it.
func newClient(t *testing.T, b *sqsemu.Broker) *sqs.Client {
	t.Helper()
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return sqs.New(sqs.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
}

func newWireQueue(t *testing.T) (*sqs.Client, string, *sqsemu.Broker, *sqsemu.ManualClock) {
	t.Helper()
	clock := sqsemu.NewManualClock(epoch)
	b := sqsemu.NewBroker(sqsemu.Options{Clock: clock})
	dlq, err := b.CreateQueue("orders-dlq", sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateQueue("orders", sqsemu.QueueConfig{VisibilityTimeout: 180 * time.Second,
		RedrivePolicy: &sqsemu.RedrivePolicy{DeadLetterTargetARN: dlq.ARN(), MaxReceiveCount: 5}}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, b)
	out, err := c.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	return c, aws.ToString(out.QueueUrl), b, clock
}

func TestSDKSendReceiveDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, url, _, clock := newWireQueue(t)

	sent, err := c.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(url), MessageBody: aws.String(`{"order":"o-1"}`),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"type":    {DataType: aws.String("String"), StringValue: aws.String("OrderCreated")},
			"payload": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(sent.MessageId) == "" || aws.ToString(sent.MD5OfMessageAttributes) == "" {
		t.Fatalf("send output = %+v", sent)
	}
	clock.Advance(time.Second)
	got, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 1 {
		t.Fatalf("received %d messages", len(got.Messages))
	}
	m := got.Messages[0]
	if aws.ToString(m.MessageId) != aws.ToString(sent.MessageId) || aws.ToString(m.Body) != `{"order":"o-1"}` {
		t.Errorf("message = %+v", m)
	}
	if aws.ToString(m.MD5OfMessageAttributes) != aws.ToString(sent.MD5OfMessageAttributes) {
		t.Errorf("MD5OfMessageAttributes %s on receive, %s on send", aws.ToString(m.MD5OfMessageAttributes), aws.ToString(sent.MD5OfMessageAttributes))
	}
	wantAttrs := map[string]string{
		"ApproximateReceiveCount":          "1",
		"SentTimestamp":                    strconv.FormatInt(epoch.UnixMilli(), 10),
		"ApproximateFirstReceiveTimestamp": strconv.FormatInt(epoch.Add(time.Second).UnixMilli(), 10),
		"SenderId":                         "AIDADEVSTACKLOCAL",
	}
	if diff := cmp.Diff(wantAttrs, m.Attributes); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	if v := m.MessageAttributes["type"]; aws.ToString(v.StringValue) != "OrderCreated" {
		t.Errorf("message attribute type = %+v", v)
	}
	if v := m.MessageAttributes["payload"]; !cmp.Equal(v.BinaryValue, []byte{1, 2, 3}) {
		t.Errorf("message attribute payload = %+v", v)
	}

	attrs, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "1",
		"QueueArn": "arn:aws:sqs:us-east-1:000000000000:orders", "VisibilityTimeout": "180",
		"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders-dlq","maxReceiveCount":5}`,
	} {
		if attrs.Attributes[k] != want {
			t.Errorf("attribute %s = %q, want %q", k, attrs.Attributes[k], want)
		}
	}

	del, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []types.DeleteMessageBatchRequestEntry{
			{Id: aws.String("ok"), ReceiptHandle: m.ReceiptHandle},
			{Id: aws.String("bad"), ReceiptHandle: aws.String("garbage!")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(del.Successful) != 1 || aws.ToString(del.Successful[0].Id) != "ok" ||
		len(del.Failed) != 1 || aws.ToString(del.Failed[0].Code) != "ReceiptHandleIsInvalid" {
		t.Errorf("delete batch = %+v", del)
	}
	attrs, err = c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameApproximateNumberOfMessagesNotVisible}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"ApproximateNumberOfMessagesNotVisible": "0"}, attrs.Attributes); diff != "" {
		t.Errorf("attributes after delete (-want +got):\n%s", diff)
	}
}

func TestSDKChangeVisibilityAndPurge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, url, _, _ := newWireQueue(t)
	if _, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	if err != nil || len(got.Messages) != 1 {
		t.Fatalf("receive = %+v, %v", got, err)
	}
	if _, err := c.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: got.Messages[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	again, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
	if err != nil || len(again.Messages) != 1 {
		t.Fatalf("receive after visibility 0 = %+v, %v", again, err)
	}
	if _, err := c.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: aws.String(url)})
	var inProgress *types.PurgeQueueInProgress
	if !errors.As(err, &inProgress) {
		t.Errorf("second purge: %v, want PurgeQueueInProgress", err)
	}
}

func TestSDKErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, url, _, _ := newWireQueue(t)

	_, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("nope")})
	var notFound *types.QueueDoesNotExist
	if !errors.As(err, &notFound) || notFound.ErrorCode() != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("GetQueueUrl of a missing queue: %v", err)
	}
	_, err = c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url + "-missing"), MessageBody: aws.String("x")})
	if !errors.As(err, &notFound) {
		t.Errorf("SendMessage to a missing queue: %v", err)
	}

	_, err = c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 11})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidParameterValue" {
		t.Errorf("MaxNumberOfMessages 11: %v", err)
	}
	_, err = c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: aws.String("garbage!")})
	var invalid *types.ReceiptHandleIsInvalid
	if !errors.As(err, &invalid) {
		t.Errorf("DeleteMessage with a bad handle: %v", err)
	}
	_, err = c.TagQueue(ctx, &sqs.TagQueueInput{QueueUrl: aws.String(url), Tags: map[string]string{"team": "shop"}})
	var unsupported *types.UnsupportedOperation
	if !errors.As(err, &unsupported) || !strings.Contains(unsupported.ErrorMessage(), "TagQueue") {
		t.Errorf("TagQueue: %v, want UnsupportedOperation naming it", err)
	}
	_, err = c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: []types.QueueAttributeName{"Bogus"}})
	var badName *types.InvalidAttributeName
	if !errors.As(err, &badName) {
		t.Errorf("GetQueueAttributes Bogus: %v", err)
	}
}

func TestSDKListQueues(t *testing.T) {
	t.Parallel()
	c, url, _, _ := newWireQueue(t)
	out, err := c.ListQueues(context.Background(), &sqs.ListQueuesInput{QueueNamePrefix: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{url, url + "-dlq"}, out.QueueUrls); diff != "" {
		t.Errorf("queue urls (-want +got):\n%s", diff)
	}
	page, err := c.ListQueues(context.Background(), &sqs.ListQueuesInput{MaxResults: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.ListQueues(context.Background(), &sqs.ListQueuesInput{MaxResults: aws.Int32(1), NextToken: page.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{url, url + "-dlq"}, append(page.QueueUrls, next.QueueUrls...)); diff != "" {
		t.Errorf("paged queue urls (-want +got):\n%s", diff)
	}
}

func TestSDKLongPolling(t *testing.T) {
	t.Parallel()
	b := sqsemu.NewBroker(sqsemu.Options{})
	q, err := b.CreateQueue("poll", sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, b)
	ctx := context.Background()
	url, err := c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("poll")})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		_, _ = q.Send(sqsemu.SendInput{Body: "late"})
	}()
	start := time.Now()
	out, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: url.QueueUrl, WaitTimeSeconds: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 1 || time.Since(start) > 5*time.Second {
		t.Errorf("long poll returned %d messages after %s", len(out.Messages), time.Since(start))
	}
}
