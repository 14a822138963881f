// Package catalogtest holds the in-memory fake of catalog.Repository and the
// contract suite that the fake and the DynamoDB adapter both pass.
package catalogtest

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goshop-dev/goshop/domain/catalog"
)

// Repository is an in-memory catalog.Repository, safe for concurrent use,
// with the semantics of the DynamoDB adapter: unique SKUs, optimistic
// locking on the version, all-or-nothing reservations, the same ordering
// and cursor checks in searches.
type Repository struct {
	mu           sync.Mutex
	products     map[string]catalog.Product
	skus         map[string]string
	reservations map[string]catalog.Reservation
}

var _ catalog.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{
		products:     map[string]catalog.Product{},
		skus:         map[string]string{},
		reservations: map[string]catalog.Reservation{},
	}
}

// Create stores p and claims its SKU.
func (r *Repository) Create(_ context.Context, p catalog.Product) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, taken := r.skus[p.SKU()]; taken {
		return fmt.Errorf("create %s: %w", p.SKU(), catalog.ErrSKUTaken)
	}
	if _, exists := r.products[p.ID()]; exists {
		return fmt.Errorf("create %s: product id %s already exists", p.SKU(), p.ID())
	}
	r.products[p.ID()] = p
	r.skus[p.SKU()] = p.ID()
	return nil
}

// Get returns the product id.
func (r *Repository) Get(_ context.Context, id string) (catalog.Product, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.products[id]
	if !ok {
		return catalog.Product{}, fmt.Errorf("get %s: %w", id, catalog.ErrNotFound)
	}
	return p, nil
}

// Update applies fn outside the lock, as the adapter does between its read
// and its conditional write, so concurrent updates really conflict.
func (r *Repository) Update(ctx context.Context, id string, fn func(*catalog.Product) error) error {
	read, err := r.Get(ctx, id)
	if err != nil {
		return err
	}
	changed := read
	if err := fn(&changed); err != nil {
		return err
	}
	if changed.Version() == read.Version() {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.products[id].Version() != read.Version() {
		return fmt.Errorf("update %s: %w", id, catalog.ErrConflict)
	}
	r.products[id] = changed
	return nil
}

// Lookup returns the products among ids in their order.
func (r *Repository) Lookup(_ context.Context, ids []string) ([]catalog.Product, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []catalog.Product{}
	for _, id := range ids {
		if p, ok := r.products[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Search pages through the matching products sorted like the adapter's
// index sort keys.
func (r *Repository) Search(_ context.Context, q catalog.Query) (catalog.Page, error) {
	if q.Limit < 1 || q.Limit > catalog.MaxLimit {
		return catalog.Page{}, fmt.Errorf("%w: %d", catalog.ErrInvalidLimit, q.Limit)
	}
	partition := "CAT#" + q.Category
	if q.Category == "" {
		first, _ := utf8.DecodeRuneInString(q.NamePrefix)
		partition = "NAME#" + string(first)
	}
	after, err := decodeCursor(q.Cursor, partition, q.NamePrefix)
	if err != nil {
		return catalog.Page{}, err
	}
	r.mu.Lock()
	var matches []catalog.Product
	for _, p := range r.products {
		if (q.Category == "" || p.Category() == q.Category) && strings.HasPrefix(p.SearchName(), q.NamePrefix) &&
			sortKey(p) > after {
			matches = append(matches, p)
		}
	}
	r.mu.Unlock()
	slices.SortFunc(matches, func(a, b catalog.Product) int { return cmp.Compare(sortKey(a), sortKey(b)) })
	page := catalog.Page{Items: matches}
	if len(matches) > q.Limit {
		page.Items = matches[:q.Limit]
		page.NextCursor = encodeCursor(partition, sortKey(page.Items[q.Limit-1]))
	}
	return page, nil
}

func sortKey(p catalog.Product) string { return p.SearchName() + "\x1f" + p.ID() }

type cursor struct {
	Partition string `json:"p"`
	After     string `json:"a"`
}

func encodeCursor(partition, after string) string {
	b, _ := json.Marshal(cursor{Partition: partition, After: after})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, partition, prefix string) (string, error) {
	if s == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("%w: not base64url", catalog.ErrInvalidCursor)
	}
	var c cursor
	if err := json.Unmarshal(raw, &c); err != nil || c.Partition != partition || !strings.HasPrefix(c.After, prefix) {
		return "", fmt.Errorf("%w: not a cursor of this search", catalog.ErrInvalidCursor)
	}
	return c.After, nil
}

// GetReservation returns the order's reservation.
func (r *Repository) GetReservation(_ context.Context, orderID string) (catalog.Reservation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.reservations[orderID]
	if !ok {
		return catalog.Reservation{}, fmt.Errorf("get reservation %s: %w", orderID, catalog.ErrReservationNotFound)
	}
	return res, nil
}

// Reserve records res and moves its units, all or nothing.
func (r *Repository) Reserve(_ context.Context, res catalog.Reservation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, exists := r.reservations[res.OrderID()]; exists {
		return fmt.Errorf("reserve %s: %w", res.OrderID(), catalog.ErrReservationExists)
	}
	lines := res.Lines()
	for _, l := range lines {
		if _, ok := r.products[l.ProductID]; !ok {
			return &catalog.ProductNotFoundError{ProductID: l.ProductID}
		}
	}
	for _, l := range lines {
		if have := r.products[l.ProductID].Stock().Available; have < l.Quantity {
			return &catalog.InsufficientStockError{ProductID: l.ProductID, Want: l.Quantity, Have: have}
		}
	}
	for _, l := range lines {
		r.moveUnits(l.ProductID, -l.Quantity, res)
	}
	r.reservations[res.OrderID()] = res
	return nil
}

// Record stores res unless the order has a reservation.
func (r *Repository) Record(_ context.Context, res catalog.Reservation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, exists := r.reservations[res.OrderID()]; exists {
		return fmt.Errorf("record %s: %w", res.OrderID(), catalog.ErrReservationExists)
	}
	r.reservations[res.OrderID()] = res
	return nil
}

// Release stores res and moves its units back if the stored reservation is
// still RESERVED.
func (r *Repository) Release(_ context.Context, res catalog.Reservation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	stored, ok := r.reservations[res.OrderID()]
	if !ok || stored.Status() != catalog.StatusReserved {
		return fmt.Errorf("release %s: %w", res.OrderID(), catalog.ErrConflict)
	}
	for _, l := range stored.Lines() {
		p, ok := r.products[l.ProductID]
		if !ok || p.Stock().Reserved < l.Quantity {
			return fmt.Errorf("release %s: stock of product %s does not hold the reservation", res.OrderID(), l.ProductID)
		}
	}
	for _, l := range stored.Lines() {
		r.moveUnits(l.ProductID, l.Quantity, res)
	}
	r.reservations[res.OrderID()] = res
	return nil
}

// moveUnits adds delta to available and its opposite to reserved, as the
// adapter's update expression does, bumping version and updatedAt.
func (r *Repository) moveUnits(id string, delta int, res catalog.Reservation) {
	p := r.products[id]
	r.products[id] = catalog.RehydrateProduct(catalog.ProductState{
		ID: p.ID(), SKU: p.SKU(), Name: p.Name(), Description: p.Description(), Category: p.Category(),
		Price:     p.Price(),
		Stock:     catalog.Stock{Available: p.Stock().Available + delta, Reserved: p.Stock().Reserved - delta},
		CreatedAt: p.CreatedAt(), UpdatedAt: res.UpdatedAt(), Version: p.Version() + 1,
	})
}
