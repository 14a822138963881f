// Package usersddb is the DynamoDB adapter of the users context: the
// users.Repository over the `users` table described in package users (a
// user item and an email lock item per account, no index).
package usersddb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/backoff"
	"github.com/goshop-dev/goshop/internal/ddbtx"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/outbox"
)

// API is the part of the DynamoDB client the Store uses.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

const (
	// updateAttempts is how many read-modify-write rounds Update tries
	// before ErrConflict.
	updateAttempts = 5
	// createAttempts bounds the retries of a registration cancelled by a
	// concurrent transaction on the same items (reason TransactionConflict),
	// which says nothing yet about who owns the email.
	createAttempts = 6
	retryBase      = 10 * time.Millisecond
)

// Store is the DynamoDB users.Repository.
type Store struct {
	client API
	table  string
}

var _ users.Repository = (*Store)(nil)

// New returns a Store over table.
func New(client API, table string) *Store {
	return &Store{client: client, table: table}
}

// CreateTableInput describes the users table: on-demand, generic keys pk and
// sk, no index.
func CreateTableInput(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
	}
}

// Create puts the user item and its email lock in one transaction, each
// conditioned on not existing, so no email is ever claimed twice.
func (s *Store) Create(ctx context.Context, u users.User) error {
	userItem, err := attributevalue.MarshalMap(toRecord(u, 1))
	if err != nil {
		return fmt.Errorf("create user %s: marshal: %w", u.ID(), err)
	}
	lockItem, err := attributevalue.MarshalMap(emailLockRecord{
		PK: emailPK(u.Email()), SK: emailSK, Type: typeEmailLock, Email: u.Email(), UserID: u.ID(),
	})
	if err != nil {
		return fmt.Errorf("create user %s: marshal email lock: %w", u.ID(), err)
	}
	event, err := s.event(ctx, uuid.NewString(), u.CreatedAt(), events.UserRegisteredV1{
		UserID: u.ID(), Email: u.Email(), Name: u.Name(), RegisteredAt: u.CreatedAt().UTC(),
	})
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.ID(), err)
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: userItem, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: lockItem, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		event,
	}}
	for attempt := 1; ; attempt++ {
		_, err := s.client.TransactWriteItems(ctx, in)
		if err == nil {
			return nil
		}
		reasons, ok := ddbtx.Reasons(err)
		if !ok {
			return fmt.Errorf("create user %s: %w", u.ID(), err)
		}
		conflict := ddbtx.ReasonIs(reasons, 0, ddbtx.TransactionConflict) || ddbtx.ReasonIs(reasons, 1, ddbtx.TransactionConflict)
		switch {
		case ddbtx.ReasonIs(reasons, 1, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create user %s: %w", u.ID(), users.ErrEmailTaken)
		case ddbtx.ReasonIs(reasons, 0, ddbtx.ConditionalCheckFailed):
			return fmt.Errorf("create user %s: id exists: %w", u.ID(), users.ErrConflict)
		case conflict && attempt < createAttempts:
			if err := pause(ctx, attempt); err != nil {
				return fmt.Errorf("create user %s: %w", u.ID(), err)
			}
		case conflict:
			return fmt.Errorf("create user %s: %w", u.ID(), users.ErrConflict)
		default:
			return fmt.Errorf("create user %s: %w", u.ID(), err)
		}
	}
}

// pause waits a jittered, growing delay before retry number attempt+1:
// between half and one and a half times retryBase<<(attempt-1).
func pause(ctx context.Context, attempt int) error {
	d := retryBase << (attempt - 1)
	return backoff.Sleep(ctx, d/2+rand.N(d))
}

// Get reads the user item, strongly consistent.
func (s *Store) Get(ctx context.Context, id string) (users.User, error) {
	u, _, err := s.get(ctx, id)
	if err != nil {
		return users.User{}, fmt.Errorf("get user %s: %w", id, err)
	}
	return u, nil
}

