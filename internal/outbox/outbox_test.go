package outbox_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/outbox"
)

var occurred = time.Date(2026, 3, 6, 10, 2, 11, 204e6, time.UTC)

// event returns an OrderConfirmed envelope with id.
func event(t *testing.T, id string) events.Envelope {
	t.Helper()
	env, err := events.New(events.Meta{ID: id, OccurredAt: occurred, CorrelationID: "corr-" + id},
		events.OrderConfirmedV1{OrderID: "order-" + id, UserID: "user-1", Total: events.Money{Amount: 6199, Currency: "USD"}, ConfirmedAt: occurred})
	if err != nil {
		t.Fatalf("new event: %v", err)
	}
	return env
}

func str(t *testing.T, item map[string]types.AttributeValue, name string) string {
	t.Helper()
	v, ok := item[name].(*types.AttributeValueMemberS)
	if !ok {
		t.Fatalf("attribute %s is %T, want a string", name, item[name])
	}
	return v.Value
}

func TestPut(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	env := event(t, "e-1")
	env.OccurredAt = occurred.In(paris) // Put must not depend on the zone of the time
	twi, err := outbox.Put("orders", env)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	put := twi.Put
	if put == nil || twi.Update != nil || twi.Delete != nil || twi.ConditionCheck != nil {
		t.Fatalf("Put returned %+v, want only a Put", twi)
	}
	if got := aws.ToString(put.TableName); got != "orders" {
		t.Errorf("table = %q, want orders", got)
	}
	if got := aws.ToString(put.ConditionExpression); got != "attribute_not_exists(pk)" {
		t.Errorf("condition = %q, want attribute_not_exists(pk)", got)
	}
	got := map[string]string{}
	for _, name := range []string{"pk", "sk", "type", "source", "detailType", "createdAt"} {
		got[name] = str(t, put.Item, name)
	}
	want := map[string]string{
		"pk": "OUTBOX#e-1", "sk": "OUTBOX", "type": outbox.ItemType,
		"source": "goshop.orders", "detailType": events.TypeOrderConfirmed,
		"createdAt": "2026-03-06T10:02:11.204Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("item (-want +got):\n%s", diff)
	}
	ttl, ok := put.Item[outbox.TTLAttribute].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("TTL attribute %s is %T, want a number", outbox.TTLAttribute, put.Item[outbox.TTLAttribute])
	}
	if want := strconv.FormatInt(occurred.Add(7*24*time.Hour).Unix(), 10); ttl.Value != want {
		t.Errorf("%s = %s, want %s (7 days after the event)", outbox.TTLAttribute, ttl.Value, want)
	}
	if len(put.Item) != 8 {
		t.Errorf("item has %d attributes, want 8: %v", len(put.Item), put.Item)
	}

	var back events.Envelope
	if err := json.Unmarshal([]byte(str(t, put.Item, "detail")), &back); err != nil {
		t.Fatalf("detail is not an envelope: %v", err)
	}
	if diff := cmp.Diff(event(t, "e-1"), back); diff != "" {
		t.Errorf("detail decodes to (-want +got):\n%s", diff)
	}
	data, err := events.Decode[events.OrderConfirmedV1](back)
	if err != nil || data.OrderID != "order-e-1" {
		t.Errorf("detail data = %+v, %v", data, err)
	}
}

func TestPutIsKeyedByEventID(t *testing.T) {
	t.Parallel()
	first, err := outbox.Put("t", event(t, "same"))
	if err != nil {
		t.Fatal(err)
	}
	replay, err := outbox.Put("t", event(t, "same"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := outbox.Put("t", event(t, "other"))
	if err != nil {
		t.Fatal(err)
	}
	key := func(twi types.TransactWriteItem) string {
		return str(t, twi.Put.Item, "pk") + "|" + str(t, twi.Put.Item, "sk")
	}
	if key(first) != key(replay) {
		t.Errorf("a replayed event gets key %s, the first %s", key(replay), key(first))
	}
	if key(first) == key(other) {
		t.Errorf("two events share the key %s", key(first))
	}
}

// image turns an item written by Put into the NEW_IMAGE of its stream record.
func image(t *testing.T, item map[string]types.AttributeValue) map[string]lambdaevents.DynamoDBAttributeValue {
	t.Helper()
	out := make(map[string]lambdaevents.DynamoDBAttributeValue, len(item))
	for name, v := range item {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			out[name] = lambdaevents.NewStringAttribute(v.Value)
		case *types.AttributeValueMemberN:
			out[name] = lambdaevents.NewNumberAttribute(v.Value)
		default:
			t.Fatalf("attribute %s: unexpected %T", name, v)
		}
	}
	return out
}

// outboxRecord is the stream record of the outbox item of env.
func outboxRecord(t *testing.T, op lambdaevents.DynamoDBOperationType, seq string, env events.Envelope) lambdaevents.DynamoDBEventRecord {
	t.Helper()
	twi, err := outbox.Put("orders", env)
	if err != nil {
		t.Fatal(err)
	}
	return record(op, seq, image(t, twi.Put.Item))
}

func record(op lambdaevents.DynamoDBOperationType, seq string, img map[string]lambdaevents.DynamoDBAttributeValue) lambdaevents.DynamoDBEventRecord {
	r := lambdaevents.DynamoDBEventRecord{
		EventName:   string(op),
		EventSource: "aws:dynamodb",
		Change: lambdaevents.DynamoDBStreamRecord{
			SequenceNumber: seq,
			Keys:           map[string]lambdaevents.DynamoDBAttributeValue{"pk": img["pk"], "sk": img["sk"]},
			StreamViewType: "NEW_IMAGE",
		},
	}
	if op != lambdaevents.DynamoDBOperationTypeRemove {
		r.Change.NewImage = img
	}
	return r
}

// stateRecord is the stream record of an ordinary item of the table.
func stateRecord(seq string) lambdaevents.DynamoDBEventRecord {
	return record(lambdaevents.DynamoDBOperationTypeInsert, seq, map[string]lambdaevents.DynamoDBAttributeValue{
		"pk": lambdaevents.NewStringAttribute("ORDER#" + seq), "sk": lambdaevents.NewStringAttribute("ORDER"),
		"type": lambdaevents.NewStringAttribute("Order"), "status": lambdaevents.NewStringAttribute("CONFIRMED"),
	})
}

func seq(i int) string { return fmt.Sprintf("1%020d", i) }
