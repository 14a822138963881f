// Package orderstest holds test doubles of the orders context: an in-memory
// Repository with the adapter's semantics, fakes of the Catalog and
// SagaStarter ports, and the contract suite every Repository must pass.
package orderstest

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goshop-dev/goshop/domain/orders"
)

// Repository is an in-memory orders.Repository, safe for concurrent use.
// It records the events a DynamoDB adapter would put in its outbox.
type Repository struct {
	mu     sync.Mutex
	orders map[string]orders.Order
	idem   map[string]orders.Idempotency
	names  map[string]orders.UserName
	events []string
	seen   map[string]bool
}

var _ orders.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{
		orders: map[string]orders.Order{}, idem: map[string]orders.Idempotency{},
		names: map[string]orders.UserName{}, seen: map[string]bool{},
	}
}

// Events returns the events recorded so far, as "<type>/<orderId>", in the
// order they were written.
func (r *Repository) Events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

func idemKey(userID, key string) string { return userID + "#" + key }

// Create stores o, idem and OrderCreated, or nothing.
func (r *Repository) Create(_ context.Context, o orders.Order, idem orders.Idempotency) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.idem[idemKey(idem.UserID, idem.Key)]; ok {
		return fmt.Errorf("create order %s: %w", o.ID(), orders.ErrIdempotencyKeyExists)
	}
	if _, ok := r.orders[o.ID()]; ok {
		return fmt.Errorf("create order %s: exists: %w", o.ID(), orders.ErrConflict)
	}
	r.orders[o.ID()] = o
	r.idem[idemKey(idem.UserID, idem.Key)] = idem
	r.record("OrderCreated", o.ID())
	return nil
}

func (r *Repository) record(eventType, orderID string) {
	id := eventType + "/" + orderID
	if r.seen[id] {
		return
	}
	r.seen[id] = true
	r.events = append(r.events, id)
}

// Idempotency returns the record of the user's key.
func (r *Repository) Idempotency(_ context.Context, userID, key string) (orders.Idempotency, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	idem, ok := r.idem[idemKey(userID, key)]
	if !ok {
		return orders.Idempotency{}, orders.ErrIdempotencyNotFound
	}
	return idem, nil
}

// Get returns the order.
func (r *Repository) Get(_ context.Context, id string) (orders.Order, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.orders[id]
	if !ok {
		return orders.Order{}, fmt.Errorf("get order %s: %w", id, orders.ErrNotFound)
	}
	return o, nil
}

// Update applies fn to a copy of the order and stores it if its version is
// unchanged meanwhile; fn runs without the lock, like a read-modify-write
// against the table.
func (r *Repository) Update(ctx context.Context, id string, fn func(*orders.Order) error) error {
	o, err := r.Get(ctx, id)
	if err != nil {
		return err
	}
	read := o.Version()
	before := o.Status()
	if err := fn(&o); err != nil {
		return err
	}
	if o.Version() == read {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.orders[id].Version() != read {
		return fmt.Errorf("update order %s: %w", id, orders.ErrConflict)
	}
	r.orders[id] = o
	if o.Status() != before {
		switch o.Status() {
		case orders.StatusConfirmed:
			r.record("OrderConfirmed", id)
		case orders.StatusCancelled:
			r.record("OrderCancelled", id)
		case orders.StatusShipped:
			r.record("OrderShipped", id)
		}
	}
	return nil
}

// ListByUser pages the user's orders newest first; the cursor is the
// base64url of "<userId>|<createdAt>|<id>" of the last order returned.
func (r *Repository) ListByUser(_ context.Context, userID string, limit int, cursor string) (orders.Page, error) {
	if limit < 1 || limit > orders.MaxLimit {
		return orders.Page{}, fmt.Errorf("%w: %d", orders.ErrInvalidLimit, limit)
	}
	r.mu.Lock()
	var all []orders.Order
	for _, o := range r.orders {
		if o.UserID() == userID {
			all = append(all, o)
		}
	}
	r.mu.Unlock()
	slices.SortFunc(all, func(a, b orders.Order) int {
		return -cmp.Or(a.CreatedAt().Compare(b.CreatedAt()), strings.Compare(a.ID(), b.ID()))
	})
	start := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		parts := strings.Split(string(raw), "|")
		if err != nil || len(parts) != 3 || parts[0] != userID || !orders.ValidID(parts[2]) || !validTime(parts[1]) {
			return orders.Page{}, fmt.Errorf("%w: not a cursor of this listing", orders.ErrInvalidCursor)
		}
		start = len(all)
		for i, o := range all {
			if sortKey(o) < parts[1]+"|"+parts[2] {
				start = i
				break
			}
		}
	}
	all = all[start:]
	page := orders.Page{Items: all[:min(limit, len(all))]}
	if len(all) > limit {
		last := page.Items[limit-1]
		page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(userID + "|" + sortKey(last)))
	}
	return page, nil
}

const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func sortKey(o orders.Order) string {
	return o.CreatedAt().UTC().Format(timeLayout) + "|" + o.ID()
}

func validTime(s string) bool {
	_, err := time.Parse(timeLayout, s)
	return err == nil
}

// PutUserName stores n unless a later or equal event is recorded.
func (r *Repository) PutUserName(_ context.Context, n orders.UserName) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.names[n.UserID]
	if ok && !(cur.OccurredAt.Before(n.OccurredAt) || (cur.OccurredAt.Equal(n.OccurredAt) && cur.EventID < n.EventID)) {
		return nil
	}
	r.names[n.UserID] = n
	return nil
}

// UserNames returns the replicated names of ids.
func (r *Repository) UserNames(_ context.Context, ids []string) (map[string]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		if n, ok := r.names[id]; ok {
			out[id] = n.Name
		}
	}
	return out, nil
}

// Catalog is a fake orders.Catalog over a fixed set of products.
type Catalog struct {
	mu       sync.Mutex
	products map[string]orders.CatalogProduct
	Err      error // returned by Lookup when set
}

// NewCatalog returns a Catalog knowing products.
func NewCatalog(products ...orders.CatalogProduct) *Catalog {
	c := &Catalog{products: map[string]orders.CatalogProduct{}}
	for _, p := range products {
		c.products[p.ID] = p
	}
	return c
}

// Lookup returns the known products among ids.
func (c *Catalog) Lookup(_ context.Context, ids []string) ([]orders.CatalogProduct, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Err != nil {
		return nil, c.Err
	}
	var out []orders.CatalogProduct
	for _, id := range ids {
		if p, ok := c.products[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Saga is a fake orders.SagaStarter recording every start.
type Saga struct {
	mu     sync.Mutex
	starts []orders.SagaInput
	Err    error // returned by Start when set
}

// Start records in.
func (s *Saga) Start(_ context.Context, in orders.SagaInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.starts = append(s.starts, in)
	return nil
}

// Starts returns the inputs of every start, in order.
func (s *Saga) Starts() []orders.SagaInput {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.starts)
}
