// Package notificationsddb is the DynamoDB adapter of notifications: the
// table design documented in package notifications, the event record
// transaction, optimistic locking on messages, and newest-first pages.
package notificationsddb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/internal/ddbtx"
)

// API is the part of the DynamoDB client the Store uses. It has no Scan.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store is the notifications.Repository on one DynamoDB table.
type Store struct {
	client API
	table  string
}

var _ notifications.Repository = (*Store)(nil)

// New returns a Store on table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table}
}

const (
	attrPK = "pk"
	attrSK = "sk"

	typeNotification = "Notification"
	typeEventMarker  = "EventMarker"

	userPrefix  = "USER#"
	notePrefix  = "NOTE#"
	eventPrefix = "EVENT#"
	markerSK    = "EVENT"

	// timeLayout is RFC 3339 with nine fixed fraction digits, so that sort
	// keys sort by time (RFC3339Nano trims trailing zeros).
	timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

	attrNotExists = "attribute_not_exists(pk)"
)

// CreateTableInput describes the notifications table named name: pk/sk
// keys, on demand, no secondary index.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(attrPK), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String(attrSK), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(attrPK), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(attrSK), KeyType: types.KeyTypeRange},
		},
	}
}

func userPK(userID string) string   { return userPrefix + userID }
func eventPK(eventID string) string { return eventPrefix + eventID }

func noteSK(k notifications.Key) string {
	return notePrefix + formatTime(k.CreatedAt) + "#" + k.ID
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatOptional(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

func parseOptional(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// noteRecord is a notification item.
type noteRecord struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Type       string `dynamodbav:"type"`
	ID         string `dynamodbav:"id"`
	UserID     string `dynamodbav:"userId"`
	EventID    string `dynamodbav:"eventId"`
	EventType  string `dynamodbav:"eventType"`
	Channel    string `dynamodbav:"channel"`
	Subject    string `dynamodbav:"subject"`
	Body       string `dynamodbav:"body"`
	Status     string `dynamodbav:"status"`
	Attempts   int    `dynamodbav:"attempts"`
	CreatedAt  string `dynamodbav:"createdAt"`
	LeaseUntil string `dynamodbav:"leaseUntil,omitempty"`
	SentAt     string `dynamodbav:"sentAt,omitempty"`
	Version    int64  `dynamodbav:"version"`
}

// markerRecord is the item that marks an event as recorded; Notes are the
// sort keys of its messages, in the user's partition.
type markerRecord struct {
	PK         string   `dynamodbav:"pk"`
	SK         string   `dynamodbav:"sk"`
	Type       string   `dynamodbav:"type"`
	EventID    string   `dynamodbav:"eventId"`
	UserID     string   `dynamodbav:"userId"`
	Notes      []string `dynamodbav:"notes"`
	RecordedAt string   `dynamodbav:"recordedAt"`
}

func toRecord(m notifications.Message) noteRecord {
	return noteRecord{
		PK: userPK(m.UserID()), SK: noteSK(m.Key()), Type: typeNotification,
		ID: m.ID(), UserID: m.UserID(), EventID: m.EventID(), EventType: m.EventType(),
		Channel: string(m.Channel()), Subject: m.Subject(), Body: m.Body(),
		Status: string(m.Status()), Attempts: m.Attempts(),
		CreatedAt: formatTime(m.CreatedAt()), LeaseUntil: formatOptional(m.LeaseUntil()), SentAt: formatOptional(m.SentAt()),
		Version: m.Version(),
	}
}

func toDomain(r noteRecord) (notifications.Message, error) {
	created, err := time.Parse(time.RFC3339Nano, r.CreatedAt)
	if err != nil {
		return notifications.Message{}, fmt.Errorf("message %s: createdAt: %w", r.ID, err)
	}
	lease, err := parseOptional(r.LeaseUntil)
	if err != nil {
		return notifications.Message{}, fmt.Errorf("message %s: leaseUntil: %w", r.ID, err)
	}
	sent, err := parseOptional(r.SentAt)
	if err != nil {
		return notifications.Message{}, fmt.Errorf("message %s: sentAt: %w", r.ID, err)
	}
	status := notifications.Status(r.Status)
	if status != notifications.StatusPending && status != notifications.StatusSent {
		return notifications.Message{}, fmt.Errorf("message %s: unknown status %q", r.ID, r.Status)
	}
	return notifications.RehydrateMessage(notifications.MessageState{
		ID: r.ID, UserID: r.UserID, EventID: r.EventID, EventType: r.EventType,
		Channel: notifications.Channel(r.Channel), Subject: r.Subject, Body: r.Body,
		Status: status, Attempts: r.Attempts, CreatedAt: created, LeaseUntil: lease, SentAt: sent,
		Version: r.Version,
	}), nil
}

func unmarshalNote(item map[string]types.AttributeValue) (notifications.Message, error) {
	var rec noteRecord
	if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
		return notifications.Message{}, fmt.Errorf("unmarshal message: %w", err)
	}
	return toDomain(rec)
}

// Record puts the event marker and every message in one transaction, each
// conditioned on not existing.
func (s *Store) Record(ctx context.Context, eventID string, msgs []notifications.Message) error {
	if len(msgs) == 0 {
		return fmt.Errorf("record %s: no messages", eventID)
	}
	marker := markerRecord{
		PK: eventPK(eventID), SK: markerSK, Type: typeEventMarker, EventID: eventID,
		UserID: msgs[0].UserID(), RecordedAt: formatTime(msgs[0].CreatedAt()),
	}
	items := make([]types.TransactWriteItem, 0, 1+len(msgs))
	items = append(items, types.TransactWriteItem{}) // the marker, once its notes are known
	for _, m := range msgs {
		if m.EventID() != eventID || m.UserID() != marker.UserID {
			return fmt.Errorf("record %s: message %s belongs to event %s of user %s", eventID, m.ID(), m.EventID(), m.UserID())
		}
		rec := toRecord(m)
		marker.Notes = append(marker.Notes, rec.SK)
		item, err := attributevalue.MarshalMap(rec)
		if err != nil {
			return fmt.Errorf("marshal message %s: %w", m.ID(), err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists),
		}})
	}
	item, err := attributevalue.MarshalMap(marker)
	if err != nil {
		return fmt.Errorf("marshal marker %s: %w", eventID, err)
	}
	items[0] = types.TransactWriteItem{Put: &types.Put{
		TableName: &s.table, Item: item, ConditionExpression: aws.String(attrNotExists),
	}}
	_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if reasons, ok := ddbtx.Reasons(err); ok {
		switch {
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("record %s: %w", eventID, notifications.ErrDuplicateEvent)
		case ddbtx.AnyReason(reasons, ddbtx.TransactionConflict):
			return fmt.Errorf("record %s: %w", eventID, notifications.ErrConflict)
		}
	}
	if err != nil {
		return fmt.Errorf("record %s: %w", eventID, err)
	}
	return nil
}

