// Package dashboardwire builds the dashboard service from the
// environment of dashboard-get and dashboard-consumer, and maps the events
// the consumer receives to the dashboard's projections. dashboard-get
// reads each part of a dashboard through its own breaker and bulkhead
// (PartGuards) and falls back on the part's last good value
// (dashboard.WithLastGood); dashboard-consumer looks the catalog up
// through the process's guard (catalogrpc.LookupGuard).
package dashboardwire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// ServiceFromEnv builds the dashboard service of dashboard-get on the
// DynamoDB table named by DASHBOARD_TABLE; DASHBOARD_PART_TIMEOUT (a Go
// duration, default 300ms) bounds each part of a dashboard, and
// DASHBOARD_FALLBACK_TTL (default DefaultFallbackTTL, 0 for none) is how
// long a part's last good value may stand in for it. Metrics go to
// standard output as EMF, with Service "dashboard".
func ServiceFromEnv(ctx context.Context) (*dashboard.Service, error) {
	env := envconfig.New()
	table := env.String("DASHBOARD_TABLE")
	timeout := env.Duration("DASHBOARD_PART_TIMEOUT", dashboard.DefaultPartTimeout)
	ttl := env.Duration("DASHBOARD_FALLBACK_TTL", DefaultFallbackTTL)
	if err := env.Err(); err != nil {
		return nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServiceDashboard)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	store := dashboardddb.New(dynamodb.NewFromConfig(cfg), table)
	return NewService(store, timeout, ttl, NewPartGuards(logging.ForService(metrics.ServiceDashboard), rec)), nil
}

// NewService returns the dashboard service of dashboard-get over repo:
// each part bounded by partTimeout and read through guards (if not nil),
// and given its last good value for ttl when it fails (FallbackUsers
// users per part).
func NewService(repo dashboard.Repository, partTimeout, ttl time.Duration, guards *PartGuards) *dashboard.Service {
	opts := []dashboard.Option{dashboard.WithPartTimeout(partTimeout), dashboard.WithLastGood(ttl, FallbackUsers, time.Now)}
	if guards != nil {
		opts = append(opts, dashboard.WithPartGuard(guards))
	}
	return dashboard.NewService(repo, nil, opts...)
}

// ConsumerFromEnv builds the dashboard service of
// dashboard-consumer: DASHBOARD_TABLE and CATALOG_LOOKUP_FUNCTION (the
// catalog-lookup function, invoked for the categories of the products
// sold, through catalogrpc.LookupGuard), both required.
func ConsumerFromEnv(ctx context.Context) (*dashboard.Service, error) {
	env := envconfig.New()
	table := env.String("DASHBOARD_TABLE")
	lookup := env.String("CATALOG_LOOKUP_FUNCTION")
	if err := env.Err(); err != nil {
		return nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServiceDashboard)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	store := dashboardddb.New(dynamodb.NewFromConfig(cfg), table)
	guard := catalogrpc.LookupGuard(logging.ForService(metrics.ServiceDashboard), rec)
	catalog := Catalog(catalogrpc.NewClient(lambda.NewFromConfig(cfg), lookup, catalogrpc.WithGuard(guard)))
	return dashboard.NewService(store, catalog), nil
}

// catalogLooker is the caller's side of catalogrpc.
type catalogLooker interface {
	Lookup(ctx context.Context, ids []string) ([]catalogrpc.Product, error)
}

// Catalog adapts the catalogrpc client to the dashboard's Catalog
// port.
func Catalog(client catalogLooker) dashboard.Catalog { return dashboardCatalog{client} }

type dashboardCatalog struct{ client catalogLooker }

func (c dashboardCatalog) Products(ctx context.Context, ids []string) ([]dashboard.CatalogProduct, error) {
	products, err := c.client.Lookup(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]dashboard.CatalogProduct, len(products))
	for i, p := range products {
		out[i] = dashboard.CatalogProduct{ID: p.ID, Name: p.Name, Category: p.Category}
	}
	return out, nil
}

// Events are the event types the dashboard-consumer's queue
// subscribes to (source goshop.users for the first two, goshop.orders for
// the others).
var Events = []string{
	events.TypeUserRegistered, events.TypeUserUpdated,
	events.TypeOrderCreated, events.TypeOrderConfirmed, events.TypeOrderCancelled, events.TypeOrderShipped,
}

