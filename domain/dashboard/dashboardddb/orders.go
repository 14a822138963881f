package dashboardddb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/money"
)

// orderRecord is an order summary item; it carries gsi1's keys only once
// its creation time is known.
type orderRecord struct {
	PK          string       `dynamodbav:"pk"`
	SK          string       `dynamodbav:"sk"`
	Type        string       `dynamodbav:"type"`
	ID          string       `dynamodbav:"id"`
	UserID      string       `dynamodbav:"userId"`
	Status      string       `dynamodbav:"status"`
	StatusAt    string       `dynamodbav:"statusAt"`
	TotalAmount int64        `dynamodbav:"totalAmount"`
	Currency    string       `dynamodbav:"currency,omitempty"`
	CreatedAt   string       `dynamodbav:"createdAt,omitempty"`
	Lines       []lineRecord `dynamodbav:"lines"`
	Confirmed   bool         `dynamodbav:"confirmed"`
	Counted     bool         `dynamodbav:"counted"`
	Version     int64        `dynamodbav:"version"`
	GSI1PK      string       `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK      string       `dynamodbav:"gsi1sk,omitempty"`
}

type lineRecord struct {
	ProductID string `dynamodbav:"productId"`
	Name      string `dynamodbav:"name"`
	Quantity  int    `dynamodbav:"quantity"`
}

func toOrderRecord(o dashboard.Order) orderRecord {
	s := o.State()
	r := orderRecord{
		PK: userPK(s.UserID), SK: orderSK(s.ID), Type: typeOrder, ID: s.ID, UserID: s.UserID,
		Status: string(s.Status), StatusAt: formatTime(s.StatusAt),
		TotalAmount: s.Total.Amount(), Currency: s.Total.Currency(),
		Lines: make([]lineRecord, len(s.Lines)), Confirmed: s.Confirmed, Counted: s.Counted, Version: s.Version,
	}
	for i, l := range s.Lines {
		r.Lines[i] = lineRecord{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity}
	}
	if o.Known() {
		r.CreatedAt = formatTime(s.CreatedAt)
		r.GSI1PK, r.GSI1SK = userPK(s.UserID), r.CreatedAt+"#"+s.ID
	}
	return r
}

func toOrder(r orderRecord) (dashboard.Order, error) {
	s := dashboard.OrderState{
		ID: r.ID, UserID: r.UserID, Status: dashboard.Status(r.Status),
		Confirmed: r.Confirmed, Counted: r.Counted, Version: r.Version,
	}
	var err error
	if s.StatusAt, err = time.Parse(time.RFC3339Nano, r.StatusAt); err != nil {
		return dashboard.Order{}, fmt.Errorf("order %s: statusAt: %w", r.ID, err)
	}
	if r.CreatedAt != "" {
		if s.CreatedAt, err = time.Parse(time.RFC3339Nano, r.CreatedAt); err != nil {
			return dashboard.Order{}, fmt.Errorf("order %s: createdAt: %w", r.ID, err)
		}
	}
	if r.Currency != "" {
		if s.Total, err = money.New(r.TotalAmount, r.Currency); err != nil {
			return dashboard.Order{}, fmt.Errorf("order %s: total: %w", r.ID, err)
		}
	}
	for _, l := range r.Lines {
		s.Lines = append(s.Lines, dashboard.Line{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity})
	}
	return dashboard.RehydrateOrder(s), nil
}

// RecentOrders queries gsi1 newest first.
func (s *Store) RecentOrders(ctx context.Context, userID string, limit int) ([]dashboard.Order, error) {
	items, err := s.queryDescending(ctx, gsi1, attrGSI1PK, userPK(userID), limit)
	if err != nil {
		return nil, fmt.Errorf("query orders of %s: %w", userID, err)
	}
	orders := make([]dashboard.Order, 0, len(items))
	for _, item := range items {
		var rec orderRecord
		if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
			return nil, fmt.Errorf("unmarshal order of %s: %w", userID, err)
		}
		o, err := toOrder(rec)
		if err != nil {
			return nil, err
		}
		orders = append(orders, o)
	}
	return orders, nil
}

// UpdateOrder reads the order and the counts its sales change (strongly
// consistent), applies fn, and writes the marker, the order (version =
// :read) and each count (units = :read) in one transaction. A refused
// order or count condition, or a transaction conflict, starts again after
// a jittered pause, up to s.attempts times.
func (s *Store) UpdateOrder(ctx context.Context, e dashboard.Event, k dashboard.OrderKey, fn func(*dashboard.Order) ([]dashboard.ProductSales, error)) error {
	for attempt := range s.attempts {
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt)*10*time.Millisecond+rand.N(20*time.Millisecond)); err != nil {
				return err
			}
		}
		done, err := s.tryUpdateOrder(ctx, e, k, fn)
		if done || err != nil {
			return err
		}
	}
	return fmt.Errorf("update order %s: %d attempts: %w", k.OrderID, s.attempts, dashboard.ErrConflict)
}

// tryUpdateOrder makes one attempt; done is false when a concurrent write
// won and the update must start again.
func (s *Store) tryUpdateOrder(ctx context.Context, e dashboard.Event, k dashboard.OrderKey, fn func(*dashboard.Order) ([]dashboard.ProductSales, error)) (done bool, err error) {
	o, exists, err := s.getOrder(ctx, k)
	if err != nil {
		return false, err
	}
	read := o.Version()
	sales, err := fn(&o)
	if err != nil {
		return false, err
	}
	if o.Version() == read {
		return true, nil
	}
	if o.ID() != k.OrderID || o.UserID() != k.UserID {
		return false, fmt.Errorf("update order %s: fn changed the key", k.OrderID)
	}
	marker, err := s.markerPut(e)
	if err != nil {
		return false, err
	}
	item, err := attributevalue.MarshalMap(toOrderRecord(o))
	if err != nil {
		return false, fmt.Errorf("marshal order %s: %w", k.OrderID, err)
	}
	put := &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists)}
	if exists {
		put.ConditionExpression = aws.String("#version = :read")
		put.ExpressionAttributeNames = map[string]string{"#version": "version"}
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":read": num(read)}
	}
	counts, err := s.countPuts(ctx, sales)
	if err != nil {
		return false, err
	}
	items := append([]types.TransactWriteItem{marker, {Put: put}}, counts...)
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes, ok := cancelled(err); ok && len(codes) > 0 {
		switch {
		case codes[0] == codeConditionFailed:
			return false, fmt.Errorf("update order %s: %w", k.OrderID, dashboard.ErrDuplicateEvent)
		case slices.Contains(codes, codeConditionFailed) || slices.Contains(codes, codeConflict):
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("update order %s: %w", k.OrderID, err)
	}
	return true, nil
}

func (s *Store) getOrder(ctx context.Context, k dashboard.OrderKey) (dashboard.Order, bool, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: key(userPK(k.UserID), orderSK(k.OrderID)), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return dashboard.Order{}, false, fmt.Errorf("get order %s: %w", k.OrderID, err)
	}
	if len(out.Item) == 0 {
		return dashboard.NewOrder(k.UserID, k.OrderID), false, nil
	}
	var rec orderRecord
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return dashboard.Order{}, false, fmt.Errorf("unmarshal order %s: %w", k.OrderID, err)
	}
	o, err := toOrder(rec)
	return o, true, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// queryDescending reads the first limit items of partition pk of index,
// in descending sort key order.
func (s *Store) queryDescending(ctx context.Context, index, pkAttr, pk string, limit int) ([]map[string]types.AttributeValue, error) {
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, err
	}
	return out.Items, nil
}
