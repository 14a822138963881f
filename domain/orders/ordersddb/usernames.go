package ordersddb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/backoff"
)

// maxBatchGet is the most keys one BatchGetItem takes.
const maxBatchGet = 100

// PutUserName puts the replica item unless the stored one comes from a
// later event (occurredAt, then eventId); a refused condition is success.
func (s *Store) PutUserName(ctx context.Context, n orders.UserName) error {
	item, err := attributevalue.MarshalMap(userNameRecord{
		PK: userNamePK(n.UserID), SK: userNameSK, Type: typeUserName,
		UserID: n.UserID, Name: n.Name, OccurredAt: n.OccurredAt.UnixNano(), EventID: n.EventID,
	})
	if err != nil {
		return fmt.Errorf("marshal user name %s: %w", n.UserID, err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                &s.table,
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR #at < :at OR (#at = :at AND #event < :event)"),
		ExpressionAttributeNames: map[string]string{"#at": "occurredAt", "#event": "eventId"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": num(n.OccurredAt.UnixNano()), ":event": str(n.EventID),
		},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("put user name %s: %w", n.UserID, err)
	}
	return nil
}

// UserNames reads the replica items of ids with BatchGetItem, retrying
// unprocessed keys.
func (s *Store) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	names := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += maxBatchGet {
		chunk := ids[start:min(start+maxBatchGet, len(ids))]
		keys := make([]map[string]types.AttributeValue, len(chunk))
		for i, id := range chunk {
			keys[i] = key(userNamePK(id), userNameSK)
		}
		request := map[string]types.KeysAndAttributes{s.table: {Keys: keys}}
		for attempt := 0; len(request) > 0; attempt++ {
			if attempt > 0 {
				if err := backoff.Sleep(ctx, time.Duration(attempt)*20*time.Millisecond); err != nil {
					return nil, err
				}
			}
			if attempt > 8 {
				return nil, fmt.Errorf("batch get user names: unprocessed keys after %d attempts", attempt)
			}
			out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
			if err != nil {
				return nil, fmt.Errorf("batch get user names: %w", err)
			}
			for _, item := range out.Responses[s.table] {
				var rec userNameRecord
				if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
					return nil, fmt.Errorf("unmarshal user name: %w", err)
				}
				names[rec.UserID] = rec.Name
			}
			request = out.UnprocessedKeys
		}
	}
	return names, nil
}