// Handle is the dashboard-consumer's event handler: it maps each
// envelope to the service's projection. A type the dashboard does not
// read is logged and skipped. A known type that cannot be decoded, of an
// unknown version, or invalid for the domain is consumer.ErrPoison. Any
// other failure (the table, the catalog) is returned as is, so the queue
// redelivers the event.
func Handle(svc *dashboard.Service, logger *slog.Logger) consumer.Handle {
	return func(ctx context.Context, env events.Envelope) error {
		err := project(ctx, svc, env)
		if errors.Is(err, errIgnored) {
			logger.InfoContext(ctx, "event ignored", slog.String("eventId", env.ID), slog.String("type", env.Type),
				slog.Int("version", env.Version))
			return nil
		}
		if errors.Is(err, events.ErrUnexpectedType) || errors.Is(err, dashboard.ErrInvalidEvent) || errors.Is(err, errUndecodable) {
			return fmt.Errorf("%w: %s %s: %v", consumer.ErrPoison, env.Type, env.ID, err)
		}
		return err
	}
}

var (
	errIgnored     = errors.New("event type not read by the dashboard")
	errUndecodable = errors.New("undecodable event")
)

func project(ctx context.Context, svc *dashboard.Service, env events.Envelope) error {
	e := dashboard.Event{ID: env.ID, OccurredAt: env.OccurredAt}
	switch env.Type {
	case events.TypeUserRegistered:
		return decodeThen(env, func(d events.UserRegisteredV1) error {
			return svc.RecordProfile(ctx, dashboard.Profile{UserID: d.UserID, Name: d.Name, OccurredAt: env.OccurredAt, EventID: env.ID})
		})
	case events.TypeUserUpdated:
		return decodeThen(env, func(d events.UserUpdatedV1) error {
			return svc.RecordProfile(ctx, dashboard.Profile{UserID: d.UserID, Name: d.Name, Categories: d.Categories, OccurredAt: env.OccurredAt, EventID: env.ID})
		})
	case events.TypeOrderCreated:
		return decodeThen(env, func(d events.OrderCreatedV1) error {
			total, err := toMoney(d.Total)
			if err != nil {
				return fmt.Errorf("%w: %v", dashboard.ErrInvalidEvent, err)
			}
			lines := make([]dashboard.Line, len(d.Lines))
			for i, l := range d.Lines {
				lines[i] = dashboard.Line{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity}
			}
			return svc.RecordOrderCreated(ctx, e, dashboard.CreatedOrder{ID: d.OrderID, UserID: d.UserID, Lines: lines, Total: total, CreatedAt: d.CreatedAt})
		})
	case events.TypeOrderConfirmed:
		return decodeThen(env, func(d events.OrderConfirmedV1) error {
			return svc.RecordOrderStatus(ctx, e, dashboard.OrderKey{UserID: d.UserID, OrderID: d.OrderID}, dashboard.StatusConfirmed)
		})
	case events.TypeOrderCancelled:
		return decodeThen(env, func(d events.OrderCancelledV1) error {
			return svc.RecordOrderStatus(ctx, e, dashboard.OrderKey{UserID: d.UserID, OrderID: d.OrderID}, dashboard.StatusCancelled)
		})
	case events.TypeOrderShipped:
		return decodeThen(env, func(d events.OrderShippedV1) error {
			return svc.RecordOrderStatus(ctx, e, dashboard.OrderKey{UserID: d.UserID, OrderID: d.OrderID}, dashboard.StatusShipped)
		})
	}
	return errIgnored
}

// decodeThen decodes env's data as a T and applies it.
func decodeThen[T events.Event](env events.Envelope, apply func(T) error) error {
	d, err := events.Decode[T](env)
	if errors.Is(err, events.ErrUnexpectedType) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errUndecodable, err)
	}
	return apply(d)
}

func toMoney(m events.Money) (money.Money, error) {
	out, err := money.New(m.Amount, m.Currency)
	if err != nil {
		return money.Money{}, fmt.Errorf("amount: %w", err)
	}
	return out, nil
}
