// Package dashboardddb is the DynamoDB adapter of the dashboard: the table
// design documented in package dashboard, the profile replica's
// newer-wins write, the order summaries and sales counts written in one
// transaction with the event marker, and the newest-first and best-seller
// queries on the table's two indexes.
package dashboardddb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/dashboard"
)

// API is the part of the DynamoDB client the Store uses. It has no Scan.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is the dashboard.Repository on one DynamoDB table.
type Store struct {
	client   API
	table    string
	attempts int
}

var _ dashboard.Repository = (*Store)(nil)

// New returns a Store on table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table, attempts: 10}
}

// TTLAttribute is the table's time-to-live attribute: event markers expire
// MarkerRetention after their event (SQS keeps a message 14 days at most,
// so a redelivery always finds its marker).
const TTLAttribute = "expiresAt"

// MarkerRetention is how long an event marker is kept.
const MarkerRetention = 35 * 24 * time.Hour

const (
	attrPK     = "pk"
	attrSK     = "sk"
	attrGSI1PK = "gsi1pk"
	attrGSI1SK = "gsi1sk"
	attrGSI2PK = "gsi2pk"
	attrGSI2SK = "gsi2sk"
	gsi1       = "gsi1"
	gsi2       = "gsi2"

	typeProfile = "Profile"
	typeOrder   = "Order"
	typeSales   = "ProductSales"
	typeMarker  = "EventMarker"

	userPrefix    = "USER#"
	orderPrefix   = "ORDER#"
	profileSK     = "PROFILE"
	popularPK     = "POPULAR"
	productPrefix = "PRODUCT#"
	eventPrefix   = "EVENT#"
	markerSK      = "EVENT"

	// timeLayout is RFC 3339 with nine fixed fraction digits, so that sort
	// keys sort by time (RFC3339Nano trims trailing zeros).
	timeLayout = "2006-01-02T15:04:05.000000000Z07:00"
	// unitsLayout pads units so that gsi2sk sorts by units.
	unitsLayout = "%019d"

	attrNotExists       = "attribute_not_exists(pk)"
	codeConditionFailed = "ConditionalCheckFailed"
	codeConflict        = "TransactionConflict"
)

// CreateTableInput describes the dashboard table named name: pk/sk keys,
// on demand, two sparse global secondary indexes projecting all
// attributes (gsi1: a user's orders by creation time; gsi2: a category's
// products by units sold).
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	attr := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	index := func(name, pk, sk string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName: aws.String(name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			attr(attrPK), attr(attrSK), attr(attrGSI1PK), attr(attrGSI1SK), attr(attrGSI2PK), attr(attrGSI2SK),
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			index(gsi1, attrGSI1PK, attrGSI1SK),
			index(gsi2, attrGSI2PK, attrGSI2SK),
		},
	}
}

func userPK(userID string) string   { return userPrefix + userID }
func orderSK(orderID string) string { return orderPrefix + orderID }
func eventPK(eventID string) string { return eventPrefix + eventID }

// salesPK is the partition of a category's counts; AllCategories has no
// "#", so no category can take its place.
func salesPK(category string) string {
	if category == dashboard.AllCategories {
		return popularPK
	}
	return popularPK + "#" + category
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func num(v int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(v)} }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// markerRecord marks an event as applied.
type markerRecord struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Type       string `dynamodbav:"type"`
	EventID    string `dynamodbav:"eventId"`
	OccurredAt string `dynamodbav:"occurredAt"`
	ExpiresAt  int64  `dynamodbav:"expiresAt"`
}

// markerPut is the put of e's marker, refused if it exists.
func (s *Store) markerPut(e dashboard.Event) (types.TransactWriteItem, error) {
	item, err := attributevalue.MarshalMap(markerRecord{
		PK: eventPK(e.ID), SK: markerSK, Type: typeMarker, EventID: e.ID,
		OccurredAt: formatTime(e.OccurredAt), ExpiresAt: e.OccurredAt.Add(MarkerRetention).Unix(),
	})
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal marker %s: %w", e.ID, err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists),
	}}, nil
}

// cancelled returns the codes of a cancelled transaction, or ok false.
func cancelled(err error) (codes []string, ok bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	for _, r := range tce.CancellationReasons {
		codes = append(codes, aws.ToString(r.Code))
	}
	return codes, true
}
