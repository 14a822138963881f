// Package catalogddb is the DynamoDB adapter of the catalog: the table
// design documented in package catalog, conditional writes and
// transactions, and the translation of their failures into catalog errors.
package catalogddb

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/money"
)

// API is the part of the DynamoDB client the Store uses. It has no Scan:
// every read is a key lookup or an index Query.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is the catalog.Repository on one DynamoDB table.
type Store struct {
	client API
	table  string
}

var _ catalog.Repository = (*Store)(nil)

// New returns a Store on table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table}
}

// Index and key attribute names.
const (
	attrPK     = "pk"
	attrSK     = "sk"
	gsi1       = "gsi1"
	attrGSI1PK = "gsi1pk"
	attrGSI1SK = "gsi1sk"
	gsi2       = "gsi2"
	attrGSI2PK = "gsi2pk"
	attrGSI2SK = "gsi2sk"

	// Item types, in the type attribute of every item.
	typeProduct     = "Product"
	typeSKULock     = "SKULock"
	typeReservation = "Reservation"

	productSK     = "PRODUCT"
	skuSK         = "SKU"
	reservationSK = "RESERVATION"
	// sortSep separates the lower-case name from the id in the index sort
	// keys: the ASCII unit separator sorts below any character a name may
	// hold, so the keys sort by (name, id).
	sortSep = "\x1f"
)

// CreateTableInput describes the products table named name: pk/sk keys and
// the sparse indexes gsi1 (category) and gsi2 (name prefix), on demand.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	str := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	keys := func(pk, sk string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(pk), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(sk), KeyType: types.KeyTypeRange},
		}
	}
	index := func(name, pk, sk string) types.GlobalSecondaryIndex {
		return types.GlobalSecondaryIndex{
			IndexName:  aws.String(name),
			KeySchema:  keys(pk, sk),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			str(attrPK), str(attrSK), str(attrGSI1PK), str(attrGSI1SK), str(attrGSI2PK), str(attrGSI2SK),
		},
		KeySchema: keys(attrPK, attrSK),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			index(gsi1, attrGSI1PK, attrGSI1SK),
			index(gsi2, attrGSI2PK, attrGSI2SK),
		},
	}
}

func productPK(id string) string          { return "PRODUCT#" + id }
func skuPK(sku string) string             { return "SKU#" + sku }
func reservationPK(orderID string) string { return "RESERVATION#" + orderID }
func categoryPK(category string) string   { return "CAT#" + category }
func namePK(firstRune string) string      { return "NAME#" + firstRune }

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK: &types.AttributeValueMemberS{Value: pk},
		attrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

func productKey(id string) map[string]types.AttributeValue { return key(productPK(id), productSK) }

func reservationKey(orderID string) map[string]types.AttributeValue {
	return key(reservationPK(orderID), reservationSK)
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func num(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(v)}
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// productRecord is a product item.
type productRecord struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Type        string `dynamodbav:"type"`
	ID          string `dynamodbav:"id"`
	SKU         string `dynamodbav:"sku"`
	Name        string `dynamodbav:"name"`
	Description string `dynamodbav:"description"`
	Category    string `dynamodbav:"category"`
	PriceAmount int64  `dynamodbav:"priceAmount"`
	Currency    string `dynamodbav:"currency"`
	Available   int    `dynamodbav:"available"`
	Reserved    int    `dynamodbav:"reserved"`
	CreatedAt   string `dynamodbav:"createdAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	Version     int64  `dynamodbav:"version"`
	GSI1PK      string `dynamodbav:"gsi1pk"`
	GSI1SK      string `dynamodbav:"gsi1sk"`
	GSI2PK      string `dynamodbav:"gsi2pk"`
	GSI2SK      string `dynamodbav:"gsi2sk"`
}

// skuRecord is the lock item that makes a SKU unique.
type skuRecord struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ProductID string `dynamodbav:"productId"`
}

func toRecord(p catalog.Product) productRecord {
	sortKey := p.SearchName() + sortSep + p.ID()
	first, _ := utf8.DecodeRuneInString(p.SearchName())
	return productRecord{
		PK: productPK(p.ID()), SK: productSK, Type: typeProduct,
		ID: p.ID(), SKU: p.SKU(), Name: p.Name(), Description: p.Description(), Category: p.Category(),
		PriceAmount: p.Price().Amount(), Currency: p.Price().Currency(),
		Available: p.Stock().Available, Reserved: p.Stock().Reserved,
		CreatedAt: formatTime(p.CreatedAt()), UpdatedAt: formatTime(p.UpdatedAt()), Version: p.Version(),
		GSI1PK: categoryPK(p.Category()), GSI1SK: sortKey,
		GSI2PK: namePK(string(first)), GSI2SK: sortKey,
	}
}

func toDomain(r productRecord) (catalog.Product, error) {
	price, err := money.New(r.PriceAmount, r.Currency)
	if err != nil {
		return catalog.Product{}, fmt.Errorf("product %s: price: %w", r.ID, err)
	}
	created, err := parseTime(r.CreatedAt)
	if err != nil {
		return catalog.Product{}, fmt.Errorf("product %s: createdAt: %w", r.ID, err)
	}
	updated, err := parseTime(r.UpdatedAt)
	if err != nil {
		return catalog.Product{}, fmt.Errorf("product %s: updatedAt: %w", r.ID, err)
	}
	return catalog.RehydrateProduct(catalog.ProductState{
		ID: r.ID, SKU: r.SKU, Name: r.Name, Description: r.Description, Category: r.Category,
		Price:     price,
		Stock:     catalog.Stock{Available: r.Available, Reserved: r.Reserved},
		CreatedAt: created, UpdatedAt: updated, Version: r.Version,
	}), nil
}
