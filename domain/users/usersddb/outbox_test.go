package usersddb_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/userstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/logging"
)

func TestChangesPublishThroughTheOutbox(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-7"})
	u := userstest.NewUser(t)
	if err := store.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	name := "Grace Hopper"
	if err := store.Update(ctx, u.ID(), func(x *users.User) error {
		return x.ChangeProfile(users.ProfileChange{Name: &name}, u.UpdatedAt())
	}); err != nil {
		t.Fatal(err)
	}

	var items []struct {
		Type   string `dynamodbav:"type"`
		Detail string `dynamodbav:"detail"`
	}
	if err := attributevalue.UnmarshalListOfMaps(scanAll(t, client, table), &items); err != nil {
		t.Fatal(err)
	}
	got := map[string]events.Envelope{}
	for _, it := range items {
		if it.Type != "Outbox" {
			continue
		}
		var env events.Envelope
		if err := json.Unmarshal([]byte(it.Detail), &env); err != nil {
			t.Fatal(err)
		}
		if env.CorrelationID != "corr-7" || env.Producer != events.ProducerUsers {
			t.Errorf("envelope %+v", env)
		}
		got[env.Type] = env
	}
	if len(got) != 2 {
		t.Fatalf("outbox events %v, want UserRegistered and UserUpdated", got)
	}
	registered, err := events.Decode[events.UserRegisteredV1](got[events.TypeUserRegistered])
	if err != nil {
		t.Fatal(err)
	}
	if registered.UserID != u.ID() || registered.Email != u.Email() || registered.Name != u.Name() {
		t.Errorf("UserRegistered = %+v", registered)
	}
	updated, err := events.Decode[events.UserUpdatedV1](got[events.TypeUserUpdated])
	if err != nil {
		t.Fatal(err)
	}
	want := events.UserUpdatedV1{UserID: u.ID(), Name: name, Categories: u.Preferences().Categories(), UpdatedAt: updated.UpdatedAt}
	if diff := cmp.Diff(want, updated, cmp.Comparer(func(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) })); diff != "" {
		t.Errorf("UserUpdated (-want +got):\n%s", diff)
	}
}
