package dashboardddb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/dashboard"
)

// profileRecord is the profile replica item; occurredAt is in unix nanos
// so that the newer-wins condition compares numbers.
type profileRecord struct {
	PK         string   `dynamodbav:"pk"`
	SK         string   `dynamodbav:"sk"`
	Type       string   `dynamodbav:"type"`
	UserID     string   `dynamodbav:"userId"`
	Name       string   `dynamodbav:"name"`
	Categories []string `dynamodbav:"categories"`
	OccurredAt int64    `dynamodbav:"occurredAt"`
	EventID    string   `dynamodbav:"eventId"`
}

func toProfileRecord(p dashboard.Profile) profileRecord {
	categories := p.Categories
	if categories == nil {
		categories = []string{}
	}
	return profileRecord{
		PK: userPK(p.UserID), SK: profileSK, Type: typeProfile, UserID: p.UserID, Name: p.Name,
		Categories: categories, OccurredAt: p.OccurredAt.UnixNano(), EventID: p.EventID,
	}
}

func toProfile(r profileRecord) dashboard.Profile {
	var categories []string
	if len(r.Categories) > 0 {
		categories = slices.Clone(r.Categories)
	}
	return dashboard.Profile{
		UserID: r.UserID, Name: r.Name, Categories: categories,
		OccurredAt: time.Unix(0, r.OccurredAt).UTC(), EventID: r.EventID,
	}
}

// Profile reads the replica item (eventually consistent: a dashboard may
// lag an event by a moment).
func (s *Store) Profile(ctx context.Context, userID string) (dashboard.Profile, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(userPK(userID), profileSK)})
	if err != nil {
		return dashboard.Profile{}, fmt.Errorf("get profile %s: %w", userID, err)
	}
	if len(out.Item) == 0 {
		return dashboard.Profile{}, fmt.Errorf("profile %s: %w", userID, dashboard.ErrNotFound)
	}
	var rec profileRecord
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return dashboard.Profile{}, fmt.Errorf("unmarshal profile %s: %w", userID, err)
	}
	return toProfile(rec), nil
}

// PutProfile puts the replica item, unless the stored one comes from a
// later event (occurredAt, then eventId), and the event's marker in one
// transaction. A refused replica condition is success; a refused marker
// alone is ErrDuplicateEvent.
func (s *Store) PutProfile(ctx context.Context, p dashboard.Profile) error {
	marker, err := s.markerPut(dashboard.Event{ID: p.EventID, OccurredAt: p.OccurredAt})
	if err != nil {
		return err
	}
	item, err := attributevalue.MarshalMap(toProfileRecord(p))
	if err != nil {
		return fmt.Errorf("marshal profile %s: %w", p.UserID, err)
	}
	put := types.TransactWriteItem{Put: &types.Put{
		TableName:                &s.table,
		Item:                     item,
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR #at < :at OR (#at = :at AND #event < :event)"),
		ExpressionAttributeNames: map[string]string{"#at": "occurredAt", "#event": "eventId"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": num(p.OccurredAt.UnixNano()), ":event": str(p.EventID),
		},
	}}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{marker, put}})
	if codes, ok := cancelled(err); ok && len(codes) == 2 {
		switch {
		case codes[1] == codeConditionFailed:
			return nil
		case codes[0] == codeConditionFailed:
			return fmt.Errorf("put profile %s: %w", p.UserID, dashboard.ErrDuplicateEvent)
		case slices.Contains(codes, codeConflict):
			return fmt.Errorf("put profile %s: %w", p.UserID, dashboard.ErrConflict)
		}
	}
	if err != nil {
		return fmt.Errorf("put profile %s: %w", p.UserID, err)
	}
	return nil
}
