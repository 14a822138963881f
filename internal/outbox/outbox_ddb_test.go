package outbox_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/outbox"
)

func keyTable(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	}
}

func stateItem(table, orderID, status string) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk":     &types.AttributeValueMemberS{Value: "ORDER#" + orderID},
			"sk":     &types.AttributeValueMemberS{Value: "ORDER"},
			"status": &types.AttributeValueMemberS{Value: status},
		},
	}}
}

func getItem(t *testing.T, client *dynamodb.Client, table, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	out, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberS{Value: sk}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("get %s/%s: %v", pk, sk, err)
	}
	return out.Item
}

func TestPutInTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, keyTable)
	id := uuid.NewString()
	env := event(t, id)

	put, err := outbox.Put(table, env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{stateItem(table, "first", "CONFIRMED"), put},
	}); err != nil {
		t.Fatalf("commit change with its event: %v", err)
	}
	if item := getItem(t, client, table, "ORDER#first", "ORDER"); item == nil {
		t.Error("state item not written")
	}
	stored := getItem(t, client, table, "OUTBOX#"+id, "OUTBOX")
	if stored == nil {
		t.Fatal("outbox item not written")
	}
	if diff := cmp.Diff(put.Put.Item, stored, cmpopts.IgnoreUnexported(types.AttributeValueMemberS{}, types.AttributeValueMemberN{})); diff != "" {
		t.Errorf("stored outbox item (-put +stored):\n%s", diff)
	}
	if ttl := stored[outbox.TTLAttribute].(*types.AttributeValueMemberN).Value; ttl != strconv.FormatInt(env.OccurredAt.Add(7*24*time.Hour).Unix(), 10) {
		t.Errorf("stored TTL %s", ttl)
	}

	// A replay of the same event, even beside another change, is refused
	// as a whole: the change is not applied a second time.
	replay, err := outbox.Put(table, env)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{stateItem(table, "replay", "CONFIRMED"), replay},
	})
	var cancelled *types.TransactionCanceledException
	if !errors.As(err, &cancelled) {
		t.Fatalf("replay error = %v, want TransactionCanceledException", err)
	}
	var codes []string
	for _, r := range cancelled.CancellationReasons {
		codes = append(codes, aws.ToString(r.Code))
	}
	if diff := cmp.Diff([]string{"None", "ConditionalCheckFailed"}, codes); diff != "" {
		t.Errorf("cancellation reasons (-want +got):\n%s", diff)
	}
	if item := getItem(t, client, table, "ORDER#replay", "ORDER"); item != nil {
		t.Errorf("the replayed change was written: %v", item)
	}
}
