package cartddb

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/cart"
)

// maxTransactItems is DynamoDB's limit of actions in one transaction.
const maxTransactItems = 100

// changes returns the transaction that turns the items read in snap into
// snap.cart: a conditional put or delete per changed item, a condition check
// on the untouched twin (ITEM# or SAVED#) of each changed product, and the
// META counters' update when the number of items changes.
func (s *Store) changes(snap snapshot) ([]types.TransactWriteItem, error) {
	userID := snap.cart.UserID()
	after := map[string]any{}
	for _, it := range snap.cart.Items() {
		after[itemSK(it.ProductID())] = toItemRecord(userID, it)
	}
	for _, si := range snap.cart.Saved() {
		after[savedSK(si.ProductID())] = toSavedRecord(userID, si)
	}

	var writes []types.TransactWriteItem
	written := map[string]bool{}
	var itemDelta, savedDelta int
	count := func(sk string, d int) {
		if strings.HasPrefix(sk, itemPrefix) {
			itemDelta += d
		} else {
			savedDelta += d
		}
	}
	for _, sk := range sortedKeys(after) {
		old, found := snap.read[sk]
		if found && old.rec == after[sk] {
			continue
		}
		av, err := attributevalue.MarshalMap(after[sk])
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", sk, err)
		}
		av["rev"] = &types.AttributeValueMemberS{Value: uuid.NewString()}
		cond, values := readState(snap, sk)
		writes = append(writes, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.table), Item: av,
			ConditionExpression: aws.String(cond), ExpressionAttributeValues: values,
		}})
		written[sk] = true
		if !found {
			count(sk, 1)
		}
	}
	for _, sk := range sortedKeys(snap.read) {
		if _, kept := after[sk]; kept {
			continue
		}
		cond, values := readState(snap, sk)
		writes = append(writes, types.TransactWriteItem{Delete: &types.Delete{
			TableName: aws.String(s.table), Key: key(userID, sk),
			ConditionExpression: aws.String(cond), ExpressionAttributeValues: values,
		}})
		written[sk] = true
		count(sk, -1)
	}
	writes = append(writes, s.twinChecks(snap, written)...)
	if itemDelta != 0 || savedDelta != 0 {
		writes = append(writes, s.counters(userID, itemDelta, savedDelta))
	}
	if len(writes) > maxTransactItems {
		return nil, fmt.Errorf("cart of %s: one change touches %d items, more than a transaction holds", userID, len(writes))
	}
	return writes, nil
}

// twinChecks conditions the write on the state, as read, of the other item
// of every product written, so a product is never active and saved at once.
func (s *Store) twinChecks(snap snapshot, written map[string]bool) []types.TransactWriteItem {
	var checks []types.TransactWriteItem
	for _, sk := range sortedKeys(written) {
		var twin string
		if id, ok := strings.CutPrefix(sk, itemPrefix); ok {
			twin = savedSK(id)
		} else {
			twin = itemSK(strings.TrimPrefix(sk, savedPrefix))
		}
		if written[twin] {
			continue
		}
		cond, values := readState(snap, twin)
		checks = append(checks, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName: aws.String(s.table), Key: key(snap.cart.UserID(), twin),
			ConditionExpression: aws.String(cond), ExpressionAttributeValues: values,
		}})
	}
	return checks
}

// counters adds the deltas to the META counters, on the condition that the
// results stay within the cart's limits.
func (s *Store) counters(userID string, itemDelta, savedDelta int) types.TransactWriteItem {
	values := map[string]types.AttributeValue{":di": number(itemDelta), ":ds": number(savedDelta)}
	var conds []string
	if itemDelta > 0 {
		conds = append(conds, "(attribute_not_exists(itemCount) OR itemCount <= :imax)")
		values[":imax"] = number(cart.MaxItems - itemDelta)
	}
	if savedDelta > 0 {
		conds = append(conds, "(attribute_not_exists(savedCount) OR savedCount <= :smax)")
		values[":smax"] = number(cart.MaxSavedItems - savedDelta)
	}
	update := &types.Update{
		TableName: aws.String(s.table), Key: key(userID, metaSK),
		UpdateExpression:          aws.String("ADD itemCount :di, savedCount :ds"),
		ExpressionAttributeValues: values,
	}
	if len(conds) > 0 {
		update.ConditionExpression = aws.String(strings.Join(conds, " AND "))
	}
	return types.TransactWriteItem{Update: update}
}

// readState is the condition that item sk is as it was read: absent, or
// with the rev it had.
func readState(snap snapshot, sk string) (string, map[string]types.AttributeValue) {
	old, found := snap.read[sk]
	if !found {
		return "attribute_not_exists(pk)", nil
	}
	return "rev = :rev", map[string]types.AttributeValue{":rev": &types.AttributeValueMemberS{Value: old.rev}}
}

func key(userID, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: cartPK(userID)},
		"sk": &types.AttributeValueMemberS{Value: sk},
	}
}

func number(n int) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.Itoa(n)}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