// EventMessages reads the event's marker, then each message it names,
// strongly consistent.
func (s *Store) EventMessages(ctx context.Context, eventID string) ([]notifications.Message, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: key(eventPK(eventID), markerSK), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("get event %s: %w", eventID, err)
	}
	if len(out.Item) == 0 {
		return nil, fmt.Errorf("event %s: %w", eventID, notifications.ErrNotFound)
	}
	var marker markerRecord
	if err := attributevalue.UnmarshalMap(out.Item, &marker); err != nil {
		return nil, fmt.Errorf("unmarshal event %s: %w", eventID, err)
	}
	msgs := make([]notifications.Message, 0, len(marker.Notes))
	for _, sk := range marker.Notes {
		m, err := s.get(ctx, userPK(marker.UserID), sk)
		if err != nil {
			return nil, fmt.Errorf("event %s: %w", eventID, err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func (s *Store) get(ctx context.Context, pk, sk string) (notifications.Message, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: key(pk, sk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return notifications.Message{}, fmt.Errorf("get %s %s: %w", pk, sk, err)
	}
	if len(out.Item) == 0 {
		return notifications.Message{}, fmt.Errorf("get %s %s: %w", pk, sk, notifications.ErrNotFound)
	}
	return unmarshalNote(out.Item)
}

// Update reads the message, applies fn and puts the result conditioned on
// the version read.
func (s *Store) Update(ctx context.Context, k notifications.Key, fn func(*notifications.Message) error) error {
	m, err := s.get(ctx, userPK(k.UserID), noteSK(k))
	if err != nil {
		return fmt.Errorf("update %s: %w", k.ID, err)
	}
	read := m.Version()
	if err := fn(&m); err != nil {
		return err
	}
	if m.Version() == read {
		return nil
	}
	if noteSK(m.Key()) != noteSK(k) || m.UserID() != k.UserID {
		return fmt.Errorf("update %s: fn changed the key", k.ID)
	}
	item, err := attributevalue.MarshalMap(toRecord(m))
	if err != nil {
		return fmt.Errorf("marshal message %s: %w", k.ID, err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.table,
		Item:                      item,
		ConditionExpression:       aws.String("#version = :read"),
		ExpressionAttributeNames:  map[string]string{"#version": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": &types.AttributeValueMemberN{Value: fmt.Sprint(read)}},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return fmt.Errorf("update %s: version %d is stale: %w", k.ID, read, notifications.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", k.ID, err)
	}
	return nil
}
