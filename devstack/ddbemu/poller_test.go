package ddbemu_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

func TestPollerDeliversMatchingInsertsInOrder(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	inv := &invoker{}
	startPoller(t, client, tbl, outboxMapping(tbl), inv, nil)

	put(t, client, tbl.Name, "o1", "Outbox")
	put(t, client, tbl.Name, "user1", "User") // INSERT that does not match
	put(t, client, tbl.Name, "o2", "Outbox")
	put(t, client, tbl.Name, "o1", "Outbox") // MODIFY
	_, err := client.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{
		TableName: aws.String(tbl.Name),
		Key:       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "o2"}, "sk": &types.AttributeValueMemberS{Value: "item"}},
	}) // REMOVE
	if err != nil {
		t.Fatal(err)
	}
	for i := 3; i <= 12; i++ {
		put(t, client, tbl.Name, fmt.Sprintf("o%d", i), "Outbox")
	}
	eventually(t, "o12", func() bool { return contains(inv.delivered(), "o12") })

	want := []string{"o1", "o2"}
	for i := 3; i <= 12; i++ {
		want = append(want, fmt.Sprintf("o%d", i))
	}
	if diff := cmp.Diff(want, inv.delivered()); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	for _, c := range inv.snapshot() {
		if len(c) > 10 {
			t.Errorf("batch of %d records exceeds BatchSize 10", len(c))
		}
	}

	inv.mu.Lock()
	first := inv.events[0]
	inv.mu.Unlock()
	if first.EventID == "" || first.Change.SequenceNumber == "" || first.Change.SizeBytes <= 0 || first.Change.ApproximateCreationDateTime.IsZero() {
		t.Errorf("record lacks id, sequence number, size or creation time: %+v", first)
	}
	got := events.DynamoDBEventRecord{
		AWSRegion: first.AWSRegion, EventName: first.EventName, EventSource: first.EventSource,
		EventVersion: first.EventVersion, EventSourceArn: first.EventSourceArn,
		Change: events.DynamoDBStreamRecord{StreamViewType: first.Change.StreamViewType},
	}
	wantRec := events.DynamoDBEventRecord{
		AWSRegion: "us-east-1", EventName: "INSERT", EventSource: "aws:dynamodb", EventVersion: "1.1",
		EventSourceArn: tbl.StreamARN, Change: events.DynamoDBStreamRecord{StreamViewType: "NEW_AND_OLD_IMAGES"},
	}
	if diff := cmp.Diff(wantRec, got); diff != "" {
		t.Errorf("record envelope (-want +got):\n%s", diff)
	}
	if first.Change.NewImage["type"].String() != "Outbox" || first.Change.NewImage["n"].Number() != "1" || first.Change.Keys["sk"].String() != "item" || first.Change.OldImage != nil {
		t.Errorf("record images: keys %v new %v old %v", first.Change.Keys, first.Change.NewImage, first.Change.OldImage)
	}
}

// seqOf is the sequence number of the record with this pk in ev.
func seqOf(ev events.DynamoDBEvent, pk string) string {
	for _, r := range ev.Records {
		if r.Change.Keys["pk"].String() == pk {
			return r.Change.SequenceNumber
		}
	}
	return ""
}

func has(ev events.DynamoDBEvent, pk string) bool { return seqOf(ev, pk) != "" }

func TestPollerPartialFailureRetriesFromFailedRecord(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	for _, pk := range []string{"a", "b", "c", "d", "e"} {
		put(t, client, tbl.Name, pk, "Outbox")
	}
	m := outboxMapping(tbl)
	m.FunctionResponseTypes = []string{"ReportBatchItemFailures"}
	inv := &invoker{decide: func(call int, ev events.DynamoDBEvent) ([]byte, bool) {
		if call == 1 {
			// d fails too: the checkpoint is the lowest sequence number.
			return fmt.Appendf(nil, `{"batchItemFailures":[{"itemIdentifier":%q},{"itemIdentifier":%q}]}`, seqOf(ev, "d"), seqOf(ev, "c")), false
		}
		return []byte(`{"batchItemFailures":[]}`), false
	}}
	startPoller(t, client, tbl, m, inv, nil)
	eventually(t, "the retry", func() bool { return len(inv.snapshot()) >= 2 })
	time.Sleep(300 * time.Millisecond) // no further invocation may follow
	want := [][]string{{"a", "b", "c", "d", "e"}, {"c", "d", "e"}}
	if diff := cmp.Diff(want, inv.snapshot()); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
}

