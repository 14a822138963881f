package eventsemu_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/goshop-dev/goshop/devstack/eventsemu"
	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// flakyFunctionARN is resolved to a target that always fails.
const flakyFunctionARN = "arn:aws:lambda:us-east-1:000000000000:function:flaky"

// apiFixture is a Service whose resolvers know the queues of broker and
// flakyFunctionARN, served to an SDK client.
type apiFixture struct {
	svc    *eventsemu.Service
	broker *sqsemu.Broker
	client *eventbridge.Client
	flaky  *recorder
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	f := &apiFixture{broker: sqsemu.NewBroker(sqsemu.Options{}), flaky: &recorder{failures: 1000}}
	queue := func(arn string) (*sqsemu.Queue, error) {
		q, ok := f.broker.QueueByARN(arn)
		if !ok {
			return nil, fmt.Errorf("queue %s does not exist", arn)
		}
		return q, nil
	}
	f.svc = eventsemu.New(eventsemu.Options{
		Retry: eventsemu.RetryPolicy{MaxAttempts: 3, Backoff: time.Millisecond},
		ResolveTarget: func(arn string) (eventsemu.Target, error) {
			if arn == flakyFunctionARN {
				return f.flaky, nil
			}
			q, err := queue(arn)
			if err != nil {
				return nil, err
			}
			return eventsemu.SQSTarget{Queue: q}, nil
		},
		ResolveQueue: queue,
	})
	t.Cleanup(func() { _ = f.svc.Close() })
	if err := f.svc.CreateBus("goshop"); err != nil {
		t.Fatal(err)
	}
	f.client = newClient(t, f.svc)
	return f
}

func (f *apiFixture) queue(t *testing.T, name string) *sqsemu.Queue {
	t.Helper()
	q, err := f.broker.CreateQueue(name, sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// put puts one goshop.orders event of detailType on the goshop bus and
// waits for its deliveries.
func (f *apiFixture) put(t *testing.T, detailType string) {
	t.Helper()
	out, err := f.client.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		Source: aws.String("goshop.orders"), DetailType: aws.String(detailType), Detail: aws.String(`{"orderId":"o-1"}`),
		EventBusName: aws.String("goshop"),
	}}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("PutEvents = %+v, %v", out, err)
	}
	f.svc.Wait()
}

