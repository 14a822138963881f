package cart_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
	"github.com/goshop-dev/goshop/domain/money"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newCart(t *testing.T) *cart.Cart {
	t.Helper()
	c, err := cart.NewCart("u-1")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewCartNeedsOwner(t *testing.T) {
	t.Parallel()
	if _, err := cart.NewCart(""); !errors.Is(err, cart.ErrInvalidUserID) {
		t.Fatalf("NewCart(\"\") error = %v, want ErrInvalidUserID", err)
	}
}

func TestValidateProductID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id    string
		valid bool
	}{
		{"p", true},
		{"SKU-123-abc", true},
		{strings.Repeat("a", 64), true},
		{"", false},
		{strings.Repeat("a", 65), false},
		{"a b", false},
		{"a/b", false},
		{"a#b", false},
		{"é", false},
		{"a_b", false},
	}
	for _, tt := range tests {
		err := cart.ValidateProductID(tt.id)
		if tt.valid != (err == nil) || (err != nil && !errors.Is(err, cart.ErrInvalidProductID)) {
			t.Errorf("ValidateProductID(%q) = %v, want valid %v", tt.id, err, tt.valid)
		}
	}
}

func TestValidateQuantity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q     int
		valid bool
	}{{1, true}, {99, true}, {0, false}, {-1, false}, {100, false}}
	for _, tt := range tests {
		err := cart.ValidateQuantity(tt.q)
		if tt.valid != (err == nil) || (err != nil && !errors.Is(err, cart.ErrInvalidQuantity)) {
			t.Errorf("ValidateQuantity(%d) = %v, want valid %v", tt.q, err, tt.valid)
		}
	}
}

