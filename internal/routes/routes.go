// Package routes is the catalogue of the public API: which function serves
// which method and path, and whether the caller must be authenticated. The
// function mains, the local server and the CDK app all read it, so a route
// is added in one place.
package routes

import "fmt"

// Access says who may call a route. Admin-only routes are Authenticated
// here; their handlers check the role.
type Access int

// Access levels.
const (
	Public Access = iota
	Authenticated
)

// Route is one API operation served by one function.
type Route struct {
	Function string // the folder under functions/ and the Lambda's logical name
	Method   string
	Path     string // API Gateway resource path; ServeMux uses the same {param} syntax
	Access   Access
}

// Pattern is the route as a net/http ServeMux pattern.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// All lists every public route.
var All = []Route{
	{"api-openapi", "GET", "/openapi.json", Public},

	{"users-register", "POST", "/users/register", Public},
	{"users-login", "POST", "/users/login", Public},
	{"users-get", "GET", "/users/{id}", Authenticated},
	{"users-update", "PUT", "/users/{id}", Authenticated},

	{"catalog-create-product", "POST", "/products", Authenticated},
	{"catalog-search", "GET", "/products/search", Public},
	{"catalog-get-product", "GET", "/products/{id}", Public},
	{"catalog-set-inventory", "PUT", "/products/{id}/inventory", Authenticated},

	{"cart-get", "GET", "/cart", Authenticated},
	{"cart-put-item", "PUT", "/cart/items/{productId}", Authenticated},
	{"cart-remove-item", "DELETE", "/cart/items/{productId}", Authenticated},
	{"cart-save-for-later", "POST", "/cart/items/{productId}/save-for-later", Authenticated},
	{"cart-move-to-cart", "POST", "/cart/saved/{productId}/move-to-cart", Authenticated},
	{"cart-remove-saved", "DELETE", "/cart/saved/{productId}", Authenticated},

	{"orders-checkout", "POST", "/checkout", Authenticated},
	{"orders-get", "GET", "/orders/{id}", Authenticated},
	{"orders-list", "GET", "/users/{id}/orders", Authenticated},
	{"orders-set-status", "PATCH", "/orders/{id}/status", Authenticated},

	{"payments-get", "GET", "/payments/{id}", Authenticated},
	{"payments-refund-admin", "POST", "/payments/{id}/refund", Authenticated},

	{"notifications-list", "GET", "/users/{id}/notifications", Authenticated},

	{"dashboard-get", "GET", "/dashboard", Authenticated},

	// One health check per service (internal/health): public, so that a
	// canary or a failover check needs no token; the stage's throttling
	// bounds them like every route.
	{"users-health", "GET", "/health/users", Public},
	{"catalog-health", "GET", "/health/catalog", Public},
	{"cart-health", "GET", "/health/cart", Public},
	{"orders-health", "GET", "/health/orders", Public},
	{"payments-health", "GET", "/health/payments", Public},
	{"notifications-health", "GET", "/health/notifications", Public},
	{"dashboard-health", "GET", "/health/dashboard", Public},
}

// HealthFunction is the function serving the health check of service.
func HealthFunction(service string) string { return service + "-health" }

// Pattern returns the ServeMux pattern of the route served by function. It
// panics for an unknown function: a main naming a route that does not exist
// is a build mistake, caught by the routes tests.
func Pattern(function string) string {
	for _, r := range All {
		if r.Function == function {
			return r.Pattern()
		}
	}
	panic(fmt.Sprintf("routes: no route for function %q", function))
}