func TestPollerInvalidItemIdentifierFailsWholeBatch(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	for _, pk := range []string{"a", "b"} {
		put(t, client, tbl.Name, pk, "Outbox")
	}
	m := outboxMapping(tbl)
	m.FunctionResponseTypes = []string{"ReportBatchItemFailures"}
	inv := &invoker{decide: func(call int, _ events.DynamoDBEvent) ([]byte, bool) {
		if call == 1 {
			return []byte(`{"batchItemFailures":[{"itemIdentifier":"not-a-sequence-number"}]}`), false
		}
		return nil, false
	}}
	startPoller(t, client, tbl, m, inv, nil)
	eventually(t, "the retry", func() bool { return len(inv.snapshot()) >= 2 })
	time.Sleep(300 * time.Millisecond)
	if diff := cmp.Diff([][]string{{"a", "b"}, {"a", "b"}}, inv.snapshot()); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
}

func TestPollerBisectIsolatesPoisonRecord(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	for _, pk := range []string{"a", "b", "poison", "d"} {
		put(t, client, tbl.Name, pk, "Outbox")
	}
	m := outboxMapping(tbl)
	m.BisectBatchOnFunctionError, m.MaximumRetryAttempts = true, 1
	m.OnFailureARN = "arn:aws:sqs:us-east-1:000000000000:failures"
	var poisonSeq string
	inv := &invoker{decide: func(_ int, ev events.DynamoDBEvent) ([]byte, bool) {
		if s := seqOf(ev, "poison"); s != "" {
			poisonSeq = s
			return []byte(`{"errorMessage":"poison"}`), true
		}
		return nil, false
	}}
	dest := &destination{}
	startPoller(t, client, tbl, m, inv, dest)
	// "d" is in the first batch already; wait for it to be delivered alone
	// after the poison record was discarded.
	eventually(t, "d after the discard", func() bool {
		calls := inv.snapshot()
		return len(dest.records()) == 1 && len(calls) > 0 && cmp.Equal(calls[len(calls)-1], []string{"d"})
	})
	want := [][]string{{"a", "b", "poison", "d"}, {"a", "b"}, {"poison", "d"}, {"poison"}, {"poison"}, {"d"}}
	if diff := cmp.Diff(want, inv.snapshot()); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
	fr := dest.records()[0]
	info := fr.DDBStreamBatchInfo
	if info.BatchSize != 1 || info.StartSequenceNumber != poisonSeq || info.EndSequenceNumber != poisonSeq || info.StreamARN != tbl.StreamARN || info.ShardID == "" {
		t.Errorf("batch info = %+v, want the poison record %s alone", info, poisonSeq)
	}
	if fr.RequestContext.Condition != ddbemu.ConditionRetryAttemptsExhausted || fr.RequestContext.ApproximateInvokeCount != 2 ||
		fr.RequestContext.FunctionARN != m.FunctionARN || fr.ResponseContext.FunctionError != "Unhandled" || fr.Version != "1.0" {
		t.Errorf("failure record = %+v", fr)
	}
}

func TestPollerMaxRetriesDiscardsAndMovesOn(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	for _, pk := range []string{"poison", "x"} {
		put(t, client, tbl.Name, pk, "Outbox")
	}
	m := outboxMapping(tbl)
	m.MaximumRetryAttempts = 2
	m.OnFailureARN = "arn:aws:sqs:us-east-1:000000000000:failures"
	inv := &invoker{decide: func(_ int, ev events.DynamoDBEvent) ([]byte, bool) {
		return nil, has(ev, "poison")
	}}
	dest := &destination{}
	startPoller(t, client, tbl, m, inv, dest)
	eventually(t, "the discard", func() bool { return len(dest.records()) == 1 })
	put(t, client, tbl.Name, "y", "Outbox")
	eventually(t, "y", func() bool { return contains(inv.delivered(), "y") })
	want := [][]string{{"poison", "x"}, {"poison", "x"}, {"poison", "x"}, {"y"}}
	if diff := cmp.Diff(want, inv.snapshot()); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
	fr := dest.records()[0]
	if fr.DDBStreamBatchInfo.BatchSize != 2 || fr.RequestContext.ApproximateInvokeCount != 3 {
		t.Errorf("failure record = %+v, want batch of 2 after 3 invocations", fr)
	}
}

func TestPollerLatestSkipsEarlierRecords(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	put(t, client, tbl.Name, "before", "Outbox")
	m := outboxMapping(tbl)
	m.StartingPosition = "LATEST"
	inv := &invoker{}
	startPoller(t, client, tbl, m, inv, nil)
	put(t, client, tbl.Name, "after", "Outbox")
	eventually(t, "after", func() bool { return contains(inv.delivered(), "after") })
	if diff := cmp.Diff([]string{"after"}, inv.delivered()); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
}

