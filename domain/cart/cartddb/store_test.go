package cartddb_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newStore(t *testing.T) (*cartddb.Store, *dynamodb.Client, string) {
	t.Helper()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, cartddb.CreateTableInput)
	return cartddb.New(client, table), client, table
}

func TestStoreContract(t *testing.T) {
	t.Parallel()
	carttest.RunRepositoryContract(t, func(t *testing.T) cart.Repository {
		store, _, _ := newStore(t)
		return store
	})
}

// tableState reads the raw items of userID's cart: the number of ITEM# and
// SAVED# items and the META counters.
type tableState struct {
	Items, Saved          int
	ItemCount, SavedCount int
}

func readTable(t *testing.T, client *dynamodb.Client, table, userID string) tableState {
	t.Helper()
	var st tableState
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "CART#" + userID}},
		ConsistentRead:            aws.Bool(true),
	}
	for {
		out, err := client.Query(context.Background(), in)
		if err != nil {
			t.Fatalf("query %s: %v", table, err)
		}
		for _, item := range out.Items {
			sk := item["sk"].(*types.AttributeValueMemberS).Value
			switch {
			case strings.HasPrefix(sk, "ITEM#"):
				st.Items++
			case strings.HasPrefix(sk, "SAVED#"):
				st.Saved++
			case sk == "META":
				st.ItemCount = intAttr(t, item, "itemCount")
				st.SavedCount = intAttr(t, item, "savedCount")
			default:
				t.Fatalf("unexpected sort key %q", sk)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return st
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func intAttr(t *testing.T, item map[string]types.AttributeValue, name string) int {
	t.Helper()
	n, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("META has no number %s: %v", name, item)
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		t.Fatalf("META %s = %q: %v", name, n.Value, err)
	}
	return v
}

func TestServiceRaceToTheItemLimit(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	const workers = 60
	catalog := carttest.NewCatalog()
	for i := range workers {
		catalog.Set(carttest.Product(fmt.Sprintf("p-%d", i), 100, 10))
	}
	svc := cart.NewService(store, catalog, func() time.Time { return now })
	user := "u-" + uuid.NewString()

	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() { _, errs[i] = svc.PutItem(context.Background(), user, fmt.Sprintf("p-%d", i), 1) })
	}
	wg.Wait()
	added, full := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			added++
		case errors.Is(err, cart.ErrCartFull):
			full++
		default:
			t.Errorf("worker %d: %v", i, err)
		}
	}
	if added != cart.MaxItems || full != workers-cart.MaxItems {
		t.Fatalf("%d added, %d refused as full; want %d and %d", added, full, cart.MaxItems, workers-cart.MaxItems)
	}
	want := tableState{Items: cart.MaxItems, ItemCount: cart.MaxItems}
	if got := readTable(t, client, table, user); got != want {
		t.Fatalf("table holds %+v, want %+v", got, want)
	}
}

func TestServiceRaceSaveAndMove(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	catalog := carttest.NewCatalog(carttest.Product("flip", 250, 10), carttest.Product("other", 100, 10))
	svc := cart.NewService(store, catalog, func() time.Time { return now })
	user := "u-" + uuid.NewString()
	ctx := context.Background()
	if _, err := svc.PutItem(ctx, user, "other", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutItem(ctx, user, "flip", 3); err != nil {
		t.Fatal(err)
	}

	const workers = 20
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range 4 {
				var err error
				switch w % 4 {
				case 0, 1:
					_, err = svc.SaveForLater(ctx, user, "flip")
				case 2:
					_, err = svc.MoveToCart(ctx, user, "flip")
				case 3:
					_, err = svc.PutItem(ctx, user, "flip", 2)
				}
				if err != nil && !errors.Is(err, cart.ErrItemNotFound) {
					t.Errorf("worker %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := readTable(t, client, table, user)
	if got.Items+got.Saved != 2 || got.Items != got.ItemCount || got.Saved != got.SavedCount {
		t.Fatalf("table holds %+v, want 2 products, each once, and counters that match", got)
	}
}

// conflictingAPI answers every transaction as lost to a concurrent writer.
type conflictingAPI struct {
	reason string
	writes int
}

func (c *conflictingAPI) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &dynamodb.QueryOutput{}, nil
}

func (c *conflictingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.writes++
	reasons := make([]types.CancellationReason, len(in.TransactItems))
	for i := range reasons {
		reasons[i].Code = aws.String("None")
	}
	reasons[0].Code = aws.String(c.reason)
	return nil, &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

func TestUpdateGivesUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		reason      string
		wantErr     error
		wantRetries bool
	}{
		{"ConditionalCheckFailed", cart.ErrConflict, true},
		{"TransactionConflict", cart.ErrConflict, true},
		{"ValidationError", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			t.Parallel()
			api := &conflictingAPI{reason: tt.reason}
			store := cartddb.New(api, "carts")
			err := store.Update(context.Background(), "u-1", func(c *cart.Cart) error {
				return c.SetItem(carttest.Product("p", 100, 5), 1, now)
			})
			var canceled *types.TransactionCanceledException
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("Update error = %v, want %v", err, tt.wantErr)
			case tt.wantErr == nil && (errors.Is(err, cart.ErrConflict) || !errors.As(err, &canceled)):
				t.Fatalf("Update error = %v, want the cancellation itself", err)
			}
			if retried := api.writes > 1; retried != tt.wantRetries {
				t.Fatalf("%d transactions attempted, retries wanted: %v", api.writes, tt.wantRetries)
			}
		})
	}
}

func TestUnchangedCartWritesNothing(t *testing.T) {
	t.Parallel()
	api := &conflictingAPI{reason: "ConditionalCheckFailed"}
	store := cartddb.New(api, "carts")
	err := store.Update(context.Background(), "u-1", func(c *cart.Cart) error {
		c.RemoveItem("absent")
		return nil
	})
	if err != nil || api.writes != 0 {
		t.Fatalf("Update = %v with %d transactions, want nil and none", err, api.writes)
	}
}

// interleavingAPI runs between once, just before the first transaction, to
// play a concurrent request between Update's read and its write.
type interleavingAPI struct {
	*dynamodb.Client
	once    sync.Once
	between func()
}

func (a *interleavingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	a.once.Do(a.between)
	return a.Client.TransactWriteItems(ctx, in, opts...)
}

func TestProductIsNeverActiveAndSaved(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	user := "u-" + uuid.NewString()
	p := carttest.Product("p", 100, 10)
	ctx := context.Background()
	racer := &interleavingAPI{Client: client, between: func() {
		// Another request adds p and saves it for later: when the first
		// write lands, ITEM#p is absent again, as it was read, but SAVED#p
		// is not.
		if err := store.Update(ctx, user, func(c *cart.Cart) error { return c.SetItem(p, 2, now) }); err != nil {
			t.Errorf("concurrent put: %v", err)
		}
		if err := store.Update(ctx, user, func(c *cart.Cart) error { return c.SaveForLater(p.ID, now) }); err != nil {
			t.Errorf("concurrent save: %v", err)
		}
	}}
	if err := cartddb.New(racer, table).Update(ctx, user, func(c *cart.Cart) error { return c.SetItem(p, 5, now) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := tableState{Items: 1, ItemCount: 1}
	if got := readTable(t, client, table, user); got != want {
		t.Fatalf("table holds %+v, want %+v", got, want)
	}
	c, err := store.Get(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if it, ok := c.Item(p.ID); !ok || it.Quantity() != 5 {
		t.Fatalf("item = %+v, %v; want quantity 5", carttest.View(c), ok)
	}
}
