// Package ordersddb is the DynamoDB adapter of the orders context: the
// table design documented in package orders, its conditional writes and
// transactions (each state change with its outbox event), and the
// translation of their failures into orders errors.
package ordersddb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
)

// API is the part of the DynamoDB client the Store uses. It has no Scan:
// every read is a key lookup or an index Query.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is the orders.Repository on one DynamoDB table.
type Store struct {
	client API
	table  string
}

var _ orders.Repository = (*Store)(nil)

// New returns a Store on table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table}
}

// Index and key attribute names, item types and sort keys.
const (
	attrPK     = "pk"
	attrSK     = "sk"
	gsi1       = "gsi1"
	attrGSI1PK = "gsi1pk"
	attrGSI1SK = "gsi1sk"

	typeOrder       = "Order"
	typeIdempotency = "Idempotency"
	typeUserName    = "UserName"

	orderSK       = "ORDER"
	idempotencySK = "IDEMPOTENCY"
	userNameSK    = "USERNAME"

	// timeLayout is RFC 3339 with a fixed nine-digit fraction, so that
	// times sort as strings (RFC3339Nano drops trailing zeros and does not).
	timeLayout = "2006-01-02T15:04:05.000000000Z07:00"
)

// CreateTableInput describes the orders table named name: pk/sk keys and
// the sparse index gsi1 (a user's orders by creation time), on demand. The
// outbox needs a stream (NEW_IMAGE) and TTL on outbox.TTLAttribute, which
// the CDK app sets.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	str := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(pk, sk string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK)},
		KeySchema:            keys(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String(gsi1),
			KeySchema:  keys(attrGSI1PK, attrGSI1SK),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	}
}

func orderPK(id string) string                { return "ORDER#" + id }
func idempotencyPK(userID, key string) string { return "IDEMPOTENCY#" + userID + "#" + key }
func userNamePK(userID string) string         { return "USERNAME#" + userID }
func userPK(userID string) string             { return "USER#" + userID }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func num(v int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(v)} }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
