// Package outbox makes publishing lossless: a service writes the event a
// change causes into its own table, in the same DynamoDB transaction as the
// change (Put), and a DynamoDB Streams consumer (Handler) puts every new
// outbox item on EventBridge, retrying until it is accepted. A change is
// never committed without its event, and an event is never published for a
// change that was not committed.
//
// Outbox items use the table's generic key attributes: pk = OUTBOX#<event
// id>, sk = OUTBOX. They expire through the table's TTL attribute
// (expiresAt) a week after they are written.
package outbox

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/events"
)

// Attribute names of an outbox item.
const (
	ItemType     = "Outbox"
	TTLAttribute = "expiresAt"
	retention    = 7 * 24 * time.Hour
)

// Put returns the transaction item that records env in table; add it to the
// TransactWriteItems of the change that caused the event. The put is
// conditioned on the event id being new, so a replayed transaction cannot
// publish twice.
func Put(table string, env events.Envelope) (types.TransactWriteItem, error) {
	detail, err := json.Marshal(env)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode outbox event %s: %w", env.ID, err)
	}
	item := map[string]types.AttributeValue{
		"pk":         &types.AttributeValueMemberS{Value: "OUTBOX#" + env.ID},
		"sk":         &types.AttributeValueMemberS{Value: "OUTBOX"},
		"type":       &types.AttributeValueMemberS{Value: ItemType},
		"source":     &types.AttributeValueMemberS{Value: env.Source()},
		"detailType": &types.AttributeValueMemberS{Value: env.Type},
		"detail":     &types.AttributeValueMemberS{Value: string(detail)},
		"createdAt":  &types.AttributeValueMemberS{Value: env.OccurredAt.UTC().Format(time.RFC3339Nano)},
		TTLAttribute: &types.AttributeValueMemberN{Value: strconv.FormatInt(env.OccurredAt.Add(retention).Unix(), 10)},
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}, nil
}
