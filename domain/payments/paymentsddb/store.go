// Package paymentsddb is the DynamoDB adapter of payments: the table design
// documented in package payments, conditional writes, the outbox item of
// every status change in the same transaction, and the translation of
// failed conditions into payments errors.
package paymentsddb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/internal/ddbtx"
)

// API is the part of the DynamoDB client the Store uses.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is the payments.Repository on one DynamoDB table.
type Store struct {
	client API
	table  string
}

var _ payments.Repository = (*Store)(nil)

// New returns a Store on table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table}
}

const (
	attrPK      = "pk"
	attrSK      = "sk"
	typePayment = "Payment"
	paymentSK   = "PAYMENT"
)

// CreateTableInput describes the payments table named name: pk/sk keys, on
// demand, no secondary index. The deployed table also has a stream (new
// images) and TTL on outbox.TTLAttribute, for the outbox.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
	}
}

func paymentPK(id string) string { return "PAYMENT#" + id }

func paymentKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: paymentPK(id)},
		attrSK: &types.AttributeValueMemberS{Value: paymentSK},
	}
}

// record is a payment item.
type record struct {
	PK            string `dynamodbav:"pk"`
	SK            string `dynamodbav:"sk"`
	Type          string `dynamodbav:"type"`
	ID            string `dynamodbav:"id"`
	OrderID       string `dynamodbav:"orderId"`
	UserID        string `dynamodbav:"userId"`
	CorrelationID string `dynamodbav:"correlationId,omitempty"`
	Amount        int64  `dynamodbav:"amount"`
	Currency      string `dynamodbav:"currency"`
	Status        string `dynamodbav:"status"`
	FailureReason string `dynamodbav:"failureReason,omitempty"`
	GatewayRef    string `dynamodbav:"gatewayRef,omitempty"`
	Attempts      int    `dynamodbav:"attempts"`
	CreatedAt     string `dynamodbav:"createdAt"`
	UpdatedAt     string `dynamodbav:"updatedAt"`
	Version       int64  `dynamodbav:"version"`
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func toRecord(p payments.Payment) record {
	return record{
		PK: paymentPK(p.ID()), SK: paymentSK, Type: typePayment,
		ID: p.ID(), OrderID: p.OrderID(), UserID: p.UserID(), CorrelationID: p.CorrelationID(),
		Amount: p.Amount().Amount(), Currency: p.Amount().Currency(),
		Status: string(p.Status()), FailureReason: string(p.FailureReason()), GatewayRef: p.GatewayRef(),
		Attempts: p.Attempts(), CreatedAt: formatTime(p.CreatedAt()), UpdatedAt: formatTime(p.UpdatedAt()),
		Version: p.Version(),
	}
}

func toDomain(r record) (payments.Payment, error) {
	amount, err := money.New(r.Amount, r.Currency)
	if err != nil {
		return payments.Payment{}, fmt.Errorf("payment %s: amount: %w", r.ID, err)
	}
	created, err := time.Parse(time.RFC3339Nano, r.CreatedAt)
	if err != nil {
		return payments.Payment{}, fmt.Errorf("payment %s: createdAt: %w", r.ID, err)
	}
	updated, err := time.Parse(time.RFC3339Nano, r.UpdatedAt)
	if err != nil {
		return payments.Payment{}, fmt.Errorf("payment %s: updatedAt: %w", r.ID, err)
	}
	return payments.Rehydrate(payments.State{
		ID: r.ID, OrderID: r.OrderID, UserID: r.UserID, CorrelationID: r.CorrelationID, Amount: amount,
		Status: payments.Status(r.Status), FailureReason: payments.FailureReason(r.FailureReason),
		GatewayRef: r.GatewayRef, Attempts: r.Attempts, CreatedAt: created, UpdatedAt: updated, Version: r.Version,
	}), nil
}

// Create puts the payment item with attribute_not_exists(pk).
func (s *Store) Create(ctx context.Context, p payments.Payment) error {
	item, err := attributevalue.MarshalMap(toRecord(p))
	if err != nil {
		return fmt.Errorf("marshal payment %s: %w", p.ID(), err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("create payment %s: %w", p.ID(), payments.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("create payment %s: %w", p.ID(), err)
	}
	return nil
}

// Get reads the payment item, strongly consistent.
func (s *Store) Get(ctx context.Context, id string) (payments.Payment, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: paymentKey(id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return payments.Payment{}, fmt.Errorf("get payment %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return payments.Payment{}, fmt.Errorf("get payment %s: %w", id, payments.ErrNotFound)
	}
	var rec record
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return payments.Payment{}, fmt.Errorf("unmarshal payment %s: %w", id, err)
	}
	return toDomain(rec)
}

// Update reads the payment, applies fn, and puts the result conditioned on
// the version read; a status change puts its outbox event in the same
// transaction.
func (s *Store) Update(ctx context.Context, id string, fn func(*payments.Payment) error) error {
	read, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	changed := read
	if err := fn(&changed); err != nil {
		return err
	}
	if changed.Version() == read.Version() {
		return nil
	}
	item, err := attributevalue.MarshalMap(toRecord(changed))
	if err != nil {
		return fmt.Errorf("marshal payment %s: %w", id, err)
	}
	put := types.Put{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("#version = :read"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": &types.AttributeValueMemberN{Value: strconv.FormatInt(read.Version(), 10)}},
	}
	if changed.Status() == read.Status() {
		return s.put(ctx, id, put)
	}
	event, err := outboxItem(s.table, changed)
	if err != nil {
		return err
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{{Put: &put}, event},
	})
	if reasons, ok := ddbtx.Reasons(err); ok {
		switch {
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed), ddbtx.ReasonIs(reasons, 0, ddbtx.TransactionConflict), ddbtx.ReasonIs(reasons, 1, ddbtx.TransactionConflict):
			return fmt.Errorf("update payment %s: %w", id, payments.ErrConflict)
		case ddbtx.ReasonIs(reasons, 1, ddbtx.ConditionalCheckFailed):
			// Event ids derive from the order and the event type, and a
			// status is reached once: the event is there only if this
			// change was already made, so the version will not match.
			return fmt.Errorf("update payment %s: event already recorded: %w", id, payments.ErrConflict)
		}
	}
	if err != nil {
		return fmt.Errorf("update payment %s: %w", id, err)
	}
	return nil
}

func (s *Store) put(ctx context.Context, id string, put types.Put) error {
	_, err := s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression,
		ExpressionAttributeNames: put.ExpressionAttributeNames, ExpressionAttributeValues: put.ExpressionAttributeValues,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("update payment %s: %w", id, payments.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update payment %s: %w", id, err)
	}
	return nil
}
