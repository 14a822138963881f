package catalogtask_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/catalogtask"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

func newService(t *testing.T, repo catalog.Repository) (*catalog.Service, string) {
	t.Helper()
	svc := catalog.NewService(repo, time.Now, uuid.NewString)
	p, err := svc.Create(context.Background(), catalog.NewProductParams{SKU: "LAMP-1", Name: "Lamp", Category: "home", PriceAmount: 1000, Currency: "USD", InitialStock: 3})
	if err != nil {
		t.Fatal(err)
	}
	return svc, p.ID()
}

func errorType(err error) string {
	var ive messages.InvokeResponse_Error
	if errors.As(err, &ive) {
		return ive.Type
	}
	return ""
}

func TestReserveAndRelease(t *testing.T) {
	t.Parallel()
	svc, id := newService(t, catalogtest.NewRepository())
	reserve, release := catalogtask.Reserve(svc), catalogtask.Release(svc)
	ctx := context.Background()
	lines := []catalogtask.Line{{ProductID: id, Quantity: 2}}

	got, err := reserve(ctx, catalogtask.ReserveInput{OrderID: "o-1", CorrelationID: "c-1", Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	want := catalogtask.Output{OrderID: "o-1", Status: "RESERVED", Lines: lines}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("reserve (-want +got):\n%s", diff)
	}
	again, err := reserve(ctx, catalogtask.ReserveInput{OrderID: "o-1", Lines: lines})
	if err != nil || !cmp.Equal(want, again) {
		t.Fatalf("replayed reserve = %+v, %v", again, err)
	}
	p, _ := svc.Get(ctx, id)
	if p.Stock().Available != 1 || p.Stock().Reserved != 2 {
		t.Fatalf("stock after a replayed reserve = %+v, want 1 available, 2 reserved", p.Stock())
	}

	rel, err := release(ctx, catalogtask.ReleaseInput{OrderID: "o-1"})
	if err != nil || rel.Status != "RELEASED" {
		t.Fatalf("release = %+v, %v", rel, err)
	}
	if _, err := release(ctx, catalogtask.ReleaseInput{OrderID: "o-1"}); err != nil {
		t.Fatalf("replayed release: %v", err)
	}
	p, _ = svc.Get(ctx, id)
	if p.Stock().Available != 3 || p.Stock().Reserved != 0 {
		t.Fatalf("stock after release = %+v, want all 3 available", p.Stock())
	}
}

func TestReserveBusinessErrorsAreOutOfStock(t *testing.T) {
	t.Parallel()
	svc, id := newService(t, catalogtest.NewRepository())
	reserve, release := catalogtask.Reserve(svc), catalogtask.Release(svc)
	ctx := context.Background()
	if _, err := release(ctx, catalogtask.ReleaseInput{OrderID: "late"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   catalogtask.ReserveInput
	}{
		{"more than in stock", catalogtask.ReserveInput{OrderID: "o-2", Lines: []catalogtask.Line{{ProductID: id, Quantity: 4}}}},
		{"unknown product", catalogtask.ReserveInput{OrderID: "o-3", Lines: []catalogtask.Line{{ProductID: "nope", Quantity: 1}}}},
		{"no lines", catalogtask.ReserveInput{OrderID: "o-4"}},
		{"zero quantity", catalogtask.ReserveInput{OrderID: "o-5", Lines: []catalogtask.Line{{ProductID: id, Quantity: 0}}}},
		{"released before reserved", catalogtask.ReserveInput{OrderID: "late", Lines: []catalogtask.Line{{ProductID: id, Quantity: 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reserve(ctx, tt.in)
			if got := errorType(err); got != sagatask.ErrOutOfStock {
				t.Fatalf("error %v of type %q, want %s", err, got, sagatask.ErrOutOfStock)
			}
		})
	}
}

// failingRepo fails every call, as a throttled table would.
type failingRepo struct{ catalog.Repository }

func (failingRepo) GetReservation(context.Context, string) (catalog.Reservation, error) {
	return catalog.Reservation{}, errors.New("throttled")
}

func (failingRepo) Reserve(context.Context, catalog.Reservation) error {
	return errors.New("throttled")
}

func TestInfrastructureFailuresAreTransient(t *testing.T) {
	t.Parallel()
	svc, id := newService(t, failingRepo{catalogtest.NewRepository()})
	_, err := catalogtask.Reserve(svc)(context.Background(), catalogtask.ReserveInput{OrderID: "o-9", Lines: []catalogtask.Line{{ProductID: id, Quantity: 1}}})
	if got := errorType(err); got != sagatask.ErrTransient {
		t.Fatalf("reserve error %v of type %q, want %s", err, got, sagatask.ErrTransient)
	}
	_, err = catalogtask.Release(svc)(context.Background(), catalogtask.ReleaseInput{OrderID: "o-9"})
	if got := errorType(err); got != sagatask.ErrTransient {
		t.Fatalf("release error %v of type %q, want %s", err, got, sagatask.ErrTransient)
	}
}
