package cart_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
)

func newService(t *testing.T, products ...cart.ProductInfo) (*cart.Service, *carttest.Catalog) {
	t.Helper()
	catalog := carttest.NewCatalog(products...)
	return cart.NewService(carttest.NewRepository(), catalog, func() time.Time { return t0 }), catalog
}

func TestServicePutItem(t *testing.T) {
	t.Parallel()
	errCatalog := errors.New("catalog down")
	tests := []struct {
		name      string
		user      string
		productID string
		qty       int
		failWith  error
		want      error
	}{
		{"ok", "u-1", "p", 2, nil, nil},
		{"no user", "", "p", 2, nil, cart.ErrInvalidUserID},
		{"bad product id", "u-1", "p/1", 2, nil, cart.ErrInvalidProductID},
		{"quantity zero", "u-1", "p", 0, nil, cart.ErrInvalidQuantity},
		{"quantity 100", "u-1", "p", 100, nil, cart.ErrInvalidQuantity},
		{"unknown product", "u-1", "nope", 1, nil, cart.ErrProductNotFound},
		{"catalog failure", "u-1", "p", 1, errCatalog, errCatalog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, catalog := newService(t, carttest.Product("p", 100, 5))
			catalog.Fail(tt.failWith)
			c, err := svc.PutItem(context.Background(), tt.user, tt.productID, tt.qty)
			if !errors.Is(err, tt.want) {
				t.Fatalf("PutItem error = %v, want %v", err, tt.want)
			}
			if tt.want == nil && (len(c.Items()) != 1 || c.Items()[0].Quantity() != tt.qty) {
				t.Fatalf("PutItem cart = %+v", carttest.View(c))
			}
			if tt.want != nil && c != nil {
				t.Fatalf("PutItem returned a cart with error %v", err)
			}
		})
	}
}

func TestServicePutItemStock(t *testing.T) {
	t.Parallel()
	svc, _ := newService(t, carttest.Product("p", 100, 3))
	_, err := svc.PutItem(context.Background(), "u-1", "p", 4)
	var stock *cart.InsufficientStockError
	if !errors.As(err, &stock) || stock.Available != 3 {
		t.Fatalf("PutItem error = %v, want InsufficientStockError with 3 available", err)
	}
}

func TestServiceSaveMoveRemove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, catalog := newService(t, carttest.Product("p", 100, 3), carttest.Product("q", 200, 3))
	if _, err := svc.PutItem(ctx, "u-1", "p", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveForLater(ctx, "u-1", "q"); !errors.Is(err, cart.ErrItemNotFound) {
		t.Fatalf("SaveForLater of absent item error = %v, want ErrItemNotFound", err)
	}
	c, err := svc.SaveForLater(ctx, "u-1", "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Saved()) != 1 || len(c.Items()) != 0 {
		t.Fatalf("after save cart = %+v", carttest.View(c))
	}
	// Not saved wins over unknown to the catalog.
	if _, err := svc.MoveToCart(ctx, "u-1", "gone"); !errors.Is(err, cart.ErrItemNotFound) {
		t.Fatalf("MoveToCart of unsaved product error = %v, want ErrItemNotFound", err)
	}
	catalog.Delete("p")
	if _, err := svc.MoveToCart(ctx, "u-1", "p"); !errors.Is(err, cart.ErrProductNotFound) {
		t.Fatalf("MoveToCart of deleted product error = %v, want ErrProductNotFound", err)
	}
	catalog.Set(carttest.Product("p", 150, 1))
	c, err = svc.MoveToCart(ctx, "u-1", "p")
	if err != nil {
		t.Fatal(err)
	}
	want := carttest.CartView{UserID: "u-1", Saved: []carttest.SavedView{}, Items: []carttest.ItemView{
		{ProductID: "p", Name: "Product p", Amount: 150, Currency: "USD", Quantity: 1, AddedAt: t0, UpdatedAt: t0},
	}}
	if diff := cmp.Diff(want, carttest.View(c)); diff != "" {
		t.Fatalf("after move (-want +got):\n%s", diff)
	}
	for range 2 {
		if err := svc.RemoveItem(ctx, "u-1", "p"); err != nil {
			t.Fatalf("RemoveItem: %v", err)
		}
		if err := svc.RemoveSaved(ctx, "u-1", "p"); err != nil {
			t.Fatalf("RemoveSaved: %v", err)
		}
	}
	if err := svc.RemoveItem(ctx, "u-1", "a b"); !errors.Is(err, cart.ErrInvalidProductID) {
		t.Fatalf("RemoveItem of bad id error = %v, want ErrInvalidProductID", err)
	}
	c, err = svc.Get(ctx, "u-1")
	if err != nil || len(c.Items())+len(c.Saved()) != 0 {
		t.Fatalf("Get = %+v, %v; want an empty cart", c, err)
	}
	if _, err := svc.Get(ctx, ""); !errors.Is(err, cart.ErrInvalidUserID) {
		t.Fatalf("Get without user error = %v, want ErrInvalidUserID", err)
	}
}
