package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/domain/cart/carthttp"
	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogddb"
	"github.com/goshop-dev/goshop/domain/catalog/cataloghttp"
	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardhttp"
	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/domain/notifications/notificationshttp"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentsddb"
	"github.com/goshop-dev/goshop/domain/payments/paymentshttp"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/domain/users/usershttp"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/ddblocal"
	"github.com/goshop-dev/goshop/internal/health"
	"github.com/goshop-dev/goshop/internal/health/healthddb"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/samplecatalog"
	"github.com/goshop-dev/goshop/internal/wire/cartwire"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
	"github.com/goshop-dev/goshop/internal/wire/dashboardwire"
)

// Table names of the local run, as the CDK app's services name them.
const (
	usersTable         = "users"
	productsTable      = "products"
	cartsTable         = "carts"
	paymentsTable      = "payments"
	notificationsTable = "notifications"
	dashboardTable     = "dashboard"
)

// app holds the services of a local run, wired as their functions wire
// them, except that the cart and the dashboard ask the catalog in process
// instead of through a Lambda invocation. Payments and notifications serve their
// routes only: no saga charges an order and no event reaches the
// notifications or the dashboard here, so their lists stay empty and the
// dashboard shows only the caller's id.
type app struct {
	users         *users.Service
	catalog       *catalog.Service
	cart          *cart.Service
	payments      *payments.Service
	notifications *notifications.Service
	dashboard     *dashboard.Service
	health        map[string]http.Handler // by function name
	tokens        *auth.Tokens
	logger        *slog.Logger
}

// table is the table of a service of the local run.
type table struct {
	service, name string
	declare       func(name string) *dynamodb.CreateTableInput
}

var tables = []table{
	{"users", usersTable, usersddb.CreateTableInput},
	{"catalog", productsTable, catalogddb.CreateTableInput},
	{"cart", cartsTable, cartddb.CreateTableInput},
	{"payments", paymentsTable, paymentsddb.CreateTableInput},
	{"notifications", notificationsTable, notificationsddb.CreateTableInput},
	{"dashboard", dashboardTable, dashboardddb.CreateTableInput},
}

func newApp(ctx context.Context, db *dynamodb.Client, logger *slog.Logger, adminEmail string) (*app, error) {
	// Each service's health check reads its table, as its function does.
	// The breakers it reports are this one process's, every service's.
	checks := map[string]http.Handler{}
	for _, t := range tables {
		in := t.declare(t.name)
		if err := ddblocal.CreateTable(ctx, db, in); err != nil {
			return nil, fmt.Errorf("create table %s: %w", t.name, err)
		}
		checks[routes.HealthFunction(t.service)] = health.Handler(t.service, healthddb.Table(db, t.name, in))
	}
	hasher, err := users.NewBcrypt(bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	usersSvc, err := users.NewService(usersddb.New(db, usersTable), hasher, time.Now, uuid.NewString, []string{adminEmail})
	if err != nil {
		return nil, err
	}
	catalogSvc := catalog.NewService(catalogddb.New(db, productsTable), time.Now, uuid.NewString)
	cartSvc := cart.NewService(cartddb.New(db, cartsTable), cartwire.Catalog(catalogwire.Lookup(catalogSvc)), time.Now)
	paymentsSvc := payments.NewService(paymentsddb.New(db, paymentsTable), paymentssandbox.New(), time.Now)
	notificationsSvc := notifications.NewService(notificationsddb.New(db, notificationsTable),
		notificationssandbox.New(logger).Channels(), time.Now, uuid.NewString)
	dashboardSvc := dashboard.NewService(dashboardddb.New(db, dashboardTable),
		dashboardwire.Catalog(catalogwire.Lookup(catalogSvc)))

	// A fresh random key per run: tokens do not outlive the process, as
	// tables in the in-memory DynamoDB Local do not.
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Key: key, Issuer: "goshop", Audience: "goshop-api", TTL: 12 * time.Hour})
	if err != nil {
		return nil, err
	}
	return &app{
		users: usersSvc, catalog: catalogSvc, cart: cartSvc, payments: paymentsSvc, notifications: notificationsSvc,
		dashboard: dashboardSvc, health: checks, tokens: tokens, logger: logger,
	}, nil
}

// handlers maps every function name to the handler its Lambda serves.
func (a *app) handlers() map[string]http.Handler {
	all := map[string]http.Handler{}
	for _, set := range []map[string]http.Handler{
		usershttp.Handlers(a.users, a.tokens),
		cataloghttp.Handlers(a.catalog),
		carthttp.Handlers(a.cart),
		paymentshttp.Handlers(a.payments),
		notificationshttp.Handlers(a.notifications),
		dashboardhttp.Handlers(a.dashboard),
		api.Handlers(),
		a.health,
	} {
		for name, h := range set {
			all[name] = h
		}
	}
	return all
}

// needsRuntime reports whether the local server leaves function's route
// out: the orders' functions need the checkout saga (Step Functions) and
// the catalog lookup function, which only the full local runtime runs; the
// orders' health check goes with them, as the orders service does not run
// here.
func needsRuntime(function string) bool {
	return strings.HasPrefix(function, "orders-")
}

// seed registers the admin account and loads the sample catalog.
func (a *app) seed(ctx context.Context, adminEmail, adminPassword string) error {
	if _, err := a.users.Register(ctx, users.Registration{Email: adminEmail, Password: adminPassword, Name: "Administrator"}); err != nil && !errors.Is(err, users.ErrEmailTaken) {
		return fmt.Errorf("create admin %s: %w", adminEmail, err)
	}
	products, err := samplecatalog.Products()
	if err != nil {
		return err
	}
	for _, p := range products {
		_, err := a.catalog.Create(ctx, catalog.NewProductParams{
			SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
			PriceAmount: p.Price.Amount, Currency: p.Price.Currency, InitialStock: p.Stock,
		})
		if err != nil && !errors.Is(err, catalog.ErrSKUTaken) {
			return fmt.Errorf("sample product %s: %w", p.SKU, err)
		}
	}
	a.logger.InfoContext(ctx, "seeded", slog.String("admin", adminEmail), slog.Int("products", len(products)))
	return nil
}
