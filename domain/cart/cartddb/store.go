// Package cartddb stores carts in DynamoDB, in the table design documented
// by package cart: one item collection per user (pk=CART#<userId>) holding
// a META counter item, ITEM#<productId> and SAVED#<productId> items.
package cartddb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/internal/backoff"
	"github.com/goshop-dev/goshop/internal/ddbtx"
)

// API is the part of the DynamoDB client the Store uses.
type API interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// maxAttempts bounds how often Update re-reads and re-applies a change that
// lost a race; each lost race means another change was applied.
const maxAttempts = 25

// Store is the DynamoDB cart.Repository.
type Store struct {
	db    API
	table string
}

var _ cart.Repository = (*Store)(nil)

// New returns a Store over table.
func New(client API, table string) *Store {
	return &Store{db: client, table: table}
}

// Get reads the cart of userID with one strongly consistent Query.
func (s *Store) Get(ctx context.Context, userID string) (*cart.Cart, error) {
	snap, err := s.load(ctx, userID)
	if err != nil {
		return nil, err
	}
	return snap.cart, nil
}

// Update reads the cart of userID, applies fn and writes what changed in
// one transaction conditioned on what was read. A lost race re-reads and
// re-applies fn; after maxAttempts it returns cart.ErrConflict.
func (s *Store) Update(ctx context.Context, userID string, fn func(*cart.Cart) error) error {
	for attempt := 1; ; attempt++ {
		snap, err := s.load(ctx, userID)
		if err != nil {
			return err
		}
		if err := fn(snap.cart); err != nil {
			return err
		}
		writes, err := s.changes(snap)
		if err != nil {
			return err
		}
		if len(writes) == 0 {
			return nil
		}
		_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes})
		if err == nil {
			return nil
		}
		if !lostRace(err) {
			return fmt.Errorf("write cart of %s: %w", userID, err)
		}
		if attempt == maxAttempts {
			return fmt.Errorf("write cart of %s after %d attempts: %w", userID, attempt, cart.ErrConflict)
		}
		if err := pause(ctx, attempt); err != nil {
			return err
		}
	}
}

// snapshot is a cart as read, with what the write needs to condition on.
type snapshot struct {
	cart *cart.Cart
	// read holds the record of every ITEM# and SAVED# item as read, by sort
	// key, with its rev.
	read map[string]stored
}

type stored struct {
	rec any // itemRecord or savedRecord, without its rev
	rev string
}

func (s *Store) load(ctx context.Context, userID string) (snapshot, error) {
	if userID == "" {
		return snapshot{}, cart.ErrInvalidUserID
	}
	snap := snapshot{read: map[string]stored{}}
	var items []cart.Item
	var saved []cart.SavedItem
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: cartPK(userID)}},
		ConsistentRead:            aws.Bool(true),
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return snapshot{}, fmt.Errorf("query cart of %s: %w", userID, err)
		}
		for _, av := range out.Items {
			sk := stringAttr(av, "sk")
			switch {
			case sk == metaSK:
			case strings.HasPrefix(sk, itemPrefix):
				rec, it, err := decodeItem(av)
				if err != nil {
					return snapshot{}, fmt.Errorf("cart of %s: %w", userID, err)
				}
				items = append(items, it)
				snap.read[sk] = stored{rec: rec.withoutRev(), rev: rec.Rev}
			case strings.HasPrefix(sk, savedPrefix):
				rec, si, err := decodeSaved(av)
				if err != nil {
					return snapshot{}, fmt.Errorf("cart of %s: %w", userID, err)
				}
				saved = append(saved, si)
				snap.read[sk] = stored{rec: rec.withoutRev(), rev: rec.Rev}
			default:
				return snapshot{}, fmt.Errorf("cart of %s: unknown sort key %q", userID, sk)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	snap.cart = cart.RehydrateCart(userID, items, saved)
	return snap, nil
}

// lostRace reports whether err is a transaction cancelled only because a
// condition no longer held or another transaction held an item: re-reading
// and re-applying the change is the answer to both.
func lostRace(err error) bool {
	reasons, ok := ddbtx.Reasons(err)
	if !ok {
		return false
	}
	lost := false
	for _, r := range reasons {
		switch aws.ToString(r.Code) {
		case "", ddbtx.None:
		case ddbtx.ConditionalCheckFailed, ddbtx.TransactionConflict:
			lost = true
		default:
			return false
		}
	}
	return lost
}

// pause sleeps a random time below a bound that doubles with each attempt
// (full jitter), so racing writers spread out.
func pause(ctx context.Context, attempt int) error {
	return backoff.Sleep(ctx, time.Millisecond+backoff.Full(attempt, time.Millisecond, 100*time.Millisecond))
}

func stringAttr(av map[string]types.AttributeValue, name string) string {
	if s, ok := av[name].(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}
