package usersddb_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/domain/users/userstest"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

func newStore(t *testing.T) (*usersddb.Store, *dynamodb.Client, string) {
	t.Helper()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, usersddb.CreateTableInput)
	return usersddb.New(client, table), client, table
}

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	userstest.RunRepositoryContract(t, func(t *testing.T) users.Repository {
		store, _, _ := newStore(t)
		return store
	})
}

// scanAll reads the whole (test) table, to check what the store wrote
// beyond what its methods show.
func scanAll(t *testing.T, client *dynamodb.Client, table string) []map[string]types.AttributeValue {
	t.Helper()
	out, err := client.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out.Items
}

type itemKey struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	UserID string `dynamodbav:"userId"`
}

// TestConcurrentRegistrationWritesOneUser races 20 registrations of one
// email on an empty table: one wins, the others get ErrEmailTaken, and the
// table holds exactly one user item and one email lock naming it.
func TestConcurrentRegistrationWritesOneUser(t *testing.T) {
	t.Parallel()
	const n = 20
	store, client, table := newStore(t)
	ctx := context.Background()
	email := "race-" + uuid.NewString() + "@example.com"
	errs := make([]error, n)
	ids := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		u := userstest.NewUserWithEmail(t, email)
		ids[i] = u.ID()
		wg.Go(func() {
			<-start
			errs[i] = store.Create(ctx, u)
		})
	}
	close(start)
	wg.Wait()

	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = ids[i]
		case err == nil:
			t.Errorf("%s and %s both registered", winner, ids[i])
		case !errors.Is(err, users.ErrEmailTaken):
			t.Errorf("registration %d: err = %v, want ErrEmailTaken", i, err)
		}
	}
	if winner == "" {
		t.Fatal("no registration succeeded")
	}
	var keys []itemKey
	if err := attributevalue.UnmarshalListOfMaps(scanAll(t, client, table), &keys); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	want := map[itemKey]bool{
		{PK: "USER#" + winner, SK: "PROFILE"}:               true,
		{PK: "EMAIL#" + email, SK: "EMAIL", UserID: winner}: true,
	}
	got := map[itemKey]bool{}
	outboxItems := 0
	for _, k := range keys {
		if strings.HasPrefix(k.PK, "OUTBOX#") && k.SK == "OUTBOX" {
			outboxItems++ // the one UserRegistered event, checked in outbox_test.go
			continue
		}
		got[k] = true
	}
	if len(keys) != 3 || outboxItems != 1 {
		t.Errorf("table holds %d items (%d outbox), want the user, its email lock and one event: %+v", len(keys), outboxItems, keys)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

// TestStoredLayout pins the item layout documented in package users, which
// other tools (the CDK app, operators) rely on.
func TestStoredLayout(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	ctx := context.Background()
	u := userstest.NewUser(t)
	if err := store.Create(ctx, u); err != nil {
		t.Fatalf("create: %v", err)
	}
	out, err := client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "USER#" + u.ID()},
			"sk": &types.AttributeValueMemberS{Value: "PROFILE"},
		},
	})
	if err != nil {
		t.Fatalf("get item: %v", err)
	}
	var item map[string]any
	if err := attributevalue.UnmarshalMap(out.Item, &item); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	want := map[string]any{
		"pk": "USER#" + u.ID(), "sk": "PROFILE", "type": "User",
		"id": u.ID(), "email": u.Email(), "name": u.Name(), "passwordHash": u.PasswordHash(),
		"preferences": map[string]any{"notifications": map[string]any{"email": true, "sms": false, "push": false}},
		"createdAt":   "2026-03-01T12:30:45.123456789Z", "updatedAt": "2026-03-01T12:30:45.123456789Z",
		"version": float64(1),
	}
	if diff := cmp.Diff(want, item); diff != "" {
		t.Errorf("user item (-want +got):\n%s", diff)
	}
}

// TestCorruptItem: an item that cannot be decoded is an error, not a zero
// user or ErrNotFound.
func TestCorruptItem(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	ctx := context.Background()
	id := uuid.NewString()
	_, err := client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk":        &types.AttributeValueMemberS{Value: "USER#" + id},
			"sk":        &types.AttributeValueMemberS{Value: "PROFILE"},
			"id":        &types.AttributeValueMemberS{Value: id},
			"createdAt": &types.AttributeValueMemberS{Value: "yesterday"},
		},
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	_, err = store.Get(ctx, id)
	if err == nil || errors.Is(err, users.ErrNotFound) {
		t.Errorf("get corrupt item: err = %v, want a decoding error", err)
	}
}
