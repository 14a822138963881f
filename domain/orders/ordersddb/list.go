package ordersddb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/ddbcursor"
)

// ListByUser queries gsi1 for USER#<userId>, newest first. It asks for one
// item more than the page so that the last page never comes with a cursor
// to an empty page; the cursor is the key of the last item returned.
func (s *Store) ListByUser(ctx context.Context, userID string, limit int, cursor string) (orders.Page, error) {
	if limit < 1 || limit > orders.MaxLimit {
		return orders.Page{}, fmt.Errorf("%w: %d", orders.ErrInvalidLimit, limit)
	}
	start, err := decodeCursor(userID, cursor)
	if err != nil {
		return orders.Page{}, err
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(gsi1),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userPK(userID))},
		ScanIndexForward:          aws.Bool(false),
		ExclusiveStartKey:         start,
		Limit:                     aws.Int32(int32(limit + 1)),
	})
	if err != nil {
		return orders.Page{}, fmt.Errorf("query %s: %w", gsi1, err)
	}
	items, last := ddbcursor.Trim(out.Items, out.LastEvaluatedKey, limit)
	page := orders.Page{Items: make([]orders.Order, 0, len(items))}
	for _, item := range items {
		o, err := unmarshalOrder(item)
		if err != nil {
			return orders.Page{}, fmt.Errorf("query %s: %w", gsi1, err)
		}
		page.Items = append(page.Items, o)
	}
	if last != nil {
		if page.NextCursor, err = encodeCursor(last); err != nil {
			return orders.Page{}, err
		}
	}
	return page, nil
}

var cursorAttrs = []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK}

// encodeCursor encodes the index key of item.
func encodeCursor(item map[string]types.AttributeValue) (string, error) {
	return ddbcursor.Encode(item, cursorAttrs...)
}

// decodeCursor returns the ExclusiveStartKey of cursor, checking that it is
// the key of an order item of userID.
func decodeCursor(userID, cursor string) (map[string]types.AttributeValue, error) {
	start, err := ddbcursor.Decode(cursor, func(k map[string]string) error {
		if len(k) != len(cursorAttrs) {
			return errors.New("not a key of this index")
		}
		if k[attrGSI1PK] != userPK(userID) {
			return errors.New("from another listing")
		}
		at, id, ok := strings.Cut(k[attrGSI1SK], "#")
		if _, err := time.Parse(timeLayout, at); !ok || err != nil || !orders.ValidID(id) {
			return errors.New("not an order sort key")
		}
		if k[attrPK] != orderPK(id) || k[attrSK] != orderSK {
			return errors.New("not an order key")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", orders.ErrInvalidCursor, err)
	}
	return start, nil
}
