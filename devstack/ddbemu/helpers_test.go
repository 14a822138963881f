package ddbemu_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// outboxFilter is the filter the template's outbox mappings use.
const outboxFilter = `{"dynamodb":{"NewImage":{"type":{"S":["Outbox"]}}},"eventName":["INSERT"]}`

var tableSeq atomic.Int64

// streamTable creates a table with a NEW_AND_OLD_IMAGES stream.
func streamTable(t *testing.T) (*dynamodb.Client, *template.Table) {
	t.Helper()
	name := fmt.Sprintf("stream-%s-%d", strings.ReplaceAll(t.Name(), "/", "-"), tableSeq.Add(1))
	tbl := &template.Table{
		LogicalID: "Table", Name: name,
		ARN:         "arn:aws:dynamodb:us-east-1:000000000000:table/" + name,
		StreamARN:   "arn:aws:dynamodb:us-east-1:000000000000:table/" + name + "/stream/1970-01-01T00:00:00.000",
		KeySchema:   []template.KeyElement{{AttributeName: "pk", KeyType: "HASH"}, {AttributeName: "sk", KeyType: "RANGE"}},
		BillingMode: "PAY_PER_REQUEST", StreamViewType: "NEW_AND_OLD_IMAGES",
		AttributeDefinitions: []template.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}, {AttributeName: "sk", AttributeType: "S"}},
	}
	client := ddbemu.NewClient(endpoint, "us-east-1")
	if err := ddbemu.CreateTables(context.Background(), client, []*template.Table{tbl}); err != nil {
		t.Fatalf("CreateTables: %v", err)
	}
	return client, tbl
}

// outboxMapping is a mapping like the template's outbox mappings.
func outboxMapping(tbl *template.Table) *template.EventSourceMapping {
	return &template.EventSourceMapping{
		LogicalID: "OutboxMapping", UUID: "uuid-1",
		FunctionName: "outbox", FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:outbox",
		SourceKind: template.SourceDynamoDBStream, SourceARN: tbl.StreamARN, SourceLogicalID: tbl.LogicalID,
		Enabled: true, BatchSize: 10, StartingPosition: "TRIM_HORIZON", MaximumRetryAttempts: -1,
		Filters: []json.RawMessage{json.RawMessage(outboxFilter)},
	}
}

// put writes an item; typ "Outbox" makes it match the outbox filter.
func put(t *testing.T, client *dynamodb.Client, table, pk, typ string) {
	t.Helper()
	_, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: "item"},
			"type": &types.AttributeValueMemberS{Value: typ}, "n": &types.AttributeValueMemberN{Value: "1"},
		},
	})
	if err != nil {
		t.Fatalf("put %s: %v", pk, err)
	}
}

// invoker is a fake function: decide answers each batch; calls records the
// pk of every record of every batch.
type invoker struct {
	mu     sync.Mutex
	calls  [][]string
	events []events.DynamoDBEventRecord
	decide func(call int, ev events.DynamoDBEvent) (resp []byte, fnErr bool)
}

func (f *invoker) Invoke(_ context.Context, payload []byte) ([]byte, bool, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, false, err
	}
	f.mu.Lock()
	var pks []string
	for _, r := range ev.Records {
		pks = append(pks, r.Change.Keys["pk"].String())
	}
	f.calls = append(f.calls, pks)
	f.events = append(f.events, ev.Records...)
	call := len(f.calls)
	f.mu.Unlock()
	if f.decide == nil {
		return nil, false, nil
	}
	resp, fnErr := f.decide(call, ev)
	return resp, fnErr, nil
}

func (f *invoker) snapshot() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][]string, len(f.calls))
	copy(out, f.calls)
	return out
}

// delivered is every pk delivered, in order, across calls.
func (f *invoker) delivered() []string {
	var out []string
	for _, c := range f.snapshot() {
		out = append(out, c...)
	}
	return out
}

// destination collects on-failure documents.
type destination struct {
	mu     sync.Mutex
	bodies []ddbemu.FailureRecord
}

func (d *destination) Send(_ context.Context, body []byte) error {
	var fr ddbemu.FailureRecord
	if err := json.Unmarshal(body, &fr); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bodies = append(d.bodies, fr)
	return nil
}

func (d *destination) records() []ddbemu.FailureRecord {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]ddbemu.FailureRecord(nil), d.bodies...)
}

// startPoller starts a poller for m and closes it at the end of the test.
func startPoller(t *testing.T, client *dynamodb.Client, tbl *template.Table, m *template.EventSourceMapping, inv ddbemu.Invoker, dest ddbemu.Destination) {
	t.Helper()
	p, err := ddbemu.NewPoller(ddbemu.Config{
		Mapping: m, TableName: tbl.Name, DynamoDB: client, Streams: ddbemu.NewStreamsClient(endpoint, "us-east-1"),
		Invoker: inv, OnFailure: dest, PollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("NewPoller: %v", err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}

// eventually waits up to 20s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
