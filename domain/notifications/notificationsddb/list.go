package notificationsddb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/internal/ddbcursor"
)

// List queries the user's partition for NOTE# items, newest first. It asks
// for one item more than the page, so the last page never carries a cursor
// to an empty one.
func (s *Store) List(ctx context.Context, q notifications.Query) (notifications.Page, error) {
	if q.Limit < 1 || q.Limit > notifications.MaxLimit {
		return notifications.Page{}, fmt.Errorf("%w: %d", notifications.ErrInvalidLimit, q.Limit)
	}
	pk := userPK(q.UserID)
	start, err := decodeCursor(q.Cursor, pk)
	if err != nil {
		return notifications.Page{}, err
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :note)"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#sk": attrSK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk), ":note": str(notePrefix)},
		ExclusiveStartKey:         start,
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(q.Limit + 1)),
	})
	if err != nil {
		return notifications.Page{}, fmt.Errorf("query %s: %w", pk, err)
	}
	items, last := ddbcursor.Trim(out.Items, out.LastEvaluatedKey, q.Limit)
	page := notifications.Page{Items: make([]notifications.Message, 0, len(items))}
	for _, item := range items {
		m, err := unmarshalNote(item)
		if err != nil {
			return notifications.Page{}, fmt.Errorf("query %s: %w", pk, err)
		}
		page.Items = append(page.Items, m)
	}
	if last != nil {
		if page.NextCursor, err = encodeCursor(last); err != nil {
			return notifications.Page{}, err
		}
	}
	return page, nil
}

// encodeCursor encodes the key (pk, sk) of item.
func encodeCursor(item map[string]types.AttributeValue) (string, error) {
	return ddbcursor.Encode(item, attrPK, attrSK)
}

// decodeCursor returns the ExclusiveStartKey of cursor, checking that it is
// the key of a notification item in partition pk.
func decodeCursor(cursor, pk string) (map[string]types.AttributeValue, error) {
	start, err := ddbcursor.Decode(cursor, func(k map[string]string) error {
		if len(k) != 2 || k[attrPK] != pk {
			return errors.New("from another list")
		}
		rest, ok := strings.CutPrefix(k[attrSK], notePrefix)
		if !ok {
			return errors.New("not a notification key")
		}
		at, id, ok := strings.Cut(rest, "#")
		if !ok || !notifications.ValidID(id) {
			return errors.New("not a notification key")
		}
		if _, err := time.Parse(timeLayout, at); err != nil {
			return errors.New("not a notification key")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", notifications.ErrInvalidCursor, err)
	}
	return start, nil
}
