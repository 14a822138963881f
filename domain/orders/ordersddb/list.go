package ordersddb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
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
	items := out.Items
	var last map[string]types.AttributeValue
	switch {
	case len(items) > limit:
		items = items[:limit]
		last = items[limit-1]
	case len(out.LastEvaluatedKey) > 0:
		// The query stopped at its 1 MB limit before filling the page.
		last = out.LastEvaluatedKey
	}
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

// encodeCursor encodes the index key of item as base64url JSON.
func encodeCursor(item map[string]types.AttributeValue) (string, error) {
	k := make(map[string]string, len(cursorAttrs))
	for _, attr := range cursorAttrs {
		v, ok := item[attr].(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("encode cursor: item has no string %s", attr)
		}
		k[attr] = v.Value
	}
	raw, err := json.Marshal(k)
	if err != nil {
		return "", fmt.Errorf("encode cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// decodeCursor returns the ExclusiveStartKey of cursor, checking that it is
// the key of an order item of userID.
func decodeCursor(userID, cursor string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	invalid := func(why string) error { return fmt.Errorf("%w: %s", orders.ErrInvalidCursor, why) }
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, invalid("not base64url")
	}
	var k map[string]string
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, invalid("not a key")
	}
	if len(k) != len(cursorAttrs) {
		return nil, invalid("not a key of this index")
	}
	if k[attrGSI1PK] != userPK(userID) {
		return nil, invalid("from another listing")
	}
	at, id, ok := strings.Cut(k[attrGSI1SK], "#")
	if _, err := time.Parse(timeLayout, at); !ok || err != nil || !orders.ValidID(id) {
		return nil, invalid("not an order sort key")
	}
	if k[attrPK] != orderPK(id) || k[attrSK] != orderSK {
		return nil, invalid("not an order key")
	}
	start := make(map[string]types.AttributeValue, len(k))
	for name, v := range k {
		start[name] = str(v)
	}
	return start, nil
}
