package stack

// Internal tests of the SQS and EventBridge wiring: a template's queue URL
// used on the AWS endpoint, the visibility a function sets while a poller
// runs it, and rule targets resolved at run time, without booting a stack.

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// wiredStack is a loaded template with its queues and EventBridge service
// served on an AWS endpoint, as start wires them.
type wiredStack struct {
	r      *Running
	broker *sqsemu.Broker
	url    string
	sqs    *sqs.Client
	events *eventbridge.Client
}

// newWiredStack loads doc with its AWS endpoint on a free port, creates its
// queues and serves them with an EventBridge service.
func newWiredStack(t *testing.T, doc string) *wiredStack {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	s, err := template.Load([]byte(doc), template.Options{StackName: "wired", AWSEndpoint: url})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	r := &Running{Stack: s, AWSURL: url}
	broker, err := r.createQueues()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var async sync.WaitGroup
	ev := r.newEvents(ctx, &async, broker)
	t.Cleanup(func() { _ = ev.Close(); cancel(); async.Wait() })
	if err := r.createRules(ctx, &async, ev, broker); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(&awsEndpoint{sqs: broker, events: ev, sfn: http.NotFoundHandler(),
		secrets: http.NotFoundHandler(), lambda: http.NotFoundHandler()})
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return &wiredStack{
		r: r, broker: broker, url: url,
		sqs:    sqs.New(sqs.Options{Region: s.Region, Credentials: creds, BaseEndpoint: aws.String(url)}),
		events: eventbridge.New(eventbridge.Options{Region: s.Region, Credentials: creds, BaseEndpoint: aws.String(url)}),
	}
}

const queueTemplate = `{
  "Resources": {
    "Work": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 1}}
  },
  "Outputs": {"WorkQueueUrl": {"Value": {"Ref": "Work"}}}
}`

// fakeFunction is an sqsemu.Invoker that runs handle for each batch.
type fakeFunction struct {
	mu      sync.Mutex
	batches []events.SQSEvent
	calls   chan struct{}
	handle  func(events.SQSEvent) ([]byte, error)
}

func (f *fakeFunction) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.batches = append(f.batches, ev)
	f.mu.Unlock()
	defer func() { f.calls <- struct{}{} }()
	return f.handle(ev)
}

// TestTemplateQueueURLOnTheAWSEndpoint checks that the Ref of a template
// queue, as a function gets it, is a URL the AWS endpoint accepts, and that
// a function which extends a message's visibility with the receipt handle
// of its event and then reports it failed sees it again only when that
// visibility expires: 1 s is the queue's, 3 s the function's.
func TestTemplateQueueURLOnTheAWSEndpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWiredStack(t, queueTemplate)
	queueURL := w.r.Stack.Outputs["WorkQueueUrl"]
	if q, _ := w.r.Stack.LookupQueue("wired-Work"); q == nil || q.URL != queueURL || queueURL != w.url+"/000000000000/wired-Work" {
		t.Fatalf("Ref of the queue = %q, want its URL on %s", queueURL, w.url)
	}
	if _, err := w.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String("job")}); err != nil {
		t.Fatalf("SendMessage on the Ref URL: %v", err)
	}

	var mu sync.Mutex
	var changed []time.Time
	f := &fakeFunction{calls: make(chan struct{}, 10), handle: func(ev events.SQSEvent) ([]byte, error) {
		rec := ev.Records[0]
		if _, err := w.sqs.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(queueURL),
			ReceiptHandle: aws.String(rec.ReceiptHandle), VisibilityTimeout: 3}); err != nil {
			t.Errorf("ChangeMessageVisibility with the event's receipt handle on the Ref URL: %v", err)
		}
		mu.Lock()
		changed = append(changed, time.Now())
		mu.Unlock()
		return json.Marshal(events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: rec.MessageId}}})
	}}
	q, _ := w.broker.QueueByURL(queueURL)
	p, err := sqsemu.NewPoller(q, f, 10, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })

	wait := func(what string) {
		t.Helper()
		select {
		case <-f.calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("function not invoked %s", what)
		}
	}
	wait("with the message")
	wait("again once the visibility it set expired")
	mu.Lock()
	gap := changed[1].Sub(changed[0])
	mu.Unlock()
	if gap < 2500*time.Millisecond {
		t.Errorf("redelivered %s after the function set a 3 s visibility", gap)
	}
	attrs, err := w.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameVisibilityTimeout}})
	if err != nil || attrs.Attributes["VisibilityTimeout"] != "1" {
		t.Errorf("GetQueueAttributes on the Ref URL = %v, %v", attrs, err)
	}
}

// TestRuntimeQueueAsRuleTarget checks that PutTargets resolves the ARN of a
// queue CreateQueue created at run time, and refuses an unknown one per
// entry.
func TestRuntimeQueueAsRuleTarget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWiredStack(t, queueTemplate)
	created, err := w.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("it-orders")})
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := w.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: created.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.events.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("it-rule"),
		EventPattern: aws.String(`{"source":["it.test"]}`)}); err != nil {
		t.Fatal(err)
	}
	out, err := w.events.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("it-rule"), Targets: []ebtypes.Target{
		{Id: aws.String("runtime"), Arn: aws.String(attrs.Attributes["QueueArn"])},
		{Id: aws.String("template"), Arn: aws.String(w.r.Stack.Queues[0].ARN)},
		{Id: aws.String("unknown-queue"), Arn: aws.String("arn:aws:sqs:us-east-1:000000000000:nope")},
		{Id: aws.String("unknown-function"), Arn: aws.String("arn:aws:lambda:us-east-1:000000000000:function:nope")},
		{Id: aws.String("sns"), Arn: aws.String("arn:aws:sns:us-east-1:000000000000:topic")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]string{}
	for _, e := range out.FailedEntries {
		failed[aws.ToString(e.TargetId)] = aws.ToString(e.ErrorCode)
	}
	if out.FailedEntryCount != 3 || len(failed) != 3 || failed["unknown-queue"] == "" || failed["unknown-function"] == "" || failed["sns"] == "" {
		t.Errorf("FailedEntries = %v (count %d), want the three unknown targets", failed, out.FailedEntryCount)
	}
	put, err := w.events.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
		Source: aws.String("it.test"), DetailType: aws.String("Ping"), Detail: aws.String(`{"n":1}`)}}})
	if err != nil || put.FailedEntryCount != 0 {
		t.Fatalf("PutEvents = %+v, %v", put, err)
	}
	for _, url := range []string{aws.ToString(created.QueueUrl), w.r.Stack.Queues[0].URL} {
		got, err := w.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: 5})
		if err != nil || len(got.Messages) != 1 {
			t.Fatalf("queue %s received %+v, %v; want the event", url, got, err)
		}
		var ev struct {
			Source string `json:"source"`
		}
		if err := json.Unmarshal([]byte(aws.ToString(got.Messages[0].Body)), &ev); err != nil || ev.Source != "it.test" {
			t.Errorf("queue %s got %s", url, aws.ToString(got.Messages[0].Body))
		}
	}

	// Deleting the runtime queue makes its deliveries fail, as on AWS.
	if _, err := w.sqs.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: created.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	_, err = w.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: created.QueueUrl})
	var gone *sqstypes.QueueDoesNotExist
	if !errors.As(err, &gone) {
		t.Errorf("ReceiveMessage on the deleted queue: %v, want QueueDoesNotExist", err)
	}
}
