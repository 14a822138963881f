package dashboard

import (
	"context"
	"time"
)

// Profiles reads the profile replica: the dashboard's profile part.
type Profiles interface {
	// Profile returns the user's profile, or ErrNotFound.
	Profile(ctx context.Context, userID string) (Profile, error)
}

// Orders reads the order summaries: the dashboard's recent orders part.
type Orders interface {
	// RecentOrders returns up to limit of the user's Known orders, newest
	// first (by CreatedAt, then ID, descending).
	RecentOrders(ctx context.Context, userID string, limit int) ([]Order, error)
}

// Popular reads the sales counts: the dashboard's recommendations part.
type Popular interface {
	// TopProducts returns up to limit products of category by units sold,
	// most first (ties: greater product id first); category AllCategories
	// ranks every product.
	TopProducts(ctx context.Context, category string, limit int) ([]ProductSales, error)
}

// AllCategories names the ranking of every product in Popular.TopProducts.
const AllCategories = ""

// ProductSales is a product's units sold in confirmed orders, under one
// category (or AllCategories), with its latest known name.
type ProductSales struct {
	ProductID string
	Name      string
	Category  string
	Units     int64
}

// Event identifies the event a write comes from: writes are idempotent on
// its ID; OccurredAt orders events of the same order or user.
type Event struct {
	ID         string
	OccurredAt time.Time
}

// OrderKey names an order summary.
type OrderKey struct {
	UserID  string
	OrderID string
}

// Repository is the dashboard's table: the three read models and their
// writes. Implementations: the DynamoDB adapter (dashboardddb) and the
// in-memory fake (dashboardtest), both held to
// dashboardtest.RunRepositoryContract.
type Repository interface {
	Profiles
	Orders
	Popular
	// PutProfile stores p (valid, with its event id and time) together
	// with the marker of its event, unless the stored profile comes from
	// a newer event or the same one: then it changes nothing and returns
	// nil. A marker that exists already is ErrDuplicateEvent.
	PutProfile(ctx context.Context, p Profile) error
	// UpdateOrder reads the order (NewOrder when none is stored), applies
	// fn and, if fn changed the version, stores the result, the marker of
	// e and the sales fn returns (units added to each product's count in
	// its category and in AllCategories) in one atomic write, conditioned
	// on the version read and on the counts read. Concurrent writes make
	// it read and apply again, a few times, before ErrConflict; fn must
	// be safe to call again. A marker that exists already is
	// ErrDuplicateEvent and nothing is written. When fn leaves the version
	// unchanged nothing is written, not even the marker.
	UpdateOrder(ctx context.Context, e Event, key OrderKey, fn func(*Order) ([]ProductSales, error)) error
}

// CatalogProduct is what the catalog says about a product.
type CatalogProduct struct {
	ID       string
	Name     string
	Category string
}

// Catalog looks products up in the catalog (the catalog-lookup function).
type Catalog interface {
	// Products returns the products among ids that exist; unknown ids are
	// absent.
	Products(ctx context.Context, ids []string) ([]CatalogProduct, error)
}

// Defaults of the dashboard.
const (
	// DefaultPartTimeout is how long each part of the dashboard may take.
	DefaultPartTimeout = 300 * time.Millisecond
	// RecentOrdersLimit is the number of orders the dashboard shows.
	RecentOrdersLimit = 5
	// RecommendationsLimit is the number of products it recommends.
	RecommendationsLimit = 5
	// MaxRecommendationCategories bounds the preferred categories read,
	// in the user's order.
	MaxRecommendationCategories = 5
)

// Service is the dashboard's use cases: projecting events into its read
// models, and assembling a user's dashboard from them.
type Service struct {
	repo    Repository
	catalog Catalog
	timeout time.Duration
	guard   PartGuard
	last    lastGoods
}

// Option configures a Service.
type Option func(*Service)

// WithPartTimeout sets how long each part of the dashboard may take
// (default DefaultPartTimeout; a non-positive d keeps the default). The
// request's own deadline, if sooner, still applies.
func WithPartTimeout(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// NewService returns the service over repo. catalog is needed only to
// project OrderConfirmed and OrderCreated events; it may be nil for a
// service that only serves dashboards.
func NewService(repo Repository, catalog Catalog, opts ...Option) *Service {
	s := &Service{repo: repo, catalog: catalog, timeout: DefaultPartTimeout}
	for _, opt := range opts {
		opt(s)
	}
	return s
}
