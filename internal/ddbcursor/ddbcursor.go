// Package ddbcursor holds the opaque pagination cursors of the DynamoDB
// adapters: a cursor is the base64url JSON of the string key attributes of
// the last item of a page, and decoding one gives the ExclusiveStartKey of
// the next Query. The adapter says which attributes make up the key and
// checks a decoded one against its own rules (partition, key shapes), so a
// tampered or foreign cursor becomes its domain's ErrInvalidCursor.
//
// It is written by hand: the AWS SDK has no cursor encoding, and no
// maintained library does this small job.
package ddbcursor

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Errors of Decode for a cursor that Encode did not make.
var (
	ErrNotBase64 = errors.New("not base64url")
	ErrNotKey    = errors.New("not a key")
)

// Encode returns the cursor of key: its attributes attrs, each of which
// must be a string, as base64url JSON.
func Encode(key map[string]types.AttributeValue, attrs ...string) (string, error) {
	k := make(map[string]string, len(attrs))
	for _, attr := range attrs {
		v, ok := key[attr].(*types.AttributeValueMemberS)
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

// Decode returns the ExclusiveStartKey of cursor, nil for the empty cursor
// (the first page). check sees the decoded attributes before they are used
// and returns why they are not a key the caller's query may start from;
// Decode returns that error, or ErrNotBase64 or ErrNotKey, as it is.
func Decode(cursor string, check func(key map[string]string) error) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, ErrNotBase64
	}
	var k map[string]string
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, ErrNotKey
	}
	if err := check(k); err != nil {
		return nil, err
	}
	start := make(map[string]types.AttributeValue, len(k))
	for name, v := range k {
		start[name] = &types.AttributeValueMemberS{Value: v}
	}
	return start, nil
}

// Trim cuts items, the answer to a Query asked for limit+1 items, to a page
// of at most limit, and returns the key the next page starts after: the
// page's last item when the query found one more, else lastEvaluated when
// the query stopped at its 1 MB limit before filling the page, else nil
// (this is the last page). Asking for one more item means the last page
// never comes with a cursor to an empty page.
func Trim(items []map[string]types.AttributeValue, lastEvaluated map[string]types.AttributeValue, limit int) (page []map[string]types.AttributeValue, last map[string]types.AttributeValue) {
	switch {
	case len(items) > limit:
		return items[:limit], items[limit-1]
	case len(lastEvaluated) > 0:
		return items, lastEvaluated
	}
	return items, nil
}