func TestSetItem(t *testing.T) {
	t.Parallel()
	p := carttest.Product("p", 250, 5)
	c := newCart(t)
	if err := c.SetItem(p, 2, t0); err != nil {
		t.Fatal(err)
	}
	// The same quantity and snapshot again change nothing, not even updatedAt.
	if err := c.SetItem(p, 2, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	repriced := p
	repriced.Price = carttest.Money(200, "USD")
	if err := c.SetItem(repriced, 3, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := []carttest.ItemView{{ProductID: "p", Name: "Product p", Amount: 200, Currency: "USD", Quantity: 3, AddedAt: t0, UpdatedAt: t0.Add(2 * time.Hour)}}
	if diff := cmp.Diff(want, carttest.View(c).Items); diff != "" {
		t.Fatalf("items (-want +got):\n%s", diff)
	}
}

func TestSetItemRefusals(t *testing.T) {
	t.Parallel()
	noPrice := cart.ProductInfo{ID: "free", Name: "Free", Available: 5}
	huge := cart.ProductInfo{ID: "huge", Name: "Huge", Price: carttest.Money(math.MaxInt64/2, "USD"), Available: 5}
	tests := []struct {
		name    string
		product cart.ProductInfo
		qty     int
		want    error
	}{
		{"zero quantity", carttest.Product("p", 100, 5), 0, cart.ErrInvalidQuantity},
		{"quantity over max", carttest.Product("p", 100, 500), 100, cart.ErrInvalidQuantity},
		{"bad product id", carttest.Product("a b", 100, 5), 1, cart.ErrInvalidProductID},
		{"overflowing line total", huge, 3, money.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCart(t)
			if err := c.SetItem(tt.product, tt.qty, t0); !errors.Is(err, tt.want) {
				t.Fatalf("SetItem error = %v, want %v", err, tt.want)
			}
			if len(c.Items()) != 0 {
				t.Fatalf("refused item was added: %+v", carttest.View(c))
			}
		})
	}
	t.Run("no price", func(t *testing.T) {
		t.Parallel()
		if err := newCart(t).SetItem(noPrice, 1, t0); err == nil {
			t.Fatal("SetItem of a product without a price succeeded")
		}
	})
}

func TestSetItemStock(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	err := c.SetItem(carttest.Product("p", 100, 3), 4, t0)
	var stock *cart.InsufficientStockError
	if !errors.As(err, &stock) {
		t.Fatalf("SetItem error = %v, want InsufficientStockError", err)
	}
	want := cart.InsufficientStockError{ProductID: "p", Requested: 4, Available: 3}
	if diff := cmp.Diff(want, *stock); diff != "" {
		t.Fatalf("error (-want +got):\n%s", diff)
	}
	if err := c.SetItem(carttest.Product("p", 100, 3), 3, t0); err != nil {
		t.Fatalf("SetItem of all available units: %v", err)
	}
}

func TestItemLimit(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	for i := range cart.MaxItems {
		if err := c.SetItem(carttest.Product(fmt.Sprintf("p%d", i), 100, 5), 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SetItem(carttest.Product("extra", 100, 5), 1, t0); !errors.Is(err, cart.ErrCartFull) {
		t.Fatalf("SetItem past the limit error = %v, want ErrCartFull", err)
	}
	if err := c.SetItem(carttest.Product("p3", 100, 5), 4, t0); err != nil {
		t.Fatalf("quantity change in a full cart: %v", err)
	}
	if got := c.TotalQuantity(); got != cart.MaxItems+3 {
		t.Fatalf("TotalQuantity = %d, want %d", got, cart.MaxItems+3)
	}
}

func TestSaveForLaterAndMoveToCart(t *testing.T) {
	t.Parallel()
	p := carttest.Product("p", 300, 5)
	c := newCart(t)
	if err := c.SaveForLater("p", t0); !errors.Is(err, cart.ErrItemNotFound) {
		t.Fatalf("SaveForLater of absent item error = %v, want ErrItemNotFound", err)
	}
	if err := c.SetItem(p, 4, t0); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveForLater("p", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	want := carttest.CartView{UserID: "u-1", Items: []carttest.ItemView{}, Saved: []carttest.SavedView{
		{ProductID: "p", Name: "Product p", Amount: 300, Currency: "USD", SavedAt: t0.Add(time.Minute)},
	}}
	if diff := cmp.Diff(want, carttest.View(c)); diff != "" {
		t.Fatalf("after save (-want +got):\n%s", diff)
	}

	soldOut := p
	soldOut.Available = 0
	var stock *cart.InsufficientStockError
	if err := c.MoveToCart(soldOut, t0); !errors.As(err, &stock) || stock.Available != 0 || stock.Requested != 1 {
		t.Fatalf("MoveToCart of sold-out product error = %v, want InsufficientStockError 1/0", err)
	}
	if err := c.MoveToCart(carttest.Product("other", 100, 5), t0); !errors.Is(err, cart.ErrItemNotFound) {
		t.Fatalf("MoveToCart of unsaved product error = %v, want ErrItemNotFound", err)
	}
	renamed := p
	renamed.Name, renamed.Price = "New name", carttest.Money(320, "USD")
	if err := c.MoveToCart(renamed, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want = carttest.CartView{UserID: "u-1", Saved: []carttest.SavedView{}, Items: []carttest.ItemView{
		{ProductID: "p", Name: "New name", Amount: 320, Currency: "USD", Quantity: 1, AddedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour)},
	}}
	if diff := cmp.Diff(want, carttest.View(c)); diff != "" {
		t.Fatalf("after move (-want +got):\n%s", diff)
	}
}

func TestSetItemTakesProductOutOfSaved(t *testing.T) {
	t.Parallel()
	p := carttest.Product("p", 300, 5)
	c := newCart(t)
	if err := c.SetItem(p, 1, t0); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveForLater("p", t0); err != nil {
		t.Fatal(err)
	}
	if err := c.SetItem(p, 2, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, saved := c.SavedItem("p"); saved || len(c.Items()) != 1 {
		t.Fatalf("cart = %+v, want p active only", carttest.View(c))
	}
}

func TestMoveToCartIntoFullCart(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	if err := c.SetItem(carttest.Product("saved", 100, 5), 1, t0); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveForLater("saved", t0); err != nil {
		t.Fatal(err)
	}
	for i := range cart.MaxItems {
		if err := c.SetItem(carttest.Product(fmt.Sprintf("p%d", i), 100, 5), 1, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.MoveToCart(carttest.Product("saved", 100, 5), t0); !errors.Is(err, cart.ErrCartFull) {
		t.Fatalf("MoveToCart into full cart error = %v, want ErrCartFull", err)
	}
	if _, ok := c.SavedItem("saved"); !ok {
		t.Fatal("refused move took the item out of the saved list")
	}
}

func TestSavedLimit(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	for i := range cart.MaxSavedItems + 1 {
		id := fmt.Sprintf("s%d", i)
		if err := c.SetItem(carttest.Product(id, 100, 5), 1, t0); err != nil {
			t.Fatal(err)
		}
		err := c.SaveForLater(id, t0)
		if i < cart.MaxSavedItems && err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
		if i == cart.MaxSavedItems && !errors.Is(err, cart.ErrSavedFull) {
			t.Fatalf("save past the limit error = %v, want ErrSavedFull", err)
		}
	}
	if _, ok := c.Item(fmt.Sprintf("s%d", cart.MaxSavedItems)); !ok {
		t.Fatal("refused save removed the active item")
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	if err := c.SetItem(carttest.Product("a", 100, 5), 1, t0); err != nil {
		t.Fatal(err)
	}
	if !c.RemoveItem("a") || c.RemoveItem("a") {
		t.Fatal("RemoveItem should report true once, then false")
	}
	if err := c.SetItem(carttest.Product("b", 100, 5), 1, t0); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveForLater("b", t0); err != nil {
		t.Fatal(err)
	}
	if !c.RemoveSaved("b") || c.RemoveSaved("b") {
		t.Fatal("RemoveSaved should report true once, then false")
	}
	if len(c.Items())+len(c.Saved()) != 0 {
		t.Fatalf("cart = %+v, want empty", carttest.View(c))
	}
}

func TestTotalsAndOrder(t *testing.T) {
	t.Parallel()
	c := newCart(t)
	lines := []struct {
		p   cart.ProductInfo
		qty int
		at  time.Time
	}{
		{cart.ProductInfo{ID: "z", Name: "Z", Price: carttest.Money(1000, "EUR"), Available: 9}, 2, t0},
		{carttest.Product("b", 250, 9), 3, t0.Add(time.Second)},
		{carttest.Product("a", 100, 9), 1, t0.Add(time.Second)},
	}
	for _, l := range lines {
		if err := c.SetItem(l.p, l.qty, l.at); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	for _, it := range c.Items() {
		order = append(order, it.ProductID())
	}
	if diff := cmp.Diff([]string{"z", "a", "b"}, order); diff != "" {
		t.Fatalf("item order (-want +got):\n%s", diff)
	}
	sums, err := c.Subtotals()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range sums {
		got = append(got, m.String())
	}
	if diff := cmp.Diff([]string{"2000 EUR", "850 USD"}, got); diff != "" {
		t.Fatalf("subtotals (-want +got):\n%s", diff)
	}
	if c.TotalQuantity() != 6 {
		t.Fatalf("TotalQuantity = %d, want 6", c.TotalQuantity())
	}
	empty, err := newCart(t).Subtotals()
	if err != nil || len(empty) != 0 {
		t.Fatalf("Subtotals of empty cart = %v, %v; want none", empty, err)
	}
}