// drain returns the number of messages in q and deletes them.
func drain(t *testing.T, q *sqsemu.Queue) int {
	t.Helper()
	n := 0
	for {
		msgs, err := q.Receive(context.Background(), sqsemu.ReceiveInput{MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			return n
		}
		for _, m := range msgs {
			if err := q.Delete(m.ReceiptHandle); err != nil {
				t.Fatal(err)
			}
		}
		n += len(msgs)
	}
}

func apiCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

func TestSDKRuleLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAPIFixture(t)
	c := f.client
	orders, audit, dlq := f.queue(t, "orders"), f.queue(t, "audit"), f.queue(t, "audit-dlq")

	put, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("order-created"), EventBusName: aws.String(f.svc.BusARN("goshop")),
		EventPattern: aws.String(`{"source":["goshop.orders"],"detail-type":["OrderCreated"]}`), Description: aws.String("new orders")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(put.RuleArn), "arn:aws:events:us-east-1:000000000000:rule/goshop/order-created"; got != want {
		t.Errorf("RuleArn = %q, want %q", got, want)
	}
	desc, err := c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")})
	if err != nil {
		t.Fatal(err)
	}
	got := [6]string{aws.ToString(desc.Name), aws.ToString(desc.Arn), aws.ToString(desc.EventPattern), string(desc.State),
		aws.ToString(desc.Description), aws.ToString(desc.EventBusName)}
	want := [6]string{"order-created", aws.ToString(put.RuleArn), `{"source":["goshop.orders"],"detail-type":["OrderCreated"]}`,
		"ENABLED", "new orders", "goshop"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DescribeRule (-want +got):\n%s", diff)
	}

	targets, err := c.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("order-created"), EventBusName: aws.String("goshop"),
		Targets: []types.Target{
			{Id: aws.String("orders"), Arn: aws.String(orders.ARN())},
			{Id: aws.String("missing"), Arn: aws.String("arn:aws:sqs:us-east-1:000000000000:missing")},
			{Id: aws.String("audit"), Arn: aws.String(audit.ARN()), DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.ARN())},
				RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(2), MaximumEventAgeInSeconds: aws.Int32(600)}},
			{Id: aws.String("bad-dlq"), Arn: aws.String(audit.ARN()), DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:000000000000:nope")}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, e := range targets.FailedEntries {
		failed = append(failed, aws.ToString(e.TargetId)+" "+aws.ToString(e.ErrorCode))
		if aws.ToString(e.ErrorMessage) == "" {
			t.Errorf("failed entry %s has no message", aws.ToString(e.TargetId))
		}
	}
	if diff := cmp.Diff([]string{"missing ResourceNotFoundException", "bad-dlq ResourceNotFoundException"}, failed); targets.FailedEntryCount != 2 || diff != "" {
		t.Errorf("PutTargets failed %d entries (-want +got):\n%s", targets.FailedEntryCount, diff)
	}
	listed, err := c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("order-created"), EventBusName: aws.String("goshop")})
	if err != nil {
		t.Fatal(err)
	}
	wantTargets := []types.Target{
		{Id: aws.String("orders"), Arn: aws.String(orders.ARN())},
		{Id: aws.String("audit"), Arn: aws.String(audit.ARN()), DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.ARN())},
			RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(2), MaximumEventAgeInSeconds: aws.Int32(600)}},
	}
	if diff := cmp.Diff(wantTargets, listed.Targets, cmpopts.IgnoreUnexported(types.Target{}, types.DeadLetterConfig{}, types.RetryPolicy{})); diff != "" {
		t.Errorf("ListTargetsByRule (-want +got):\n%s", diff)
	}

	f.put(t, "OrderCreated")
	f.put(t, "OrderCancelled")
	if n, m := drain(t, orders), drain(t, audit); n != 1 || m != 1 {
		t.Fatalf("delivered %d to orders and %d to audit, want the OrderCreated event to each", n, m)
	}

	// PutRule replaces the rule and keeps its targets.
	if _, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop"),
		EventPattern: aws.String(`{"detail-type":["OrderCreated"]}`), State: types.RuleStateDisabled}); err != nil {
		t.Fatal(err)
	}
	f.put(t, "OrderCreated")
	if n := drain(t, orders); n != 0 {
		t.Errorf("a disabled rule delivered %d events", n)
	}
	if _, err := c.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop"),
		EventPattern: aws.String(`{"detail-type":["OrderCancelled"]}`)}); err != nil {
		t.Fatal(err)
	}
	desc, err = c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")})
	if err != nil || desc.State != types.RuleStateEnabled || aws.ToString(desc.Description) != "" {
		t.Errorf("DescribeRule after replacement = %+v, %v; want ENABLED without the old description", desc, err)
	}
	f.put(t, "OrderCreated")
	f.put(t, "OrderCancelled")
	if n := drain(t, orders); n != 1 {
		t.Errorf("delivered %d events after the pattern changed, want only OrderCancelled", n)
	}

	// DeleteRule is refused while targets remain.
	_, err = c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")})
	if code := apiCode(err); code != "ValidationException" || !strings.Contains(err.Error(), "has targets") {
		t.Errorf("DeleteRule with targets: %v, want ValidationException", err)
	}
	removed, err := c.RemoveTargets(ctx, &eventbridge.RemoveTargetsInput{Rule: aws.String("order-created"), EventBusName: aws.String("goshop"),
		Ids: []string{"orders", "audit", "never-added"}})
	if err != nil || removed.FailedEntryCount != 0 {
		t.Fatalf("RemoveTargets = %+v, %v", removed, err)
	}
	if listed, err := c.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("order-created"), EventBusName: aws.String("goshop")}); err != nil || len(listed.Targets) != 0 {
		t.Errorf("targets after RemoveTargets = %+v, %v", listed, err)
	}
	if _, err := c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")}); err != nil {
		t.Fatal(err)
	}
	var notFound *types.ResourceNotFoundException
	if _, err := c.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")}); !errors.As(err, &notFound) {
		t.Errorf("DescribeRule after DeleteRule: %v, want ResourceNotFoundException", err)
	}
	if _, err := c.DeleteRule(ctx, &eventbridge.DeleteRuleInput{Name: aws.String("order-created"), EventBusName: aws.String("goshop")}); err != nil {
		t.Errorf("deleting a deleted rule: %v, want success", err)
	}
}

