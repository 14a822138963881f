package shop

import (
	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/domain/catalog/catalogddb"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/domain/payments/paymentsddb"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/routes"
)

// DynamoDB actions, grouped by use. IAM authorizes each item of a
// TransactWriteItems call by its own action (Put, Update, Delete,
// ConditionCheck), so transactions need no action of their own.
const (
	getItem        = "dynamodb:GetItem"
	batchGetItem   = "dynamodb:BatchGetItem"
	query          = "dynamodb:Query"
	putItem        = "dynamodb:PutItem"
	updateItem     = "dynamodb:UpdateItem"
	deleteItem     = "dynamodb:DeleteItem"
	conditionCheck = "dynamodb:ConditionCheckItem"
)

// healthCheck is the function answering a service's health check: one
// GetItem of the probe item of its table (see Health), little memory, and a
// timeout above the checks' own 2 s.
func healthCheck(service string) FunctionSpec {
	return FunctionSpec{Name: routes.HealthFunction(service), Health: true, MemoryMB: 128, TimeoutSecs: 5}
}

// ServiceSpec declares one service: its table and its functions.
type ServiceSpec struct {
	Name      string      // users, catalog, ...
	TableEnv  string      // the variable carrying the table name to its functions
	Table     TableSource // nil for a service without a table
	TableOpts TableOptions
	// Outbox gives the table a stream and an <service>-outbox function
	// publishing its outbox items to the event bus (internal/outbox).
	Outbox    bool
	Functions []FunctionSpec
}

