package catalog

import (
	"context"
	"time"

	"github.com/goshop-dev/goshop/domain/retry"
)

// Repository stores products and reservations. Implementations: the
// DynamoDB adapter (catalogddb) and the in-memory fake (catalogtest), both
// held to catalogtest.RunRepositoryContract.
type Repository interface {
	// Create stores a new product and claims its SKU in one atomic write:
	// ErrSKUTaken when another product holds the SKU, ErrConflict when a
	// concurrent write interfered (nothing was written; retry).
	Create(ctx context.Context, p Product) error
	// Get returns the product, or ErrNotFound.
	Get(ctx context.Context, id string) (Product, error)
	// Update reads the product, applies fn and stores the result only if
	// the product's version is still the one read: ErrNotFound, fn's error,
	// or ErrConflict when another change came first. When fn leaves the
	// version unchanged nothing is written.
	Update(ctx context.Context, id string, fn func(*Product) error) error
	// Search returns one page of the products matching q, sorted by
	// SearchName then id. q is normalized (see Service.Search). A cursor
	// that is malformed or comes from another query is ErrInvalidCursor.
	Search(ctx context.Context, q Query) (Page, error)
	// Lookup returns the products among ids (distinct, valid, at most
	// MaxLookupIDs), in the order of ids; unknown ids are absent.
	Lookup(ctx context.Context, ids []string) ([]Product, error)

	// GetReservation returns the order's reservation, or
	// ErrReservationNotFound.
	GetReservation(ctx context.Context, orderID string) (Reservation, error)
	// Reserve records the RESERVED reservation r and moves each line's
	// units from available to reserved, all or nothing. It fails with
	// ErrReservationExists when the order already has a reservation, then
	// *ProductNotFoundError, *InsufficientStockError (Have: the units
	// available) or ErrConflict, in that order of precedence.
	Reserve(ctx context.Context, r Reservation) error
	// Record stores r (REJECTED or a RELEASED tombstone) unless the order
	// already has a reservation: ErrReservationExists.
	Record(ctx context.Context, r Reservation) error
	// Release stores r, now RELEASED, if the stored reservation is still
	// RESERVED, and moves each line's units from reserved back to
	// available, all or nothing: ErrConflict when the stored reservation is
	// no longer RESERVED or a concurrent write interfered.
	Release(ctx context.Context, r Reservation) error
}

// Service is the catalog's use cases.
type Service struct {
	repo  Repository
	now   func() time.Time
	newID func() string
	retry retry.Policy
}

// Option configures a Service.
type Option func(*Service)

// WithRetry sets how conflicting writes are retried: at most attempts tries
// in all, waiting a random duration up to base*2^n (capped at max) between
// them. The default is 6 attempts, 10ms base, 250ms max.
func WithRetry(attempts int, base, max time.Duration) Option {
	return func(s *Service) {
		s.retry = retry.Policy{Attempts: max1(attempts), Base: base, Max: max}
	}
}

// NewService returns the catalog service over repo, reading time from now
// and naming new products with newID.
func NewService(repo Repository, now func() time.Time, newID func() string, opts ...Option) *Service {
	s := &Service{
		repo: repo, now: now, newID: newID,
		retry: retry.Policy{Attempts: 6, Base: 10 * time.Millisecond, Max: 250 * time.Millisecond},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
