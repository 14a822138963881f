package notificationsddb

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

	"github.com/goshop-dev/goshop/domain/notifications"
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
	items := out.Items
	var last map[string]types.AttributeValue
	switch {
	case len(items) > q.Limit:
		items = items[:q.Limit]
		last = items[q.Limit-1]
	case len(out.LastEvaluatedKey) > 0:
		// The query stopped at its 1 MB limit before filling the page.
		last = out.LastEvaluatedKey
	}
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

// encodeCursor encodes the key (pk, sk) of item as base64url JSON.
func encodeCursor(item map[string]types.AttributeValue) (string, error) {
	k := make(map[string]string, 2)
	for _, attr := range []string{attrPK, attrSK} {
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
// the key of a notification item in partition pk.
func decodeCursor(cursor, pk string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	invalid := func(why string) error { return fmt.Errorf("%w: %s", notifications.ErrInvalidCursor, why) }
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, invalid("not base64url")
	}
	var k map[string]string
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, invalid("not a key")
	}
	if len(k) != 2 || k[attrPK] != pk {
		return nil, invalid("from another list")
	}
	rest, ok := strings.CutPrefix(k[attrSK], notePrefix)
	if !ok {
		return nil, invalid("not a notification key")
	}
	at, id, ok := strings.Cut(rest, "#")
	if !ok || !notifications.ValidID(id) {
		return nil, invalid("not a notification key")
	}
	if _, err := time.Parse(timeLayout, at); err != nil {
		return nil, invalid("not a notification key")
	}
	return key(k[attrPK], k[attrSK]), nil
}
