package dashboardddb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/dashboard"
)

// salesRecord is a product's count in one category (or overall); it
// carries gsi2's keys, the units zero-padded so that they sort.
type salesRecord struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	Type      string `dynamodbav:"type"`
	ProductID string `dynamodbav:"productId"`
	Name      string `dynamodbav:"name"`
	Category  string `dynamodbav:"category"`
	Units     int64  `dynamodbav:"units"`
	GSI2PK    string `dynamodbav:"gsi2pk"`
	GSI2SK    string `dynamodbav:"gsi2sk"`
}

func toSalesRecord(s dashboard.ProductSales) salesRecord {
	pk := salesPK(s.Category)
	return salesRecord{
		PK: pk, SK: productPrefix + s.ProductID, Type: typeSales, ProductID: s.ProductID, Name: s.Name,
		Category: s.Category, Units: s.Units, GSI2PK: pk, GSI2SK: fmt.Sprintf(unitsLayout, s.Units) + "#" + s.ProductID,
	}
}

func toSales(r salesRecord) dashboard.ProductSales {
	return dashboard.ProductSales{ProductID: r.ProductID, Name: r.Name, Category: r.Category, Units: r.Units}
}

// TopProducts queries gsi2 in descending units.
func (s *Store) TopProducts(ctx context.Context, category string, limit int) ([]dashboard.ProductSales, error) {
	items, err := s.queryDescending(ctx, gsi2, attrGSI2PK, salesPK(category), limit)
	if err != nil {
		return nil, fmt.Errorf("query top products of %q: %w", category, err)
	}
	top := make([]dashboard.ProductSales, 0, len(items))
	for _, item := range items {
		var rec salesRecord
		if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
			return nil, fmt.Errorf("unmarshal sales of %q: %w", category, err)
		}
		top = append(top, toSales(rec))
	}
	return top, nil
}

// countPuts reads the counts sales change (each sale in its category and
// overall) and returns their puts with the added units, each conditioned
// on the units read (or on not existing).
func (s *Store) countPuts(ctx context.Context, sales []dashboard.ProductSales) ([]types.TransactWriteItem, error) {
	var wanted []dashboard.ProductSales
	for _, sale := range sales {
		overall := sale
		overall.Category = dashboard.AllCategories
		wanted = append(wanted, overall)
		if sale.Category != dashboard.AllCategories {
			wanted = append(wanted, sale)
		}
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	stored, err := s.readCounts(ctx, wanted)
	if err != nil {
		return nil, err
	}
	puts := make([]types.TransactWriteItem, 0, len(wanted))
	for _, w := range wanted {
		rec := toSalesRecord(w)
		put := &types.Put{TableName: &s.table, ConditionExpression: aws.String(attrNotExists)}
		if old, ok := stored[rec.PK+"|"+rec.SK]; ok {
			rec = toSalesRecord(dashboard.ProductSales{ProductID: w.ProductID, Name: w.Name, Category: w.Category, Units: old + w.Units})
			put.ConditionExpression = aws.String("#units = :read")
			put.ExpressionAttributeNames = map[string]string{"#units": "units"}
			put.ExpressionAttributeValues = map[string]types.AttributeValue{":read": num(old)}
		}
		if put.Item, err = attributevalue.MarshalMap(rec); err != nil {
			return nil, fmt.Errorf("marshal sales of %s: %w", w.ProductID, err)
		}
		puts = append(puts, types.TransactWriteItem{Put: put})
	}
	return puts, nil
}

// readCounts returns the stored units of the wanted counts by "pk|sk",
// with strongly consistent BatchGetItem calls, retrying unprocessed keys.
func (s *Store) readCounts(ctx context.Context, wanted []dashboard.ProductSales) (map[string]int64, error) {
	keys := make([]map[string]types.AttributeValue, len(wanted))
	for i, w := range wanted {
		keys[i] = key(salesPK(w.Category), productPrefix+w.ProductID)
	}
	units := make(map[string]int64, len(wanted))
	request := map[string]types.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
	for attempt := 0; len(request) > 0; attempt++ {
		if attempt > 8 {
			return nil, fmt.Errorf("read sales counts: unprocessed keys after %d attempts", attempt)
		}
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt)*20*time.Millisecond); err != nil {
				return nil, err
			}
		}
		out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
		if err != nil {
			return nil, fmt.Errorf("read sales counts: %w", err)
		}
		for _, item := range out.Responses[s.table] {
			var rec salesRecord
			if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
				return nil, fmt.Errorf("unmarshal sales count: %w", err)
			}
			units[rec.PK+"|"+rec.SK] = rec.Units
		}
		request = out.UnprocessedKeys
	}
	return units, nil
}