func (s *Store) get(ctx context.Context, id string) (users.User, int64, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(userPK(id), userSK),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return users.User{}, 0, err
	}
	if out.Item == nil {
		return users.User{}, 0, users.ErrNotFound
	}
	var rec userRecord
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil {
		return users.User{}, 0, fmt.Errorf("unmarshal: %w", err)
	}
	u, err := toDomain(rec)
	if err != nil {
		return users.User{}, 0, err
	}
	return u, rec.Version, nil
}

// GetByEmail reads the email lock, then the user it names, both strongly
// consistent.
func (s *Store) GetByEmail(ctx context.Context, email string) (users.User, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(emailPK(email), emailSK),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return users.User{}, fmt.Errorf("get email lock: %w", err)
	}
	if out.Item == nil {
		return users.User{}, users.ErrNotFound
	}
	var lock emailLockRecord
	if err := attributevalue.UnmarshalMap(out.Item, &lock); err != nil {
		return users.User{}, fmt.Errorf("get email lock: unmarshal: %w", err)
	}
	u, err := s.Get(ctx, lock.UserID)
	if err != nil {
		return users.User{}, err
	}
	return u, nil
}

// Update reads the user, applies fn and puts the result on condition that
// the version is still the one read; a lost race starts over from the read,
// up to updateAttempts times, then gives users.ErrConflict.
func (s *Store) Update(ctx context.Context, id string, fn func(*users.User) error) error {
	for attempt := 1; attempt <= updateAttempts; attempt++ {
		before, version, err := s.get(ctx, id)
		if err != nil {
			return fmt.Errorf("update user %s: %w", id, err)
		}
		after := before
		if err := fn(&after); err != nil {
			return err
		}
		if after.ID() != before.ID() || after.Email() != before.Email() {
			return fmt.Errorf("update user %s: the id and email cannot change", id)
		}
		item, err := attributevalue.MarshalMap(toRecord(after, version+1))
		if err != nil {
			return fmt.Errorf("update user %s: marshal: %w", id, err)
		}
		// The event id follows from the user and the version written, so a
		// retried write cannot announce the same change twice.
		event, err := s.event(ctx, uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprintf("%s/UserUpdated/%d", id, version+1))).String(),
			after.UpdatedAt(), events.UserUpdatedV1{
				UserID: after.ID(), Name: after.Name(), Categories: after.Preferences().Categories(), UpdatedAt: after.UpdatedAt().UTC(),
			})
		if err != nil {
			return fmt.Errorf("update user %s: %w", id, err)
		}
		_, err = s.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{
				TableName:                 aws.String(s.table),
				Item:                      item,
				ConditionExpression:       aws.String("attribute_exists(pk) AND version = :v"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: fmt.Sprint(version)}},
			}},
			event,
		}})
		if err == nil {
			return nil
		}
		if !lostRace(err) {
			return fmt.Errorf("update user %s: %w", id, err)
		}
		if attempt < updateAttempts {
			if err := pause(ctx, attempt); err != nil {
				return fmt.Errorf("update user %s: %w", id, err)
			}
		}
	}
	return fmt.Errorf("update user %s: %w", id, users.ErrConflict)
}

// lostRace reports whether a conditional write failed because another
// writer got there first.
func lostRace(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	var tc *types.TransactionConflictException
	if reasons, ok := ddbtx.Reasons(err); ok &&
		(ddbtx.AnyReason(reasons, ddbtx.ConditionalCheckFailed) || ddbtx.AnyReason(reasons, ddbtx.TransactionConflict)) {
		return true
	}
	return errors.As(err, &ccf) || errors.As(err, &tc)
}

// event is the outbox item announcing a change to a user, committed in the
// same transaction as the change.
func (s *Store) event(ctx context.Context, id string, at time.Time, data events.Event) (types.TransactWriteItem, error) {
	env, err := events.New(events.Meta{ID: id, OccurredAt: at, CorrelationID: logging.IDsFrom(ctx).CorrelationID}, data)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return outbox.Put(s.table, env)
}
