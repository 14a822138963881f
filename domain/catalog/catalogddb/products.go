package catalogddb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/backoff"
	"github.com/goshop-dev/goshop/internal/ddbtx"
)

const attrNotExists = "attribute_not_exists(pk)"

// Create writes the product item and its SKU lock item in one transaction,
// each conditioned on not existing yet.
func (s *Store) Create(ctx context.Context, p catalog.Product) error {
	item, err := attributevalue.MarshalMap(toRecord(p))
	if err != nil {
		return fmt.Errorf("marshal product %s: %w", p.ID(), err)
	}
	lock, err := attributevalue.MarshalMap(skuRecord{PK: skuPK(p.SKU()), SK: skuSK, Type: typeSKULock, ProductID: p.ID()})
	if err != nil {
		return fmt.Errorf("marshal sku %s: %w", p.SKU(), err)
	}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists)}},
			{Put: &types.Put{TableName: &s.table, Item: lock, ConditionExpression: aws.String(attrNotExists)}},
		},
	})
	if reasons, ok := ddbtx.Reasons(err); ok {
		switch {
		case ddbtx.ReasonIs(reasons, 1, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create %s: %w", p.SKU(), catalog.ErrSKUTaken)
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create %s: product id %s already exists", p.SKU(), p.ID())
		case ddbtx.AnyReason(reasons, ddbtx.TransactionConflict):
			return fmt.Errorf("create %s: %w", p.SKU(), catalog.ErrConflict)
		}
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", p.SKU(), err)
	}
	return nil
}

// Get reads the product item, strongly consistent.
func (s *Store) Get(ctx context.Context, id string) (catalog.Product, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: productKey(id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return catalog.Product{}, fmt.Errorf("get %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return catalog.Product{}, fmt.Errorf("get %s: %w", id, catalog.ErrNotFound)
	}
	return unmarshalProduct(out.Item)
}

func unmarshalProduct(item map[string]types.AttributeValue) (catalog.Product, error) {
	var rec productRecord
	if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
		return catalog.Product{}, fmt.Errorf("unmarshal product: %w", err)
	}
	return toDomain(rec)
}

// Update reads the product, applies fn and puts the result conditioned on
// the version read (optimistic locking). Reservations and releases bump the
// version too, so a stale put can never overwrite their stock changes.
func (s *Store) Update(ctx context.Context, id string, fn func(*catalog.Product) error) error {
	p, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	read := p.Version()
	if err := fn(&p); err != nil {
		return err
	}
	if p.Version() == read {
		return nil
	}
	if p.ID() != id {
		return fmt.Errorf("update %s: fn changed the id to %s", id, p.ID())
	}
	item, err := attributevalue.MarshalMap(toRecord(p))
	if err != nil {
		return fmt.Errorf("marshal product %s: %w", id, err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("#version = :read"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": num(read)},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("update %s: version %d is stale: %w", id, read, catalog.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", id, err)
	}
	return nil
}

// maxBatchAttempts bounds the BatchGetItem calls of one Lookup while
// DynamoDB leaves keys unprocessed.
const maxBatchAttempts = 6

// Lookup reads the products with BatchGetItem (one call serves the 100 ids
// Lookup allows), retrying unprocessed keys with backoff.
func (s *Store) Lookup(ctx context.Context, ids []string) ([]catalog.Product, error) {
	keys := make([]map[string]types.AttributeValue, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, productKey(id))
	}
	found := make(map[string]catalog.Product, len(ids))
	request := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	for attempt := 1; len(request) > 0; attempt++ {
		if attempt > maxBatchAttempts {
			return nil, fmt.Errorf("lookup: keys still unprocessed after %d attempts", maxBatchAttempts)
		}
		if attempt > 1 {
			// The ceiling never binds: attempt <= maxBatchAttempts keeps
			// the bound at or below 10ms<<6 = 640ms.
			if err := backoff.Sleep(ctx, backoff.Full(attempt, 10*time.Millisecond, time.Second)); err != nil {
				return nil, fmt.Errorf("lookup: %w", err)
			}
		}
		out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
		if err != nil {
			return nil, fmt.Errorf("lookup: %w", err)
		}
		for _, item := range out.Responses[s.table] {
			p, err := unmarshalProduct(item)
			if err != nil {
				return nil, fmt.Errorf("lookup: %w", err)
			}
			found[p.ID()] = p
		}
		request = out.UnprocessedKeys
	}
	products := make([]catalog.Product, 0, len(found))
	for _, id := range ids {
		if p, ok := found[id]; ok {
			products = append(products, p)
		}
	}
	return products, nil
}
