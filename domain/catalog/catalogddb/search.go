package catalogddb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/ddbcursor"
)

// searchPlan is the index Query serving one search.
type searchPlan struct {
	index     string
	pkAttr    string
	skAttr    string
	partition string
	prefix    string // lower-case name prefix, possibly empty
}

func planFor(q catalog.Query) searchPlan {
	if q.Category != "" {
		return searchPlan{index: gsi1, pkAttr: attrGSI1PK, skAttr: attrGSI1SK, partition: categoryPK(q.Category), prefix: q.NamePrefix}
	}
	first, _ := utf8.DecodeRuneInString(q.NamePrefix)
	return searchPlan{index: gsi2, pkAttr: attrGSI2PK, skAttr: attrGSI2SK, partition: namePK(string(first)), prefix: q.NamePrefix}
}

// Search queries gsi1 (category, optionally with a name prefix) or gsi2
// (name prefix). It asks for one item more than the page so that the last
// page of a query never comes with a cursor to an empty page; the cursor is
// the key of the last item returned.
func (s *Store) Search(ctx context.Context, q catalog.Query) (catalog.Page, error) {
	if q.Limit < 1 || q.Limit > catalog.MaxLimit {
		return catalog.Page{}, fmt.Errorf("%w: %d", catalog.ErrInvalidLimit, q.Limit)
	}
	plan := planFor(q)
	start, err := plan.decodeCursor(q.Cursor)
	if err != nil {
		return catalog.Page{}, err
	}
	cond := "#pk = :pk"
	names := map[string]string{"#pk": plan.pkAttr}
	values := map[string]types.AttributeValue{":pk": str(plan.partition)}
	if plan.prefix != "" {
		cond += " AND begins_with(#sk, :prefix)"
		names["#sk"] = plan.skAttr
		values[":prefix"] = str(plan.prefix)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(plan.index),
		KeyConditionExpression:    aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ExclusiveStartKey:         start,
		Limit:                     aws.Int32(int32(q.Limit + 1)),
	})
	if err != nil {
		return catalog.Page{}, fmt.Errorf("query %s: %w", plan.index, err)
	}
	items, last := ddbcursor.Trim(out.Items, out.LastEvaluatedKey, q.Limit)
	page := catalog.Page{Items: make([]catalog.Product, 0, len(items))}
	for _, item := range items {
		p, err := unmarshalProduct(item)
		if err != nil {
			return catalog.Page{}, fmt.Errorf("query %s: %w", plan.index, err)
		}
		page.Items = append(page.Items, p)
	}
	if last != nil {
		if page.NextCursor, err = plan.encodeCursor(last); err != nil {
			return catalog.Page{}, err
		}
	}
	return page, nil
}

// encodeCursor encodes the index key of item (table and index keys).
func (p searchPlan) encodeCursor(item map[string]types.AttributeValue) (string, error) {
	return ddbcursor.Encode(item, attrPK, attrSK, p.pkAttr, p.skAttr)
}

// decodeCursor returns the ExclusiveStartKey of cursor, checking that it is
// the key of a product item in this query's partition and prefix.
func (p searchPlan) decodeCursor(cursor string) (map[string]types.AttributeValue, error) {
	start, err := ddbcursor.Decode(cursor, func(key map[string]string) error {
		if len(key) != 4 {
			return errors.New("not a key of this index")
		}
		if key[p.pkAttr] != p.partition {
			return errors.New("from another search")
		}
		sortKey := key[p.skAttr]
		i := strings.LastIndex(sortKey, sortSep)
		if i < 0 || !strings.HasPrefix(sortKey, p.prefix) {
			return errors.New("from another search")
		}
		id := sortKey[i+len(sortSep):]
		if !catalog.ValidID(id) || key[attrPK] != productPK(id) || key[attrSK] != productSK {
			return errors.New("not a product key")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", catalog.ErrInvalidCursor, err)
	}
	return start, nil
}
