package catalogddb

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/ddbtx"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/outbox"
)

// reservationRecord is a reservation item.
type reservationRecord struct {
	PK        string          `dynamodbav:"pk"`
	SK        string          `dynamodbav:"sk"`
	Type      string          `dynamodbav:"type"`
	OrderID   string          `dynamodbav:"orderId"`
	Status    string          `dynamodbav:"status"`
	Lines     []lineRecord    `dynamodbav:"lines,omitempty"`
	Shortage  *shortageRecord `dynamodbav:"shortage,omitempty"`
	CreatedAt string          `dynamodbav:"createdAt"`
	UpdatedAt string          `dynamodbav:"updatedAt"`
}

type lineRecord struct {
	ProductID string `dynamodbav:"productId"`
	Quantity  int    `dynamodbav:"quantity"`
}

type shortageRecord struct {
	ProductID string `dynamodbav:"productId"`
	Want      int    `dynamodbav:"want"`
	Have      int    `dynamodbav:"have"`
}

func toReservationRecord(r catalog.Reservation) reservationRecord {
	rec := reservationRecord{
		PK: reservationPK(r.OrderID()), SK: reservationSK, Type: typeReservation, OrderID: r.OrderID(), Status: string(r.Status()),
		CreatedAt: formatTime(r.CreatedAt()), UpdatedAt: formatTime(r.UpdatedAt()),
	}
	for _, l := range r.Lines() {
		rec.Lines = append(rec.Lines, lineRecord{ProductID: l.ProductID, Quantity: l.Quantity})
	}
	if s, ok := r.Shortage(); ok {
		rec.Shortage = &shortageRecord{ProductID: s.ProductID, Want: s.Want, Have: s.Have}
	}
	return rec
}

func toReservation(rec reservationRecord) (catalog.Reservation, error) {
	created, err := parseTime(rec.CreatedAt)
	if err != nil {
		return catalog.Reservation{}, fmt.Errorf("reservation %s: createdAt: %w", rec.OrderID, err)
	}
	updated, err := parseTime(rec.UpdatedAt)
	if err != nil {
		return catalog.Reservation{}, fmt.Errorf("reservation %s: updatedAt: %w", rec.OrderID, err)
	}
	state := catalog.ReservationState{
		OrderID: rec.OrderID, Status: catalog.Status(rec.Status), CreatedAt: created, UpdatedAt: updated,
	}
	for _, l := range rec.Lines {
		state.Lines = append(state.Lines, catalog.Line{ProductID: l.ProductID, Quantity: l.Quantity})
	}
	if rec.Shortage != nil {
		state.Shortage = &catalog.InsufficientStockError{ProductID: rec.Shortage.ProductID, Want: rec.Shortage.Want, Have: rec.Shortage.Have}
	}
	return catalog.RehydrateReservation(state), nil
}

// GetReservation reads the order's reservation item, strongly consistent.
func (s *Store) GetReservation(ctx context.Context, orderID string) (catalog.Reservation, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: reservationKey(orderID), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return catalog.Reservation{}, fmt.Errorf("get reservation %s: %w", orderID, err)
	}
	if len(out.Item) == 0 {
		return catalog.Reservation{}, fmt.Errorf("get reservation %s: %w", orderID, catalog.ErrReservationNotFound)
	}
	var rec reservationRecord
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return catalog.Reservation{}, fmt.Errorf("unmarshal reservation %s: %w", orderID, err)
	}
	return toReservation(rec)
}

// stockNames are the attribute names of the stock update expressions.
var stockNames = map[string]string{
	"#available": "available", "#reserved": "reserved", "#version": "version", "#updatedAt": "updatedAt",
}

// Reserve puts the reservation item (attribute_not_exists) and, per line,
// moves the units with an update conditioned on the product existing and
// having them available, in one transaction. The conditions' ALL_OLD items
// tell the failures apart.
func (s *Store) Reserve(ctx context.Context, r catalog.Reservation) error {
	item, err := attributevalue.MarshalMap(toReservationRecord(r))
	if err != nil {
		return fmt.Errorf("marshal reservation %s: %w", r.OrderID(), err)
	}
	lines := r.Lines()
	items := make([]types.TransactWriteItem, 0, 2+len(lines))
	items = append(items, types.TransactWriteItem{Put: &types.Put{
		TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists),
	}})
	for _, l := range lines {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                           &s.table,
			Key:                                 productKey(l.ProductID),
			UpdateExpression:                    aws.String("SET #available = #available - :q, #reserved = #reserved + :q, #version = #version + :one, #updatedAt = :now"),
			ConditionExpression:                 aws.String("attribute_exists(pk) AND #available >= :q"),
			ExpressionAttributeNames:            stockNames,
			ExpressionAttributeValues:           stockValues(l.Quantity, r),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}})
	}
	event, err := s.stockEvent(ctx, r, events.InventoryReservedV1{OrderID: r.OrderID(), Lines: stockLines(lines), ReservedAt: r.UpdatedAt().UTC()})
	if err != nil {
		return err
	}
	items = append(items, event)
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if reasons, ok := ddbtx.Reasons(err); ok {
		if reasonErr := reserveFailure(reasons, lines); reasonErr != nil {
			return fmt.Errorf("reserve %s: %w", r.OrderID(), reasonErr)
		}
	}
	if err != nil {
		return fmt.Errorf("reserve %s: %w", r.OrderID(), err)
	}
	return nil
}

