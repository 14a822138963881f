package cart

import (
	"fmt"
	"sort"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// Limits of a cart.
const (
	MinQuantity        = 1
	MaxQuantity        = 99
	MaxItems           = 50
	MaxSavedItems      = 100
	MaxProductIDLength = 64
)

// ValidateProductID returns ErrInvalidProductID unless id is 1 to
// MaxProductIDLength characters of [A-Za-z0-9-].
func ValidateProductID(id string) error {
	if id == "" || len(id) > MaxProductIDLength {
		return fmt.Errorf("%w: must be 1 to %d characters", ErrInvalidProductID, MaxProductIDLength)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%w: only letters, digits and '-' are allowed", ErrInvalidProductID)
		}
	}
	return nil
}

// ValidateQuantity returns ErrInvalidQuantity unless q is in
// MinQuantity..MaxQuantity.
func ValidateQuantity(q int) error {
	if q < MinQuantity || q > MaxQuantity {
		return fmt.Errorf("%w: %d is outside %d..%d", ErrInvalidQuantity, q, MinQuantity, MaxQuantity)
	}
	return nil
}

// Item is an active line of a cart. It is a value: changing a line replaces it.
type Item struct {
	productID string
	name      string
	unitPrice money.Money
	quantity  int
	addedAt   time.Time
	updatedAt time.Time
}

// RehydrateItem rebuilds a stored Item; only adapters call it.
func RehydrateItem(productID, name string, unitPrice money.Money, quantity int, addedAt, updatedAt time.Time) Item {
	return Item{productID: productID, name: name, unitPrice: unitPrice, quantity: quantity, addedAt: addedAt, updatedAt: updatedAt}
}

// ProductID is the catalog id of the product.
func (i Item) ProductID() string { return i.productID }

// Name is the product's name when the quantity was last set.
func (i Item) Name() string { return i.name }

// UnitPrice is the product's price when the quantity was last set.
func (i Item) UnitPrice() money.Money { return i.unitPrice }

// Quantity is the number of units.
func (i Item) Quantity() int { return i.quantity }

// AddedAt is when the product entered the cart.
func (i Item) AddedAt() time.Time { return i.addedAt }

// UpdatedAt is when the line last changed.
func (i Item) UpdatedAt() time.Time { return i.updatedAt }

// LineTotal is the unit price times the quantity.
func (i Item) LineTotal() (money.Money, error) {
	total, err := i.unitPrice.Times(i.quantity)
	if err != nil {
		return money.Money{}, fmt.Errorf("line total of %s: %w", i.productID, err)
	}
	return total, nil
}

// SavedItem is a product kept aside for later, with the snapshot it had in
// the cart.
type SavedItem struct {
	productID string
	name      string
	unitPrice money.Money
	savedAt   time.Time
}

// RehydrateSavedItem rebuilds a stored SavedItem; only adapters call it.
func RehydrateSavedItem(productID, name string, unitPrice money.Money, savedAt time.Time) SavedItem {
	return SavedItem{productID: productID, name: name, unitPrice: unitPrice, savedAt: savedAt}
}

// ProductID is the catalog id of the product.
func (s SavedItem) ProductID() string { return s.productID }

// Name is the product's name when it was last in the cart.
func (s SavedItem) Name() string { return s.name }

// UnitPrice is the product's price when it was last in the cart.
func (s SavedItem) UnitPrice() money.Money { return s.unitPrice }

// SavedAt is when the product was saved for later.
func (s SavedItem) SavedAt() time.Time { return s.savedAt }

// Cart is the cart of one user.
type Cart struct {
	userID string
	items  map[string]Item
	saved  map[string]SavedItem
}

// NewCart returns the empty cart of userID.
func NewCart(userID string) (*Cart, error) {
	if userID == "" {
		return nil, ErrInvalidUserID
	}
	return &Cart{userID: userID, items: map[string]Item{}, saved: map[string]SavedItem{}}, nil
}

// RehydrateCart rebuilds a stored cart; only adapters call it.
func RehydrateCart(userID string, items []Item, saved []SavedItem) *Cart {
	c := &Cart{userID: userID, items: make(map[string]Item, len(items)), saved: make(map[string]SavedItem, len(saved))}
	for _, it := range items {
		c.items[it.productID] = it
	}
	for _, s := range saved {
		c.saved[s.productID] = s
	}
	return c
}

// UserID is the owner of the cart.
func (c *Cart) UserID() string { return c.userID }

// Items returns the active items, oldest first.
func (c *Cart) Items() []Item {
	out := make([]Item, 0, len(c.items))
	for _, it := range c.items {
		out = append(out, it)
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].addedAt.Equal(out[b].addedAt) {
			return out[a].addedAt.Before(out[b].addedAt)
		}
		return out[a].productID < out[b].productID
	})
	return out
}

// Saved returns the saved-for-later items, oldest first.
func (c *Cart) Saved() []SavedItem {
	out := make([]SavedItem, 0, len(c.saved))
	for _, s := range c.saved {
		out = append(out, s)
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].savedAt.Equal(out[b].savedAt) {
			return out[a].savedAt.Before(out[b].savedAt)
		}
		return out[a].productID < out[b].productID
	})
	return out
}

