package cartddb

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/money"
)

const (
	metaSK      = "META"
	itemPrefix  = "ITEM#"
	savedPrefix = "SAVED#"
)

func cartPK(userID string) string     { return "CART#" + userID }
func itemSK(productID string) string  { return itemPrefix + productID }
func savedSK(productID string) string { return savedPrefix + productID }

// itemRecord is an active item. It is comparable, so that a change is
// found by comparing the records before and after.
type itemRecord struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	ProductID   string `dynamodbav:"productId"`
	Name        string `dynamodbav:"name"`
	PriceAmount int64  `dynamodbav:"priceAmount"`
	Currency    string `dynamodbav:"currency"`
	Quantity    int    `dynamodbav:"quantity"`
	AddedAt     string `dynamodbav:"addedAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	Rev         string `dynamodbav:"rev"`
}

func (r itemRecord) withoutRev() itemRecord { r.Rev = ""; return r }

// savedRecord is a saved-for-later item.
type savedRecord struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	ProductID   string `dynamodbav:"productId"`
	Name        string `dynamodbav:"name"`
	PriceAmount int64  `dynamodbav:"priceAmount"`
	Currency    string `dynamodbav:"currency"`
	SavedAt     string `dynamodbav:"savedAt"`
	Rev         string `dynamodbav:"rev"`
}

func (r savedRecord) withoutRev() savedRecord { r.Rev = ""; return r }

func toItemRecord(userID string, it cart.Item) itemRecord {
	return itemRecord{
		PK: cartPK(userID), SK: itemSK(it.ProductID()), ProductID: it.ProductID(), Name: it.Name(),
		PriceAmount: it.UnitPrice().Amount(), Currency: it.UnitPrice().Currency(),
		Quantity: it.Quantity(), AddedAt: formatTime(it.AddedAt()), UpdatedAt: formatTime(it.UpdatedAt()),
	}
}

func toSavedRecord(userID string, s cart.SavedItem) savedRecord {
	return savedRecord{
		PK: cartPK(userID), SK: savedSK(s.ProductID()), ProductID: s.ProductID(), Name: s.Name(),
		PriceAmount: s.UnitPrice().Amount(), Currency: s.UnitPrice().Currency(), SavedAt: formatTime(s.SavedAt()),
	}
}

func decodeItem(av map[string]types.AttributeValue) (itemRecord, cart.Item, error) {
	var rec itemRecord
	if err := attributevalue.UnmarshalMap(av, &rec); err != nil {
		return itemRecord{}, cart.Item{}, fmt.Errorf("decode item: %w", err)
	}
	it, err := itemToDomain(rec)
	return rec, it, err
}

func itemToDomain(rec itemRecord) (cart.Item, error) {
	price, err := money.New(rec.PriceAmount, rec.Currency)
	if err != nil {
		return cart.Item{}, fmt.Errorf("item %s: %w", rec.SK, err)
	}
	added, err := parseTime(rec.AddedAt)
	if err != nil {
		return cart.Item{}, fmt.Errorf("item %s addedAt: %w", rec.SK, err)
	}
	updated, err := parseTime(rec.UpdatedAt)
	if err != nil {
		return cart.Item{}, fmt.Errorf("item %s updatedAt: %w", rec.SK, err)
	}
	return cart.RehydrateItem(rec.ProductID, rec.Name, price, rec.Quantity, added, updated), nil
}

func decodeSaved(av map[string]types.AttributeValue) (savedRecord, cart.SavedItem, error) {
	var rec savedRecord
	if err := attributevalue.UnmarshalMap(av, &rec); err != nil {
		return savedRecord{}, cart.SavedItem{}, fmt.Errorf("decode saved item: %w", err)
	}
	s, err := savedToDomain(rec)
	return rec, s, err
}

func savedToDomain(rec savedRecord) (cart.SavedItem, error) {
	price, err := money.New(rec.PriceAmount, rec.Currency)
	if err != nil {
		return cart.SavedItem{}, fmt.Errorf("saved item %s: %w", rec.SK, err)
	}
	savedAt, err := parseTime(rec.SavedAt)
	if err != nil {
		return cart.SavedItem{}, fmt.Errorf("saved item %s savedAt: %w", rec.SK, err)
	}
	return cart.RehydrateSavedItem(rec.ProductID, rec.Name, price, savedAt), nil
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
