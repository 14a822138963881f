package eventsemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/eventsemu"
	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// recorder is a Target that records events and fails the first failures
// deliveries.
type recorder struct {
	mu       sync.Mutex
	events   []string
	attempts int
	failures int
}

func (r *recorder) Deliver(_ context.Context, event []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.attempts <= r.failures {
		return errors.New("target unavailable")
	}
	r.events = append(r.events, string(event))
	return nil
}

func (r *recorder) got() ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...), r.attempts
}

func newService(t *testing.T) *eventsemu.Service {
	t.Helper()
	n := 0
	s := eventsemu.New(eventsemu.Options{
		Now:   func() time.Time { return epoch },
		NewID: func() string { n++; return "id-" + string(rune('0'+n)) },
		Retry: eventsemu.RetryPolicy{MaxAttempts: 3, Backoff: time.Millisecond},
	})
	t.Cleanup(func() { _ = s.Close() })
	if err := s.CreateBus("goshop"); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRuleMatching(t *testing.T) {
	t.Parallel()
	order := `{"orderId":"o-1","status":"CONFIRMED","total":{"amount":1999,"currency":"USD"},"tags":["gift","express"],"paid":true,"note":null}`
	tests := []struct {
		name    string
		pattern string
		source  string
		detail  string
		want    bool
	}{
		{"exact", `{"source":["goshop.orders"]}`, "goshop.orders", order, true},
		{"exact mismatch", `{"source":["goshop.orders"]}`, "goshop.users", order, false},
		{"multiple values", `{"source":["goshop.users","goshop.orders"],"detail-type":["OrderCreated","OrderConfirmed"]}`, "goshop.orders", order, true},
		{"multiple fields must all match", `{"source":["goshop.orders"],"detail-type":["OrderCancelled"]}`, "goshop.orders", order, false},
		{"prefix", `{"source":[{"prefix":"goshop."}]}`, "goshop.payments", order, true},
		{"prefix mismatch", `{"source":[{"prefix":"shop."}]}`, "goshop.payments", order, false},
		{"nested detail", `{"detail":{"total":{"currency":["USD"]}}}`, "goshop.orders", order, true},
		{"nested detail mismatch", `{"detail":{"total":{"currency":["EUR"]}}}`, "goshop.orders", order, false},
		{"exists true", `{"detail":{"orderId":[{"exists":true}]}}`, "goshop.orders", order, true},
		{"exists true missing", `{"detail":{"userId":[{"exists":true}]}}`, "goshop.orders", order, false},
		{"exists false", `{"detail":{"userId":[{"exists":false}]}}`, "goshop.orders", order, true},
		{"exists false present", `{"detail":{"orderId":[{"exists":false}]}}`, "goshop.orders", order, false},
		{"array value", `{"detail":{"tags":["express"]}}`, "goshop.orders", order, true},
		{"number", `{"detail":{"total":{"amount":[1999]}}}`, "goshop.orders", order, true},
		{"boolean", `{"detail":{"paid":[true]}}`, "goshop.orders", order, true},
		{"null", `{"detail":{"note":[null]}}`, "goshop.orders", order, true},
		{"anything-but list", `{"detail":{"status":[{"anything-but":["CANCELLED","FAILED"]}]}}`, "goshop.orders", order, true},
		{"anything-but string", `{"detail":{"status":[{"anything-but":"CONFIRMED"}]}}`, "goshop.orders", order, false},
		{"equals-ignore-case", `{"detail":{"status":[{"equals-ignore-case":"confirmed"}]}}`, "goshop.orders", order, true},
		{"account and region", `{"account":["000000000000"],"region":["us-east-1"]}`, "goshop.orders", order, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newService(t)
			rec := &recorder{}
			if err := s.AddRule(eventsemu.Rule{Name: "r", EventBusName: "goshop", EventPattern: tt.pattern,
				Targets: []eventsemu.RuleTarget{{ID: "t", Target: rec}}}); err != nil {
				t.Fatal(err)
			}
			res := s.PutEvents([]eventsemu.Entry{{Source: tt.source, DetailType: "OrderConfirmed", Detail: tt.detail, EventBusName: "goshop"}})
			if res[0].ErrorCode != "" {
				t.Fatalf("put: %+v", res[0])
			}
			s.Wait()
			events, _ := rec.got()
			if got := len(events) == 1; got != tt.want {
				t.Errorf("matched = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnsupportedPatternsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		feature string
	}{
		{"numeric", `{"detail":{"total":{"amount":[{"numeric":[">",100]}]}}}`, `"numeric"`},
		{"suffix", `{"source":[{"suffix":".orders"}]}`, `"suffix"`},
		{"cidr", `{"detail":{"ip":[{"cidr":"10.0.0.0/24"}]}}`, `"cidr"`},
		{"or", `{"$or":[{"source":["a"]},{"detail-type":["b"]}]}`, `"$or"`},
		{"nested or", `{"detail":{"$or":[{"a":["x"]},{"b":["y"]}]}}`, `"$or"`},
		{"anything-but prefix", `{"source":[{"anything-but":{"prefix":"aws."}}]}`, `"anything-but" with "prefix"`},
		{"anything-but numbers", `{"detail":{"n":[{"anything-but":[1,2]}]}}`, `"anything-but" with non-string`},
		{"prefix ignore case", `{"source":[{"prefix":{"equals-ignore-case":"GO"}}]}`, `"prefix" with a non-string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newService(t)
			err := s.AddRule(eventsemu.Rule{Name: "OrdersRule", EventPattern: tt.pattern,
				Targets: []eventsemu.RuleTarget{{ID: "t", Target: &recorder{}}}})
			var unsupported *eventsemu.UnsupportedPatternError
			if !errors.As(err, &unsupported) {
				t.Fatalf("err = %v, want *UnsupportedPatternError", err)
			}
			if unsupported.Rule != "OrdersRule" || !strings.Contains(err.Error(), tt.feature) || !strings.Contains(err.Error(), "OrdersRule") {
				t.Errorf("err = %q, want the rule and %s named", err, tt.feature)
			}
		})
	}
}

func TestInvalidPatternsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, pattern string }{
		{"not json", `{"source":`},
		{"not an object", `["a"]`},
		{"empty", `{}`},
		{"bare value", `{"source":"goshop.orders"}`},
		{"two operators", `{"source":[{"prefix":"a","exists":true}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newService(t)
			err := s.AddRule(eventsemu.Rule{Name: "BadRule", EventPattern: tt.pattern})
			if err == nil || !strings.Contains(err.Error(), "BadRule") {
				t.Errorf("err = %v, want an error naming the rule", err)
			}
		})
	}
}

func TestDeliveredEventShape(t *testing.T) {
	t.Parallel()
	s := newService(t)
	rec := &recorder{}
	if err := s.AddRule(eventsemu.Rule{Name: "r", EventBusName: s.BusARN("goshop"), EventPattern: `{"source":["goshop.orders"]}`,
		Targets: []eventsemu.RuleTarget{{ID: "t", Target: rec}}}); err != nil {
		t.Fatal(err)
	}
	res := s.PutEvents([]eventsemu.Entry{{Source: "goshop.orders", DetailType: "OrderCreated", EventBusName: "goshop",
		Detail: `{ "orderId": "o-1" }`, Resources: []string{"arn:aws:states:us-east-1:000000000000:execution:x"}}})
	s.Wait()
	events, _ := rec.got()
	if len(events) != 1 {
		t.Fatalf("delivered %d events", len(events))
	}
	want := `{"version":"0","id":"` + res[0].EventID + `","detail-type":"OrderCreated","source":"goshop.orders",` +
		`"account":"000000000000","time":"2026-01-02T03:04:05Z","region":"us-east-1",` +
		`"resources":["arn:aws:states:us-east-1:000000000000:execution:x"],"detail":{"orderId":"o-1"}}`
	if diff := cmp.Diff(want, events[0]); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
}

func TestPutEventsEntryValidation(t *testing.T) {
	t.Parallel()
	s := newService(t)
	got := s.PutEvents([]eventsemu.Entry{
		{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `{}`},
		{DetailType: "OrderCreated", Detail: `{}`},
		{Source: "goshop.orders", Detail: `{}`},
		{Source: "goshop.orders", DetailType: "OrderCreated"},
		{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `[1]`},
		{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `{"a":`},
		{Source: "aws.ec2", DetailType: "x", Detail: `{}`},
		{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `{}`, EventBusName: "nope"},
	})
	codes := make([]string, len(got))
	for i, r := range got {
		codes[i] = r.ErrorCode
		if (r.ErrorCode == "") == (r.EventID == "") {
			t.Errorf("entry %d: %+v, want exactly one of EventID and ErrorCode", i, r)
		}
	}
	want := []string{"", "InvalidArgument", "InvalidArgument", "InvalidArgument", "MalformedDetail", "MalformedDetail",
		"NotAuthorizedForSourceException", "ResourceNotFoundException"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("error codes (-want +got):\n%s", diff)
	}
}

func TestDeadLetterAfterRetries(t *testing.T) {
	t.Parallel()
	s := newService(t)
	broker := sqsemu.NewBroker(sqsemu.Options{})
	dlq, err := broker.CreateQueue("rule-dlq", sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	failing := &recorder{failures: 100}
	flaky := &recorder{failures: 2}
	if err := s.AddRule(eventsemu.Rule{Name: "r", EventBusName: "goshop", EventPattern: `{"source":["goshop.orders"]}`,
		Targets: []eventsemu.RuleTarget{
			{ID: "failing", ARN: "arn:aws:sqs:us-east-1:000000000000:gone", Target: failing, DeadLetterQueue: dlq},
			{ID: "flaky", Target: flaky, DeadLetterQueue: dlq},
		}}); err != nil {
		t.Fatal(err)
	}
	s.PutEvents([]eventsemu.Entry{{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `{}`, EventBusName: "goshop"}})
	s.Wait()

	if _, attempts := failing.got(); attempts != 3 {
		t.Errorf("failing target attempted %d times, want 3", attempts)
	}
	if events, attempts := flaky.got(); len(events) != 1 || attempts != 3 {
		t.Errorf("flaky target: %d events after %d attempts, want 1 after 3", len(events), attempts)
	}
	msgs, err := dlq.Receive(context.Background(), sqsemu.ReceiveInput{MaxNumberOfMessages: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("dlq has %d messages, want 1", len(msgs))
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(msgs[0].Body), &ev); err != nil || ev["source"] != "goshop.orders" {
		t.Errorf("dlq body = %s", msgs[0].Body)
	}
	attrs := map[string]string{}
	for k, v := range msgs[0].MessageAttributes {
		attrs[k] = v.StringValue
	}
	want := map[string]string{
		"RULE_ARN":                  "arn:aws:events:us-east-1:000000000000:rule/goshop/r",
		"TARGET_ARN":                "arn:aws:sqs:us-east-1:000000000000:gone",
		"ERROR_CODE":                "SDK_CLIENT_ERROR",
		"ERROR_MESSAGE":             "target unavailable",
		"EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts",
		"RETRY_ATTEMPTS":            "2",
	}
	if diff := cmp.Diff(want, attrs); diff != "" {
		t.Errorf("dlq attributes (-want +got):\n%s", diff)
	}
}

type fakeLambda struct{ payloads chan []byte }

func (f fakeLambda) InvokeAsync(_ context.Context, payload []byte) error {
	f.payloads <- payload
	return nil
}

type fakeStateMachine struct{ inputs chan []byte }

func (f fakeStateMachine) StartExecution(_ context.Context, input []byte) error {
	f.inputs <- input
	return nil
}

func TestTargets(t *testing.T) {
	t.Parallel()
	s := newService(t)
	broker := sqsemu.NewBroker(sqsemu.Options{})
	q, err := broker.CreateQueue("consumer", sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	fn := fakeLambda{make(chan []byte, 1)}
	sm := fakeStateMachine{make(chan []byte, 1)}
	disabled := &recorder{}
	rules := []eventsemu.Rule{
		{Name: "to-all", EventBusName: "goshop", EventPattern: `{"detail-type":["OrderCreated"]}`, Targets: []eventsemu.RuleTarget{
			{ID: "sqs", Target: eventsemu.SQSTarget{Queue: q}},
			{ID: "lambda", Target: eventsemu.LambdaTarget{Function: fn}},
			{ID: "sfn", Target: eventsemu.StepFunctionsTarget{StateMachine: sm}},
		}},
		{Name: "off", EventBusName: "goshop", EventPattern: `{"detail-type":["OrderCreated"]}`, Disabled: true,
			Targets: []eventsemu.RuleTarget{{ID: "x", Target: disabled}}},
	}
	for _, r := range rules {
		if err := s.AddRule(r); err != nil {
			t.Fatal(err)
		}
	}
	res := s.PutEvents([]eventsemu.Entry{{Source: "goshop.orders", DetailType: "OrderCreated", Detail: `{"orderId":"o-9"}`, EventBusName: "goshop"}})
	s.Wait()
	msgs, err := q.Receive(context.Background(), sqsemu.ReceiveInput{MaxNumberOfMessages: 10})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("queue: %d messages, %v", len(msgs), err)
	}
	for name, got := range map[string]string{"sqs": msgs[0].Body, "lambda": string(<-fn.payloads), "sfn": string(<-sm.inputs)} {
		var ev struct {
			ID     string          `json:"id"`
			Detail json.RawMessage `json:"detail"`
		}
		if err := json.Unmarshal([]byte(got), &ev); err != nil || ev.ID != res[0].EventID || string(ev.Detail) != `{"orderId":"o-9"}` {
			t.Errorf("%s target got %s", name, got)
		}
	}
	if events, _ := disabled.got(); len(events) != 0 {
		t.Errorf("a disabled rule delivered %d events", len(events))
	}
}

func newClient(t *testing.T, s *eventsemu.Service) *eventbridge.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return eventbridge.New(eventbridge.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	})
}

func TestPutEventsThroughSDK(t *testing.T) {
	t.Parallel()
	s := newService(t)
	rec := &recorder{}
	if err := s.AddRule(eventsemu.Rule{Name: "r", EventBusName: "goshop", EventPattern: `{"source":["goshop.users"]}`,
		Targets: []eventsemu.RuleTarget{{ID: "t", Target: rec}}}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	at := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	out, err := c.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: []types.PutEventsRequestEntry{
		{Source: aws.String("goshop.users"), DetailType: aws.String("UserUpdated"), Detail: aws.String(`{"userId":"u-1"}`),
			EventBusName: aws.String(s.BusARN("goshop")), Time: aws.Time(at)},
		{Source: aws.String("goshop.users"), DetailType: aws.String("UserUpdated"), EventBusName: aws.String("goshop")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if out.FailedEntryCount != 1 || len(out.Entries) != 2 || aws.ToString(out.Entries[0].EventId) == "" ||
		aws.ToString(out.Entries[1].ErrorCode) != "InvalidArgument" {
		t.Fatalf("output = %+v", out)
	}
	s.Wait()
	events, _ := rec.got()
	if len(events) != 1 || !strings.Contains(events[0], `"time":"2025-06-07T08:09:10Z"`) || !strings.Contains(events[0], `"detail":{"userId":"u-1"}`) {
		t.Errorf("delivered %v", events)
	}

	entries := make([]types.PutEventsRequestEntry, 11)
	for i := range entries {
		entries[i] = types.PutEventsRequestEntry{Source: aws.String("s"), DetailType: aws.String("d"), Detail: aws.String(`{}`)}
	}
	_, err = c.PutEvents(context.Background(), &eventbridge.PutEventsInput{Entries: entries})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		t.Errorf("11 entries: %v, want ValidationException", err)
	}
	_, err = c.ListRules(context.Background(), &eventbridge.ListRulesInput{})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" || !strings.Contains(apiErr.ErrorMessage(), "ListRules") {
		t.Errorf("ListRules: %v, want UnknownOperationException naming it", err)
	}
}

func TestCloseStopsRetries(t *testing.T) {
	t.Parallel()
	s := eventsemu.New(eventsemu.Options{Retry: eventsemu.RetryPolicy{MaxAttempts: 5, Backoff: time.Hour}})
	rec := &recorder{failures: 100}
	if err := s.AddRule(eventsemu.Rule{Name: "r", EventPattern: `{"source":["a"]}`, Targets: []eventsemu.RuleTarget{{ID: "t", Target: rec}}}); err != nil {
		t.Fatal(err)
	}
	s.PutEvents([]eventsemu.Entry{{Source: "a", DetailType: "d", Detail: `{}`}})
	done := make(chan struct{})
	go func() { _ = s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for an hour-long backoff")
	}
	if _, attempts := rec.got(); attempts != 1 {
		t.Errorf("attempts = %d, want 1", attempts)
	}
}
