package catalogddb_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogddb"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

func TestStoreContract(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	catalogtest.RunRepositoryContract(t, func(t *testing.T) catalog.Repository {
		return catalogddb.New(client, ddbtest.Table(t, client, catalogddb.CreateTableInput))
	})
}

// conflictingAPI cancels every transaction with a TransactionConflict on
// its last item, as DynamoDB does when another transaction holds the item.
type conflictingAPI struct {
	catalogddb.API // nil: calling anything else panics
	calls          atomic.Int32
}

func (c *conflictingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.calls.Add(1)
	reasons := make([]types.CancellationReason, len(in.TransactItems))
	for i := range reasons {
		reasons[i].Code = aws.String("None")
	}
	reasons[len(reasons)-1].Code = aws.String("TransactionConflict")
	return nil, &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

func TestTransactionConflictsAreRetriedThenErrConflict(t *testing.T) {
	t.Parallel()
	product, err := catalog.NewProduct(uuid.NewString(), catalog.NewProductParams{
		SKU: "SKU-1", Name: "Lamp", Category: "home", PriceAmount: 100, Currency: "USD",
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func(*catalog.Service) error
	}{
		{"reserve", func(svc *catalog.Service) error {
			_, err := svc.Reserve(context.Background(), uuid.NewString(), []catalog.Line{{ProductID: product.ID(), Quantity: 1}})
			return err
		}},
		{"create", func(svc *catalog.Service) error {
			_, err := svc.Create(context.Background(), catalog.NewProductParams{
				SKU: "SKU-2", Name: "Lamp", Category: "home", PriceAmount: 100, Currency: "USD",
			})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := &conflictingAPI{}
			svc := catalog.NewService(catalogddb.New(api, "products"), time.Now, uuid.NewString,
				catalog.WithRetry(4, time.Microsecond, time.Millisecond))
			if err := tt.call(svc); !errors.Is(err, catalog.ErrConflict) {
				t.Errorf("err = %v, want ErrConflict", err)
			}
			if got := api.calls.Load(); got != 4 {
				t.Errorf("%d transactions, want 4 (bounded retries)", got)
			}
		})
	}
}

func TestReleaseConflictIsErrConflict(t *testing.T) {
	t.Parallel()
	r, err := catalog.NewReservation(uuid.NewString(), []catalog.Line{{ProductID: "p1", Quantity: 1}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Release(time.Now()); err != nil {
		t.Fatal(err)
	}
	api := &conflictingAPI{}
	if err := catalogddb.New(api, "products").Release(context.Background(), r); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("release: err = %v, want ErrConflict", err)
	}
}
