package metrics

// The names of the project's metrics, their dimensions and the services
// that record them, in one place so that the code recording a metric and
// the CDK app alarming on it (infra/shop) name it the same way. Every
// metric also carries the dimension Service (see the package
// documentation), one of the Service constants.

// Services, the value of the Service dimension: the name of the service
// whose functions record the metric.
const (
	ServiceOrders    = "orders"
	ServicePayments  = "payments"
	ServiceCatalog   = "catalog"
	ServiceCart      = "cart"
	ServiceDashboard = "dashboard"
)

// Business metrics, each a Count of 1 per event unless it says otherwise.
// Each is recorded once per change of state, where the change is written,
// so that a replayed saga step or a retried request records nothing.
const (
	// OrderCreated: a checkout recorded a new order (orders-checkout; an
	// idempotent replay of the checkout records nothing).
	OrderCreated = "OrderCreated"
	// OrderConfirmed: an order became CONFIRMED (orders-confirm).
	OrderConfirmed = "OrderConfirmed"
	// OrderCancelled: an order became CANCELLED (orders-cancel), with the
	// dimension Reason (one of the Cancel constants).
	OrderCancelled = "OrderCancelled"
	// CheckoutDuration: the milliseconds from an order's creation to its
	// CONFIRMED or CANCELLED, recorded with the change (orders-confirm,
	// orders-cancel), with the dimension Outcome (OutcomeConfirmed or
	// OutcomeCancelled).
	CheckoutDuration = "CheckoutDuration"
	// PaymentDeclined: a payment was recorded FAILED because the card was
	// declined (payments-process).
	PaymentDeclined = "PaymentDeclined"
	// PaymentFailed: a payment was recorded FAILED because the gateway
	// could not charge it in time (payments-process).
	PaymentFailed = "PaymentFailed"
	// InventoryReservationFailed: the stock of an order could not be
	// reserved (catalog-reserve), with the dimension Reason (one of the
	// Reservation constants).
	InventoryReservationFailed = "InventoryReservationFailed"
)

// Technical metrics.
const (
	// BreakerOpened: a circuit breaker opened, with the dimension Breaker
	// (its name, one of the Breaker constants).
	BreakerOpened = "BreakerOpened"
	// BreakerStateChanged: a circuit breaker changed state, with the
	// dimensions Breaker and To (closed, half-open or open).
	BreakerStateChanged = "BreakerStateChanged"
	// DashboardPartFailed: a part of a dashboard could not be read (an
	// error, its timeout, its open breaker or a full bulkhead), with the
	// dimension Part (profile, recentOrders or recommendations). The
	// answer then shows the part's last good value or nothing.
	DashboardPartFailed = "DashboardPartFailed"
)

// Dimension names.
const (
	DimensionReason  = "Reason"
	DimensionOutcome = "Outcome"
	DimensionBreaker = "Breaker"
	DimensionTo      = "To"
	DimensionPart    = "Part"
)

// Values of the dimension Outcome of CheckoutDuration.
const (
	OutcomeConfirmed = "confirmed"
	OutcomeCancelled = "cancelled"
)

// Values of the dimension Reason of OrderCancelled: the reasons the
// checkout saga cancels an order for (the events.Reason* constants).
const (
	CancelOutOfStock        = "out_of_stock"
	CancelReservationFailed = "reservation_failed"
	CancelPaymentDeclined   = "payment_declined"
	CancelPaymentFailed     = "payment_failed"
	CancelConfirmFailed     = "confirm_failed"
	// CancelOther stands for any other reason, so that an unexpected value
	// cannot add custom metrics.
	CancelOther = "other"
)

// CancelReason returns the Reason dimension recorded for the cancel reason
// r: r itself when it is one of the saga's, else CancelOther.
func CancelReason(r string) string {
	switch r {
	case CancelOutOfStock, CancelReservationFailed, CancelPaymentDeclined, CancelPaymentFailed, CancelConfirmFailed:
		return r
	}
	return CancelOther
}

// Values of the dimension Reason of InventoryReservationFailed.
const (
	// ReservationOutOfStock: not enough units of a product.
	ReservationOutOfStock = "out_of_stock"
	// ReservationUnknownProduct: a line names a product the catalog does
	// not have.
	ReservationUnknownProduct = "unknown_product"
	// ReservationInvalid: the lines cannot be reserved (none, too many, an
	// invalid quantity or id).
	ReservationInvalid = "invalid_request"
	// ReservationReleased: the order's reservation was released already.
	ReservationReleased = "released"
)

// Breaker names, the values of the dimension Breaker.
const (
	BreakerPaymentGateway = "payment-gateway"
	BreakerCatalogLookup  = "catalog-lookup"
	// The dashboard's parts each have a breaker named
	// "dashboard-<part>".
	BreakerDashboardProfile         = "dashboard-profile"
	BreakerDashboardRecentOrders    = "dashboard-recentOrders"
	BreakerDashboardRecommendations = "dashboard-recommendations"
)
