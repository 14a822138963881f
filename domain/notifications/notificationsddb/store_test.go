package notificationsddb_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

func newStore(t *testing.T) (*notificationsddb.Store, *dynamodb.Client, string) {
	t.Helper()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, notificationsddb.CreateTableInput)
	return notificationsddb.New(client, table), client, table
}

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, notificationsddb.CreateTableInput)
	// Every subtest uses its own user and event ids, so one table serves all.
	notificationstest.RunRepositoryContract(t, func(*testing.T) notifications.Repository {
		return notificationsddb.New(client, table)
	})
}

// TestStoredLayout pins the item layout documented in package
// notifications: the marker and the message items a notice writes.
func TestStoredLayout(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	ctx := context.Background()
	user, event, msgID := "u-"+uuid.NewString()[:8], uuid.NewString(), "m-1"
	at := time.Date(2026, 3, 1, 12, 0, 0, 500_000_000, time.UTC)
	sender := notificationssandbox.New(nil)
	svc := notifications.NewService(store, sender.Channels(), func() time.Time { return at }, func() string { return msgID })
	if err := svc.Notify(ctx, event, notifications.OrderCreated{OrderID: "o-1", UserID: user, Items: 1}); err == nil {
		t.Fatal("notice without a total was accepted")
	}
	if err := svc.Notify(ctx, event, notifications.UserRegistered{UserID: user, Name: "Ada"}); err != nil {
		t.Fatalf("notify: %v", err)
	}
	out, err := client.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &got); err != nil {
		t.Fatal(err)
	}
	sk := "NOTE#2026-03-01T12:00:00.500000000Z#m-1"
	want := []map[string]any{
		{
			"pk": "EVENT#" + event, "sk": "EVENT", "type": "EventMarker", "eventId": event, "userId": user,
			"notes": []any{sk}, "recordedAt": "2026-03-01T12:00:00.500000000Z",
		},
		{
			"pk": "USER#" + user, "sk": sk, "type": "Notification", "id": "m-1", "userId": user,
			"eventId": event, "eventType": "UserRegistered", "channel": "email",
			"subject": "Welcome to goshop", "body": "Hi Ada, your goshop account is ready. Happy shopping!",
			"status": "SENT", "attempts": float64(1), "createdAt": "2026-03-01T12:00:00.500000000Z",
			"sentAt": "2026-03-01T12:00:00.500000000Z", "version": float64(2),
		},
	}
	byPK := func(items []map[string]any) map[any]map[string]any {
		m := map[any]map[string]any{}
		for _, it := range items {
			m[it["pk"]] = it
		}
		return m
	}
	if diff := cmp.Diff(byPK(want), byPK(got)); diff != "" || len(got) != 2 {
		t.Errorf("table holds %d items (-want +got):\n%s", len(got), diff)
	}
}

func TestCreateTableInput(t *testing.T) {
	t.Parallel()
	in := notificationsddb.CreateTableInput("notifications")
	if aws.ToString(in.TableName) != "notifications" || len(in.GlobalSecondaryIndexes) != 0 || len(in.KeySchema) != 2 {
		t.Errorf("CreateTableInput = %+v", in)
	}
}
