// Package paymentstest holds the in-memory fake of payments.Repository and
// the contract suite that the fake and the DynamoDB adapter both pass.
package paymentstest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/goshop-dev/goshop/domain/payments"
)

// Repository is an in-memory payments.Repository, safe for concurrent use,
// with the semantics of the DynamoDB adapter: conditional create, optimistic
// locking on the version, and the event of every status change recorded
// with the change.
type Repository struct {
	mu       sync.Mutex
	payments map[string]payments.Payment
	events   map[string][]payments.Status // by payment id: the status of each event
}

var _ payments.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{payments: map[string]payments.Payment{}, events: map[string][]payments.Status{}}
}

// Create stores p unless its id is taken.
func (r *Repository) Create(_ context.Context, p payments.Payment) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.payments[p.ID()]; ok {
		return fmt.Errorf("create payment %s: %w", p.ID(), payments.ErrExists)
	}
	r.payments[p.ID()] = p
	return nil
}

// Get returns the payment id.
func (r *Repository) Get(_ context.Context, id string) (payments.Payment, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.payments[id]
	if !ok {
		return payments.Payment{}, fmt.Errorf("get payment %s: %w", id, payments.ErrNotFound)
	}
	return p, nil
}

// Update applies fn outside the lock, as the adapter does between its read
// and its conditional write, so concurrent updates really conflict.
func (r *Repository) Update(ctx context.Context, id string, fn func(*payments.Payment) error) error {
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
	if r.payments[id].Version() != read.Version() {
		return fmt.Errorf("update payment %s: %w", id, payments.ErrConflict)
	}
	r.payments[id] = changed
	if changed.Status() != read.Status() {
		r.events[id] = append(r.events[id], changed.Status())
	}
	return nil
}

// Events returns, oldest first, the status of every event recorded for the
// payment id: SUCCEEDED for PaymentSucceeded, FAILED for PaymentFailed,
// REFUNDED for PaymentRefunded.
func (r *Repository) Events(id string) []payments.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events[id])
}
