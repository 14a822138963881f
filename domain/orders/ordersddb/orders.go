package ordersddb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/ddbtx"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/outbox"
)

const attrNotExists = "attribute_not_exists(pk)"

// Create puts the order, the idempotency record and the OrderCreated event
// in one transaction, each under attribute_not_exists(pk).
func (s *Store) Create(ctx context.Context, o orders.Order, idem orders.Idempotency) error {
	item, err := attributevalue.MarshalMap(toRecord(o))
	if err != nil {
		return fmt.Errorf("marshal order %s: %w", o.ID(), err)
	}
	idemItem, err := attributevalue.MarshalMap(idempotencyRecord{
		PK: idempotencyPK(idem.UserID, idem.Key), SK: idempotencySK, Type: typeIdempotency,
		UserID: idem.UserID, Key: idem.Key, OrderID: idem.OrderID, RequestHash: idem.RequestHash,
		CreatedAt: formatTime(idem.CreatedAt),
	})
	if err != nil {
		return fmt.Errorf("marshal idempotency of %s: %w", o.ID(), err)
	}
	event, err := s.event(ctx, o, createdEvent(o))
	if err != nil {
		return err
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists)}},
		{Put: &types.Put{TableName: &s.table, Item: idemItem, ConditionExpression: aws.String(attrNotExists)}},
		event,
	}})
	if reasons, ok := ddbtx.Reasons(err); ok {
		switch {
		case ddbtx.ReasonIs(reasons, 1, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create order %s: %w", o.ID(), orders.ErrIdempotencyKeyExists)
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed), ddbtx.ReasonIs(reasons, 2, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create order %s: id taken: %w", o.ID(), orders.ErrConflict)
		case ddbtx.AnyReason(reasons, ddbtx.TransactionConflict):
			return fmt.Errorf("create order %s: %w", o.ID(), orders.ErrConflict)
		}
	}
	if err != nil {
		return fmt.Errorf("create order %s: %w", o.ID(), err)
	}
	return nil
}

func createdEvent(o orders.Order) events.Event {
	e := events.OrderCreatedV1{
		OrderID: o.ID(), UserID: o.UserID(), Total: eventMoney(o), CreatedAt: o.CreatedAt(),
	}
	for _, l := range o.Lines() {
		e.Lines = append(e.Lines, events.OrderLine{
			ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity,
			UnitPrice: events.Money{Amount: l.UnitPrice.Amount(), Currency: l.UnitPrice.Currency()},
		})
	}
	return e
}

func eventMoney(o orders.Order) events.Money {
	return events.Money{Amount: o.Total().Amount(), Currency: o.Total().Currency()}
}

// statusEvent is the event of o having reached its status, if any.
func statusEvent(o orders.Order) (events.Event, bool) {
	switch o.Status() {
	case orders.StatusConfirmed:
		return events.OrderConfirmedV1{OrderID: o.ID(), UserID: o.UserID(), Total: eventMoney(o), ConfirmedAt: o.UpdatedAt()}, true
	case orders.StatusCancelled:
		return events.OrderCancelledV1{OrderID: o.ID(), UserID: o.UserID(), Reason: o.FailureReason(), CancelledAt: o.UpdatedAt()}, true
	case orders.StatusShipped:
		return events.OrderShippedV1{OrderID: o.ID(), UserID: o.UserID(), ShippedAt: o.UpdatedAt()}, true
	default:
		return nil, false
	}
}

// EventID is the id of the event of eventType about orderID: derived from
// both, so a replayed step writes the same outbox key and is refused.
func EventID(orderID, eventType string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(orderID+"/"+eventType)).String()
}

func (s *Store) event(ctx context.Context, o orders.Order, data events.Event) (types.TransactWriteItem, error) {
	env, err := events.New(events.Meta{
		ID:            EventID(o.ID(), data.EventType()),
		OccurredAt:    o.UpdatedAt(),
		CorrelationID: logging.IDsFrom(ctx).CorrelationID,
	}, data)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("event of order %s: %w", o.ID(), err)
	}
	return outbox.Put(s.table, env)
}

// Idempotency reads the record of the user's key, strongly consistent.
func (s *Store) Idempotency(ctx context.Context, userID, k string) (orders.Idempotency, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: key(idempotencyPK(userID, k), idempotencySK), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return orders.Idempotency{}, fmt.Errorf("get idempotency key of %s: %w", userID, err)
	}
	if len(out.Item) == 0 {
		return orders.Idempotency{}, orders.ErrIdempotencyNotFound
	}
	var rec idempotencyRecord
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return orders.Idempotency{}, fmt.Errorf("unmarshal idempotency key of %s: %w", userID, err)
	}
	created, err := parseTime(rec.CreatedAt)
	if err != nil {
		return orders.Idempotency{}, fmt.Errorf("idempotency key of %s: createdAt: %w", userID, err)
	}
	return orders.Idempotency{UserID: rec.UserID, Key: rec.Key, RequestHash: rec.RequestHash, OrderID: rec.OrderID, CreatedAt: created}, nil
}

// Get reads the order item, strongly consistent.
func (s *Store) Get(ctx context.Context, id string) (orders.Order, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: key(orderPK(id), orderSK), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return orders.Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return orders.Order{}, fmt.Errorf("get order %s: %w", id, orders.ErrNotFound)
	}
	return unmarshalOrder(out.Item)
}

func unmarshalOrder(item map[string]types.AttributeValue) (orders.Order, error) {
	var rec orderRecord
	if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
		return orders.Order{}, fmt.Errorf("unmarshal order: %w", err)
	}
	return toDomain(rec)
}

// Update reads the order, applies fn and puts the result under version =
// :read, in one transaction with the event of a status change.
func (s *Store) Update(ctx context.Context, id string, fn func(*orders.Order) error) error {
	o, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	read, before := o.Version(), o.Status()
	if err := fn(&o); err != nil {
		return err
	}
	if o.Version() == read {
		return nil
	}
	item, err := attributevalue.MarshalMap(toRecord(o))
	if err != nil {
		return fmt.Errorf("marshal order %s: %w", id, err)
	}
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("#version = :read"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": num(read)},
	}}}
	if data, ok := statusEvent(o); ok && o.Status() != before {
		event, err := s.event(ctx, o, data)
		if err != nil {
			return err
		}
		items = append(items, event)
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if reasons, ok := ddbtx.Reasons(err); ok && (ddbtx.AnyReason(reasons, ddbtx.ConditionalCheckFailed) || ddbtx.AnyReason(reasons, ddbtx.TransactionConflict)) {
		// A failed version condition or a concurrent transaction: re-read.
		// The outbox condition can only fail if the order reached this
		// status before, which the version condition then also refuses.
		return fmt.Errorf("update order %s: %w", id, orders.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update order %s: %w", id, err)
	}
	return nil
}
