package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/retry"
)

// Idempotency records which order a user's checkout request created under
// an Idempotency-Key, and the hash of that request.
type Idempotency struct {
	UserID      string
	Key         string
	RequestHash string
	OrderID     string
	CreatedAt   time.Time
}

// UserName is the replica of a user's name, as of the event that set it.
type UserName struct {
	UserID     string
	Name       string
	OccurredAt time.Time
	EventID    string
}

// Repository stores orders, checkout idempotency records and the user-name
// replica. Implementations: the DynamoDB adapter (ordersddb) and the
// in-memory fake (orderstest), both held to
// orderstest.RunRepositoryContract.
type Repository interface {
	// Create stores the new order o, the idempotency record idem and the
	// OrderCreated event in one atomic write: ErrIdempotencyKeyExists when
	// the user's key is recorded already, ErrConflict when an order with
	// o's id exists or a concurrent write interfered. Nothing is written on
	// error.
	Create(ctx context.Context, o Order, idem Idempotency) error
	// Idempotency returns the record of the user's key, or
	// ErrIdempotencyNotFound.
	Idempotency(ctx context.Context, userID, key string) (Idempotency, error)
	// Get returns the order, or ErrNotFound.
	Get(ctx context.Context, id string) (Order, error)
	// Update reads the order, applies fn and stores the result only if the
	// order's version is still the one read, together with the event of a
	// status change (OrderConfirmed, OrderCancelled, OrderShipped; the id
	// of each derived from the order id and the event type). It returns
	// ErrNotFound, fn's error, or ErrConflict when another change came
	// first. When fn leaves the version unchanged nothing is written.
	Update(ctx context.Context, id string, fn func(*Order) error) error
	// ListByUser returns one page of the user's orders, newest first
	// (creation time, then id, descending). A cursor that is malformed or
	// from another user's listing is ErrInvalidCursor.
	ListByUser(ctx context.Context, userID string, limit int, cursor string) (Page, error)
	// PutUserName stores n unless the replica holds a name from a later
	// event (OccurredAt, then EventID, greater or equal): that case is not
	// an error, so replays and late events are harmless.
	PutUserName(ctx context.Context, n UserName) error
	// UserNames returns the replicated names of the users among ids
	// (distinct); unknown users are absent.
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
}

// CatalogProduct is what checkout needs of a product: its name and price.
type CatalogProduct struct {
	ID    string
	Name  string
	Price money.Money
}

// Catalog looks products up in the catalog.
type Catalog interface {
	// Lookup returns the products among ids that exist; unknown ids are
	// absent.
	Lookup(ctx context.Context, ids []string) ([]CatalogProduct, error)
}

// SagaLine is a line of the saga's input.
type SagaLine struct {
	ProductID string
	Quantity  int
}

// SagaInput is what the checkout saga starts with.
type SagaInput struct {
	OrderID      string
	UserID       string
	Lines        []SagaLine
	Total        money.Money
	PaymentToken string
}

// SagaStarter starts the checkout saga of an order. Starting it again for
// the same order must succeed without starting a second saga.
type SagaStarter interface {
	Start(ctx context.Context, in SagaInput) error
}

// Service is the orders' use cases.
type Service struct {
	repo    Repository
	catalog Catalog
	saga    SagaStarter
	now     func() time.Time
	newID   func() string
	retry   retry.Policy
}

// Option configures a Service.
type Option func(*Service)

// WithRetry sets how conflicting writes are retried: at most attempts tries
// in all, waiting a random duration up to base*2^n (capped at ceiling) between
// them. The default is 6 attempts, 10ms base, 250ms max.
func WithRetry(attempts int, base, ceiling time.Duration) Option {
	return func(s *Service) {
		s.retry = retry.Policy{Attempts: max(attempts, 1), Base: base, Max: ceiling}
	}
}

// NewService returns the orders service over repo, pricing checkouts with
// catalog, starting sagas with saga, reading time from now and naming new
// orders with newID. catalog and saga may be nil for functions that do not
// check out; Checkout then fails.
func NewService(repo Repository, catalog Catalog, saga SagaStarter, now func() time.Time, newID func() string, opts ...Option) *Service {
	s := &Service{
		repo: repo, catalog: catalog, saga: saga, now: now, newID: newID,
		retry: retry.Policy{Attempts: 6, Base: 10 * time.Millisecond, Max: 250 * time.Millisecond},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Get returns the order, or ErrNotFound (also for an invalid id).
func (s *Service) Get(ctx context.Context, id string) (Order, error) {
	if !ValidID(id) {
		return Order{}, fmt.Errorf("get order %q: %w", id, ErrNotFound)
	}
	return s.repo.Get(ctx, id)
}