func TestPollerCloseStopsDelivery(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	inv := &invoker{}
	p, err := ddbemu.NewPoller(ddbemu.Config{
		Mapping: outboxMapping(tbl), TableName: tbl.Name, DynamoDB: client,
		Streams: ddbemu.NewStreamsClient(endpoint, "us-east-1"), Invoker: inv, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err == nil {
		t.Error("second Start succeeded")
	}
	put(t, client, tbl.Name, "o1", "Outbox")
	eventually(t, "o1", func() bool { return contains(inv.delivered(), "o1") })
	done := make(chan error)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	put(t, client, tbl.Name, "o2", "Outbox")
	time.Sleep(300 * time.Millisecond)
	if diff := cmp.Diff([]string{"o1"}, inv.delivered()); diff != "" {
		t.Errorf("delivered after Close (-want +got):\n%s", diff)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPollerTableWithoutStream(t *testing.T) {
	t.Parallel()
	client, tbl := streamTable(t)
	plain := *tbl
	plain.Name, plain.StreamViewType = tbl.Name+"-plain", ""
	if err := ddbemu.CreateTables(context.Background(), client, []*template.Table{&plain}); err != nil {
		t.Fatal(err)
	}
	p, err := ddbemu.NewPoller(ddbemu.Config{
		Mapping: outboxMapping(tbl), TableName: plain.Name, DynamoDB: client,
		Streams: ddbemu.NewStreamsClient(endpoint, "us-east-1"), Invoker: &invoker{},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "OutboxMapping") || !strings.Contains(err.Error(), "no stream") {
		t.Errorf("Start = %v, want a no-stream error naming the mapping", err)
	}
}

func TestNewPollerRefusesUnsupportedFilters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		want    string
	}{
		{"prefix", `{"eventName":[{"prefix":"INS"}]}`, "prefix"},
		{"anything-but", `{"eventName":[{"anything-but":["REMOVE"]}]}`, "anything-but"},
		{"numeric", `{"dynamodb":{"NewImage":{"n":{"N":[{"numeric":[">",1]}]}}}}`, "numeric"},
		{"exists", `{"dynamodb":{"OldImage":[{"exists":false}]}}`, "exists"},
		{"scalar", `{"eventName":"INSERT"}`, "must be a list or an object"},
		{"empty list", `{"eventName":[]}`, "empty list"},
		{"not an object", `["INSERT"]`, "not a JSON object"},
		{"not JSON", `{"eventName":`, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := &template.EventSourceMapping{
				LogicalID: "OrdersOutboxMapping", SourceKind: template.SourceDynamoDBStream,
				SourceARN: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x", Enabled: true,
				BatchSize: 10, StartingPosition: "TRIM_HORIZON", MaximumRetryAttempts: -1,
				Filters: []json.RawMessage{json.RawMessage(outboxFilter), json.RawMessage(tt.pattern)},
			}
			_, err := ddbemu.NewPoller(ddbemu.Config{
				Mapping: m, TableName: "t", DynamoDB: ddbemu.NewClient(endpoint, "us-east-1"),
				Streams: ddbemu.NewStreamsClient(endpoint, "us-east-1"), Invoker: &invoker{},
			})
			if err == nil || !strings.Contains(err.Error(), "OrdersOutboxMapping") || !strings.Contains(err.Error(), "filter 2") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewPoller = %v, want an error naming the mapping, filter 2 and %q", err, tt.want)
			}
		})
	}
}

func TestNewPollerRequiresDestination(t *testing.T) {
	t.Parallel()
	m := &template.EventSourceMapping{
		LogicalID: "M", SourceKind: template.SourceDynamoDBStream, SourceARN: "arn:aws:dynamodb:us-east-1:0:table/t/stream/x",
		Enabled: true, BatchSize: 10, StartingPosition: "LATEST", MaximumRetryAttempts: 3, OnFailureARN: "arn:aws:sqs:us-east-1:0:q",
	}
	_, err := ddbemu.NewPoller(ddbemu.Config{
		Mapping: m, TableName: "t", DynamoDB: ddbemu.NewClient(endpoint, "us-east-1"),
		Streams: ddbemu.NewStreamsClient(endpoint, "us-east-1"), Invoker: &invoker{},
	})
	if err == nil || !strings.Contains(err.Error(), "destination") {
		t.Errorf("NewPoller = %v, want a missing-destination error", err)
	}
}