// Item returns the active item of productID.
func (c *Cart) Item(productID string) (Item, bool) {
	it, ok := c.items[productID]
	return it, ok
}

// SavedItem returns the saved item of productID.
func (c *Cart) SavedItem(productID string) (SavedItem, bool) {
	s, ok := c.saved[productID]
	return s, ok
}

// TotalQuantity is the number of units across the active items.
func (c *Cart) TotalQuantity() int {
	n := 0
	for _, it := range c.items {
		n += it.quantity
	}
	return n
}

// Subtotals returns the sum of the line totals per currency, ordered by
// currency code; an empty cart has none.
func (c *Cart) Subtotals() ([]money.Money, error) {
	sums := map[string]money.Money{}
	for _, it := range c.items {
		line, err := it.LineTotal()
		if err != nil {
			return nil, err
		}
		cur := line.Currency()
		if sum, ok := sums[cur]; ok {
			if line, err = sum.Add(line); err != nil {
				return nil, fmt.Errorf("subtotal in %s: %w", cur, err)
			}
		}
		sums[cur] = line
	}
	out := make([]money.Money, 0, len(sums))
	for _, m := range sums {
		out = append(out, m)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Currency() < out[b].Currency() })
	return out, nil
}

// SetItem sets the quantity of product p, taking its name and price as the
// line's snapshot. A product not yet active is added (and leaves the saved
// list if it was there) unless the cart already holds MaxItems items.
// Setting the same quantity and snapshot again changes nothing.
func (c *Cart) SetItem(p ProductInfo, quantity int, now time.Time) error {
	if err := c.checkProduct(p, quantity); err != nil {
		return err
	}
	existing, ok := c.items[p.ID]
	if ok {
		if existing.quantity == quantity && existing.name == p.Name && existing.unitPrice == p.Price {
			return nil
		}
		existing.quantity, existing.name, existing.unitPrice, existing.updatedAt = quantity, p.Name, p.Price, now
		c.items[p.ID] = existing
		delete(c.saved, p.ID)
		return nil
	}
	if len(c.items) >= MaxItems {
		return ErrCartFull
	}
	c.items[p.ID] = Item{productID: p.ID, name: p.Name, unitPrice: p.Price, quantity: quantity, addedAt: now, updatedAt: now}
	delete(c.saved, p.ID)
	return nil
}

// RemoveItem removes the active item of productID, reporting whether there
// was one.
func (c *Cart) RemoveItem(productID string) bool {
	_, ok := c.items[productID]
	delete(c.items, productID)
	return ok
}

// SaveForLater moves the active item of productID to the saved list with its
// snapshot.
func (c *Cart) SaveForLater(productID string, now time.Time) error {
	it, ok := c.items[productID]
	if !ok {
		return fmt.Errorf("%w: %s is not in the cart", ErrItemNotFound, productID)
	}
	if len(c.saved) >= MaxSavedItems {
		return ErrSavedFull
	}
	delete(c.items, productID)
	c.saved[productID] = SavedItem{productID: productID, name: it.name, unitPrice: it.unitPrice, savedAt: now}
	return nil
}

// MoveToCart moves the saved item of p back to the active items with
// quantity 1 and p's current name and price.
func (c *Cart) MoveToCart(p ProductInfo, now time.Time) error {
	if _, ok := c.saved[p.ID]; !ok {
		return fmt.Errorf("%w: %s is not saved for later", ErrItemNotFound, p.ID)
	}
	if err := c.checkProduct(p, MinQuantity); err != nil {
		return err
	}
	if _, ok := c.items[p.ID]; !ok && len(c.items) >= MaxItems {
		return ErrCartFull
	}
	delete(c.saved, p.ID)
	if _, ok := c.items[p.ID]; ok {
		// Only a cart stored before the either-active-or-saved rule could get
		// here; the active line already stands for the product.
		return nil
	}
	c.items[p.ID] = Item{productID: p.ID, name: p.Name, unitPrice: p.Price, quantity: MinQuantity, addedAt: now, updatedAt: now}
	return nil
}

// RemoveSaved removes the saved item of productID, reporting whether there
// was one.
func (c *Cart) RemoveSaved(productID string) bool {
	_, ok := c.saved[productID]
	delete(c.saved, productID)
	return ok
}

func (c *Cart) checkProduct(p ProductInfo, quantity int) error {
	if err := ValidateProductID(p.ID); err != nil {
		return err
	}
	if err := ValidateQuantity(quantity); err != nil {
		return err
	}
	if p.Price.IsZero() {
		return fmt.Errorf("product %s has no price", p.ID)
	}
	if _, err := p.Price.Times(quantity); err != nil {
		return fmt.Errorf("product %s: %w", p.ID, err)
	}
	if quantity > p.Available {
		return &InsufficientStockError{ProductID: p.ID, Requested: quantity, Available: max(p.Available, 0)}
	}
	return nil
}
