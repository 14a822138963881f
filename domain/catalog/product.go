package catalog

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goshop-dev/goshop/domain/money"
)

// Limits of a product's fields.
const (
	// MaxSKULen bounds a SKU, in bytes (a SKU is ASCII).
	MaxSKULen = 40
	// MaxNameRunes bounds a name, in characters.
	MaxNameRunes = 200
	// MaxDescriptionRunes bounds a description, in characters.
	MaxDescriptionRunes = 2000
	// MaxCategoryLen bounds a category slug, in bytes (a slug is ASCII).
	MaxCategoryLen = 50
	// MaxUnits bounds a stock count, so that sums of counts never overflow.
	MaxUnits = 1_000_000_000
)

// Stock is a product's units: Available can still be sold, Reserved are held
// by orders in checkout. Both are >= 0.
type Stock struct {
	Available int
	Reserved  int
}

// Product is an item of the catalog with its stock.
type Product struct {
	id          string
	sku         string
	name        string
	description string
	category    string
	price       money.Money
	stock       Stock
	createdAt   time.Time
	updatedAt   time.Time
	version     int64
}

// NewProductParams are the caller's values for a new product.
type NewProductParams struct {
	SKU          string
	Name         string
	Description  string
	Category     string
	PriceAmount  int64
	Currency     string
	InitialStock int
}

// NewProduct returns product id built from p at now, at version 1. It
// normalizes before validating: the SKU is trimmed and upper-cased, the
// category trimmed and lower-cased, the name and description trimmed.
func NewProduct(id string, p NewProductParams, now time.Time) (Product, error) {
	if !ValidID(id) {
		return Product{}, fmt.Errorf("%w: %q", ErrInvalidProductID, id)
	}
	sku, err := NormalizeSKU(p.SKU)
	if err != nil {
		return Product{}, err
	}
	name := strings.TrimSpace(p.Name)
	if n := utf8.RuneCountInString(name); n == 0 || n > MaxNameRunes || !printable(name, false) {
		return Product{}, fmt.Errorf("%w: must be 1 to %d printable characters", ErrInvalidName, MaxNameRunes)
	}
	desc := strings.TrimSpace(p.Description)
	if utf8.RuneCountInString(desc) > MaxDescriptionRunes || !printable(desc, true) {
		return Product{}, fmt.Errorf("%w: must be at most %d printable characters", ErrInvalidDescription, MaxDescriptionRunes)
	}
	category, err := NormalizeCategory(p.Category)
	if err != nil {
		return Product{}, err
	}
	price, err := newPrice(p.PriceAmount, p.Currency)
	if err != nil {
		return Product{}, err
	}
	if err := validUnits(p.InitialStock); err != nil {
		return Product{}, err
	}
	now = now.UTC()
	return Product{
		id: id, sku: sku, name: name, description: desc, category: category, price: price,
		stock:     Stock{Available: p.InitialStock},
		createdAt: now, updatedAt: now, version: 1,
	}, nil
}

// ProductState is everything a repository stores of a product.
type ProductState struct {
	ID          string
	SKU         string
	Name        string
	Description string
	Category    string
	Price       money.Money
	Stock       Stock
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// RehydrateProduct rebuilds a stored product without validating it again;
// only repositories call it.
func RehydrateProduct(s ProductState) Product {
	return Product{
		id: s.ID, sku: s.SKU, name: s.Name, description: s.Description, category: s.Category,
		price: s.Price, stock: s.Stock, createdAt: s.CreatedAt.UTC(), updatedAt: s.UpdatedAt.UTC(),
		version: s.Version,
	}
}

// ID is the product's id.
func (p Product) ID() string { return p.id }

// SKU is the product's unique stock keeping unit, upper-case.
func (p Product) SKU() string { return p.sku }

// Name is the display name.
func (p Product) Name() string { return p.name }

// SearchName is the name as searches match and sort it: lower-case.
func (p Product) SearchName() string { return strings.ToLower(p.name) }

// Description is the optional long text, possibly empty.
func (p Product) Description() string { return p.description }

// Category is the category slug.
func (p Product) Category() string { return p.category }

// Price is the unit price.
func (p Product) Price() money.Money { return p.price }

// Stock is the available and reserved units.
func (p Product) Stock() Stock { return p.stock }

// CreatedAt is when the product was created.
func (p Product) CreatedAt() time.Time { return p.createdAt }

// UpdatedAt is when the product last changed.
func (p Product) UpdatedAt() time.Time { return p.updatedAt }

// Version counts the product's changes: 1 at creation, incremented by every
// change (including reservations and releases). Repositories use it for
// optimistic locking.
func (p Product) Version() int64 { return p.version }

// SetAvailable sets the units on hand that are available to sell, at now.
// Reserved units are untouched.
func (p *Product) SetAvailable(units int, now time.Time) error {
	if err := validUnits(units); err != nil {
		return err
	}
	p.stock.Available = units
	p.touch(now)
	return nil
}

func (p *Product) touch(now time.Time) {
	p.updatedAt = now.UTC()
	p.version++
}

// NormalizeSKU trims and upper-cases sku and checks it is [A-Z0-9-]{1,40}.
func NormalizeSKU(sku string) (string, error) {
	s := strings.ToUpper(strings.TrimSpace(sku))
	if len(s) == 0 || len(s) > MaxSKULen || !onlyChars(s, func(c byte) bool {
		return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
	}) {
		return "", fmt.Errorf("%w: %q must be 1 to %d of A-Z, 0-9 and -", ErrInvalidSKU, sku, MaxSKULen)
	}
	return s, nil
}

// NormalizeCategory trims and lower-cases category and checks it is a slug
// [a-z0-9-]{1,50}.
func NormalizeCategory(category string) (string, error) {
	c := strings.ToLower(strings.TrimSpace(category))
	if len(c) == 0 || len(c) > MaxCategoryLen || !onlyChars(c, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}) {
		return "", fmt.Errorf("%w: %q must be 1 to %d of a-z, 0-9 and -", ErrInvalidCategory, category, MaxCategoryLen)
	}
	return c, nil
}

// ValidID reports whether id can name a product or an order: 1 to 64 of
// A-Z, a-z, 0-9, - and _. Generated ids (UUIDs, ULIDs) qualify.
func ValidID(id string) bool {
	return len(id) > 0 && len(id) <= 64 && onlyChars(id, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	})
}

func newPrice(amount int64, currency string) (money.Money, error) {
	if amount <= 0 {
		return money.Money{}, fmt.Errorf("%w: amount %d must be positive", ErrInvalidPrice, amount)
	}
	price, err := money.New(amount, currency)
	if err != nil {
		// The amount is positive, so only the currency can be wrong.
		return money.Money{}, fmt.Errorf("%w: %q is not an ISO 4217 code", ErrInvalidCurrency, currency)
	}
	return price, nil
}

func validUnits(units int) error {
	if units < 0 || units > MaxUnits {
		return fmt.Errorf("%w: %d units must be from 0 to %d", ErrInvalidStock, units, MaxUnits)
	}
	return nil
}

func onlyChars(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// printable reports whether s is valid UTF-8 without control characters;
// multiline allows newlines and tabs.
func printable(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}