func stockValues(quantity int, r catalog.Reservation) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		":q": num(int64(quantity)), ":one": num(1), ":now": str(formatTime(r.UpdatedAt())),
	}
}

// reserveFailure turns the cancellation reasons of a reserve transaction
// into the catalog error, by the precedence Repository.Reserve documents;
// nil when the reasons name none of them.
func reserveFailure(reasons []types.CancellationReason, lines []catalog.Line) error {
	if ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed) {
		return catalog.ErrReservationExists
	}
	var shortage *catalog.InsufficientStockError
	for i, l := range lines {
		if !ddbtx.ReasonIs(reasons, i+1, ddbtx.ConditionalCheckFailed) {
			continue
		}
		old := reasons[i+1].Item
		if len(old) == 0 {
			return &catalog.ProductNotFoundError{ProductID: l.ProductID}
		}
		if shortage == nil {
			var rec productRecord
			if err := attributevalue.UnmarshalMap(old, &rec); err != nil {
				return fmt.Errorf("unmarshal product %s: %w", l.ProductID, err)
			}
			shortage = &catalog.InsufficientStockError{ProductID: l.ProductID, Want: l.Quantity, Have: rec.Available}
		}
	}
	switch {
	case ddbtx.AnyReason(reasons, ddbtx.TransactionConflict):
		return catalog.ErrConflict
	case shortage != nil:
		return shortage
	}
	return nil
}

// Record puts r unless the order has a reservation item.
func (s *Store) Record(ctx context.Context, r catalog.Reservation) error {
	item, err := attributevalue.MarshalMap(toReservationRecord(r))
	if err != nil {
		return fmt.Errorf("marshal reservation %s: %w", r.OrderID(), err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists),
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("record %s: %w", r.OrderID(), catalog.ErrReservationExists)
	}
	if err != nil {
		return fmt.Errorf("record %s: %w", r.OrderID(), err)
	}
	return nil
}

// Release sets the reservation item's status conditioned on it still being
// RESERVED and moves each line's units back, in one transaction.
func (s *Store) Release(ctx context.Context, r catalog.Reservation) error {
	lines := r.Lines()
	items := make([]types.TransactWriteItem, 0, 2+len(lines))
	items = append(items, types.TransactWriteItem{Update: &types.Update{
		TableName:                &s.table,
		Key:                      reservationKey(r.OrderID()),
		UpdateExpression:         aws.String("SET #status = :status, #updatedAt = :now"),
		ConditionExpression:      aws.String("#status = :reserved"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#updatedAt": "updatedAt"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": str(string(r.Status())), ":reserved": str(string(catalog.StatusReserved)),
			":now": str(formatTime(r.UpdatedAt())),
		},
	}})
	for _, l := range lines {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       productKey(l.ProductID),
			UpdateExpression:          aws.String("SET #available = #available + :q, #reserved = #reserved - :q, #version = #version + :one, #updatedAt = :now"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND #reserved >= :q"),
			ExpressionAttributeNames:  stockNames,
			ExpressionAttributeValues: stockValues(l.Quantity, r),
		}})
	}
	event, err := s.stockEvent(ctx, r, events.InventoryReleasedV1{OrderID: r.OrderID(), Lines: stockLines(lines), ReleasedAt: r.UpdatedAt().UTC()})
	if err != nil {
		return err
	}
	items = append(items, event)
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if reasons, ok := ddbtx.Reasons(err); ok {
		switch {
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("release %s: no longer reserved: %w", r.OrderID(), catalog.ErrConflict)
		case ddbtx.AnyReason(reasons, ddbtx.TransactionConflict):
			return fmt.Errorf("release %s: %w", r.OrderID(), catalog.ErrConflict)
		case ddbtx.AnyReason(reasons, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("release %s: product stock does not hold the reservation: %w", r.OrderID(), err)
		}
	}
	if err != nil {
		return fmt.Errorf("release %s: %w", r.OrderID(), err)
	}
	return nil
}

// stockEvent is the outbox item announcing a reservation change, committed
// in the same transaction as the change. Its id is derived from the order
// and the event type, so each happens at most once per order.
func (s *Store) stockEvent(ctx context.Context, r catalog.Reservation, data events.Event) (types.TransactWriteItem, error) {
	env, err := events.New(events.Meta{
		ID:            uuid.NewSHA1(uuid.NameSpaceURL, []byte(r.OrderID()+"/"+data.EventType())).String(),
		OccurredAt:    r.UpdatedAt(),
		CorrelationID: logging.IDsFrom(ctx).CorrelationID,
	}, data)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return outbox.Put(s.table, env)
}

func stockLines(lines []catalog.Line) []events.StockLine {
	out := make([]events.StockLine, len(lines))
	for i, l := range lines {
		out[i] = events.StockLine{ProductID: l.ProductID, Quantity: l.Quantity}
	}
	return out
}