func TestSDKTemplateRulesAreManagedToo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAPIFixture(t)
	rec, added := &recorder{}, f.queue(t, "added")
	if err := f.svc.AddRule(eventsemu.Rule{Name: "from-template", EventBusName: "goshop", EventPattern: `{"source":["goshop.orders"]}`,
		Targets: []eventsemu.RuleTarget{{ID: "fn", ARN: "arn:aws:lambda:us-east-1:000000000000:function:fn", Target: rec}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("from-template"), EventBusName: aws.String("goshop"),
		Targets: []types.Target{{Id: aws.String("added"), Arn: aws.String(added.ARN())}}}); err != nil {
		t.Fatal(err)
	}
	listed, err := f.client.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("from-template"), EventBusName: aws.String("goshop"), Limit: aws.Int32(1)})
	if err != nil || len(listed.Targets) != 1 || aws.ToString(listed.Targets[0].Id) != "fn" || listed.NextToken == nil {
		t.Fatalf("first page = %+v, %v", listed, err)
	}
	next, err := f.client.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("from-template"), EventBusName: aws.String("goshop"), NextToken: listed.NextToken})
	if err != nil || len(next.Targets) != 1 || aws.ToString(next.Targets[0].Id) != "added" || next.NextToken != nil {
		t.Fatalf("second page = %+v, %v", next, err)
	}
	f.put(t, "OrderCreated")
	if events, _ := rec.got(); len(events) != 1 || drain(t, added) != 1 {
		t.Errorf("the template target got %d events, want 1 each for it and the added queue", len(events))
	}
}

func TestSDKTargetRetryPolicyAndDeadLetter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAPIFixture(t)
	dlq := f.queue(t, "rule-dlq")
	if _, err := f.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("goshop"),
		EventPattern: aws.String(`{"source":["goshop.orders"]}`)}); err != nil {
		t.Fatal(err)
	}
	out, err := f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), EventBusName: aws.String("goshop"),
		Targets: []types.Target{{Id: aws.String("flaky"), Arn: aws.String(flakyFunctionARN),
			DeadLetterConfig: &types.DeadLetterConfig{Arn: aws.String(dlq.ARN())},
			RetryPolicy:      &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(0)}}}})
	if err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("PutTargets = %+v, %v", out, err)
	}
	f.put(t, "OrderCreated")
	if _, attempts := f.flaky.got(); attempts != 1 {
		t.Errorf("attempts = %d, want 1 with MaximumRetryAttempts 0", attempts)
	}
	msgs, err := dlq.Receive(ctx, sqsemu.ReceiveInput{MaxNumberOfMessages: 10})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("dead-letter queue: %d messages, %v", len(msgs), err)
	}
	if a := msgs[0].MessageAttributes; a["RETRY_ATTEMPTS"].StringValue != "0" || a["TARGET_ARN"].StringValue != flakyFunctionARN ||
		a["RULE_ARN"].StringValue != "arn:aws:events:us-east-1:000000000000:rule/goshop/r" {
		t.Errorf("dead-letter attributes = %+v", a)
	}
}

func TestSDKPutRuleRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   eventbridge.PutRuleInput
		code string
	}{
		{"unsupported operator", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"detail":{"total":[{"numeric":[">",100]}]}}`)}, "InvalidEventPatternException"},
		{"not json", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":`)}, "InvalidEventPatternException"},
		{"bare value", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":"a"}`)}, "InvalidEventPatternException"},
		{"no pattern", eventbridge.PutRuleInput{Name: aws.String("r")}, "ValidationException"},
		{"schedule", eventbridge.PutRuleInput{Name: aws.String("r"), ScheduleExpression: aws.String("rate(5 minutes)")}, "ValidationException"},
		{"bad name", eventbridge.PutRuleInput{Name: aws.String("a/b"), EventPattern: aws.String(`{"source":["a"]}`)}, "ValidationException"},
		{"bad state", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["a"]}`), State: "PAUSED"}, "ValidationException"},
		{"missing bus", eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["a"]}`), EventBusName: aws.String("nope")}, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAPIFixture(t)
			_, err := f.client.PutRule(context.Background(), &tt.in)
			if code := apiCode(err); code != tt.code {
				t.Fatalf("PutRule: %v (code %q), want %s", err, code, tt.code)
			}
			if tt.name == "unsupported operator" && !strings.Contains(err.Error(), `"numeric"`) {
				t.Errorf("error %q does not name the operator", err)
			}
			if _, err := f.client.DescribeRule(context.Background(), &eventbridge.DescribeRuleInput{Name: tt.in.Name, EventBusName: tt.in.EventBusName}); err == nil {
				t.Error("a refused PutRule created the rule")
			}
		})
	}
}

func TestSDKPutTargetsRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAPIFixture(t)
	q := f.queue(t, "q")
	if _, err := f.client.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":["a"]}`)}); err != nil {
		t.Fatal(err)
	}
	target := func(id string) types.Target { return types.Target{Id: aws.String(id), Arn: aws.String(q.ARN())} }
	many := func(n int) []types.Target {
		out := make([]types.Target, n)
		for i := range out {
			out[i] = target(fmt.Sprintf("t%d", i))
		}
		return out
	}
	tests := []struct {
		name    string
		rule    string
		targets []types.Target
		code    string
	}{
		{"missing rule", "nope", many(1), "ResourceNotFoundException"},
		{"input", "r", []types.Target{{Id: aws.String("t"), Arn: aws.String(q.ARN()), Input: aws.String(`{}`)}}, "ValidationException"},
		{"input transformer", "r", []types.Target{{Id: aws.String("t"), Arn: aws.String(q.ARN()),
			InputTransformer: &types.InputTransformer{InputTemplate: aws.String(`"x"`)}}}, "ValidationException"},
		{"bad id", "r", []types.Target{target("a/b")}, "ValidationException"},
		{"retry attempts out of range", "r", []types.Target{{Id: aws.String("t"), Arn: aws.String(q.ARN()),
			RetryPolicy: &types.RetryPolicy{MaximumRetryAttempts: aws.Int32(186)}}}, "ValidationException"},
		{"six targets", "r", many(6), "LimitExceededException"},
		{"eleven entries", "r", many(11), "ValidationException"},
	}
	for _, tt := range tests {
		_, err := f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(tt.rule), Targets: tt.targets})
		if code := apiCode(err); code != tt.code {
			t.Errorf("%s: %v (code %q), want %s", tt.name, err, code, tt.code)
		}
	}
	listed, err := f.client.ListTargetsByRule(ctx, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("r")})
	if err != nil || len(listed.Targets) != 0 {
		t.Errorf("targets after refused requests = %+v, %v", listed, err)
	}
	// Five in all is the limit, counted with the targets already there.
	if out, err := f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: many(5)}); err != nil || out.FailedEntryCount != 0 {
		t.Fatalf("five targets: %+v, %v", out, err)
	}
	_, err = f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{target("sixth")}})
	if code := apiCode(err); code != "LimitExceededException" {
		t.Errorf("a sixth target: %v, want LimitExceededException", err)
	}
	if _, err := f.client.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("r"), Targets: []types.Target{target("t0")}}); err != nil {
		t.Errorf("replacing a target at the limit: %v", err)
	}
}