// Services lists every service of the shop. Function names match
// functions/<name> and, for HTTP operations, internal/routes.
var Services = []ServiceSpec{
	{
		Name:      "api",
		Functions: []FunctionSpec{{Name: "api-openapi", MemoryMB: 128}},
	},
	{
		Name:     "users",
		TableEnv: "USERS_TABLE",
		Table:    usersddb.CreateTableInput,
		Outbox:   true,
		Functions: []FunctionSpec{
			// Every function answering with a profile reports its role, which
			// comes from the admin list.
			{Name: "users-register", Table: []string{putItem}, MemoryMB: 512, AdminEmails: true},
			{Name: "users-login", Table: []string{getItem}, MemoryMB: 512, TokenKey: true, AdminEmails: true},
			{Name: "users-get", Table: []string{getItem}, AdminEmails: true},
			{Name: "users-update", Table: []string{getItem, putItem}, AdminEmails: true},
			{Name: "users-authorizer", TokenKey: true, MemoryMB: 128},
			healthCheck("users"),
		},
	},
	{
		Name:     "catalog",
		TableEnv: "PRODUCTS_TABLE",
		Table:    catalogddb.CreateTableInput,
		Outbox:   true,
		Functions: []FunctionSpec{
			{Name: "catalog-create-product", Table: []string{putItem}},
			{Name: "catalog-get-product", Table: []string{getItem}},
			{Name: "catalog-search", Table: []string{query}},
			{Name: "catalog-set-inventory", Table: []string{getItem, putItem}},
			{Name: "catalog-lookup", Table: []string{batchGetItem}},
			{Name: "catalog-reserve", Table: []string{getItem, putItem, updateItem}},
			{Name: "catalog-release", Table: []string{getItem, putItem, updateItem}},
			healthCheck("catalog"),
		},
	},
	{
		Name:     "cart",
		TableEnv: "CARTS_TABLE",
		Table:    cartddb.CreateTableInput,
		Functions: []FunctionSpec{
			{Name: "cart-get", Table: []string{query}},
			{Name: "cart-put-item", Table: []string{query, getItem, putItem, updateItem, deleteItem, conditionCheck}, Invokes: []string{"catalog-lookup"}},
			{Name: "cart-remove-item", Table: []string{query, getItem, updateItem, deleteItem, conditionCheck}},
			{Name: "cart-save-for-later", Table: []string{query, getItem, putItem, updateItem, deleteItem, conditionCheck}},
			{Name: "cart-move-to-cart", Table: []string{query, getItem, putItem, updateItem, deleteItem, conditionCheck}, Invokes: []string{"catalog-lookup"}},
			{Name: "cart-remove-saved", Table: []string{query, getItem, deleteItem, conditionCheck}},
			healthCheck("cart"),
		},
	},
	{
		Name:     "orders",
		TableEnv: "ORDERS_TABLE",
		Table:    ordersddb.CreateTableInput,
		Outbox:   true,
		Functions: []FunctionSpec{
			{Name: "orders-checkout", Table: []string{getItem, batchGetItem, putItem}, Invokes: []string{"catalog-lookup"}, StartsSaga: true, TimeoutSecs: 15},
			{Name: "orders-get", Table: []string{getItem}},
			{Name: "orders-list", Table: []string{query, batchGetItem}},
			{Name: "orders-set-status", Table: []string{getItem, putItem}},
			{Name: "orders-confirm", Table: []string{getItem, putItem}},
			{Name: "orders-cancel", Table: []string{getItem, putItem}},
			{Name: "orders-user-updated", Table: []string{putItem}, TimeoutSecs: 30, Consumes: &Subscription{
				Sources:     []string{events.SourceUsers},
				DetailTypes: []string{events.TypeUserRegistered, events.TypeUserUpdated},
			}},
			healthCheck("orders"),
		},
	},
	{
		Name:     "payments",
		TableEnv: "PAYMENTS_TABLE",
		Table:    paymentsddb.CreateTableInput,
		Outbox:   true,
		Functions: []FunctionSpec{
			// The gateway call has its own 5 s timeout; the rest is for
			// recording the outcome.
			// A burst of checkouts must not become a burst of charges: the
			// gateway's bulkhead bounds each instance (internal/wire/
			// paymentswire), the reservation bounds the instances, so at most
			// 10 x 8 charges are in flight; the saga retries a throttled task
			// with backoff. The reservation also keeps payments from being
			// starved by other functions of the account.
			{Name: "payments-process", Table: []string{getItem, putItem}, TimeoutSecs: 15, Reserved: 10},
			{Name: "payments-refund", Table: []string{getItem, putItem}, TimeoutSecs: 15},
			{Name: "payments-get", Table: []string{getItem}},
			{Name: "payments-refund-admin", Table: []string{getItem, putItem}, TimeoutSecs: 15},
			healthCheck("payments"),
		},
	},
	{
		Name:     "notifications",
		TableEnv: "NOTIFICATIONS_TABLE",
		Table:    notificationsddb.CreateTableInput,
		Functions: []FunctionSpec{
			{Name: "notifications-consumer", Table: []string{getItem, putItem}, TimeoutSecs: 30, Consumes: &Subscription{
				Sources: []string{events.SourceOrders, events.SourcePayments, events.SourceUsers},
				DetailTypes: []string{
					events.TypeUserRegistered, events.TypeOrderCreated, events.TypeOrderConfirmed, events.TypeOrderCancelled,
					events.TypeOrderShipped, events.TypePaymentSucceeded, events.TypePaymentFailed, events.TypePaymentRefunded,
				},
			}},
			{Name: "notifications-list", Table: []string{query}},
			healthCheck("notifications"),
		},
	},
	{
		Name:      "dashboard",
		TableEnv:  "DASHBOARD_TABLE",
		Table:     dashboardddb.CreateTableInput,
		TableOpts: TableOptions{TTLAttribute: dashboardddb.TTLAttribute},
		Functions: []FunctionSpec{
			{Name: "dashboard-get", Table: []string{getItem, query}},
			{Name: "dashboard-consumer", Table: []string{getItem, batchGetItem, putItem}, TimeoutSecs: 30, Invokes: []string{"catalog-lookup"}, Consumes: &Subscription{
				Sources: []string{events.SourceUsers, events.SourceOrders},
				DetailTypes: []string{
					events.TypeUserRegistered, events.TypeUserUpdated,
					events.TypeOrderCreated, events.TypeOrderConfirmed, events.TypeOrderCancelled, events.TypeOrderShipped,
				},
			}},
			healthCheck("dashboard"),
		},
	},
}
