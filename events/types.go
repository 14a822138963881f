package events

import "time"

// Event type names: the EventBridge detail-type of each event.
const (
	TypeUserRegistered    = "UserRegistered"
	TypeUserUpdated       = "UserUpdated"
	TypeOrderCreated      = "OrderCreated"
	TypeOrderConfirmed    = "OrderConfirmed"
	TypeOrderCancelled    = "OrderCancelled"
	TypeOrderShipped      = "OrderShipped"
	TypePaymentSucceeded  = "PaymentSucceeded"
	TypePaymentFailed     = "PaymentFailed"
	TypePaymentRefunded   = "PaymentRefunded"
	TypeInventoryReserved = "InventoryReserved"
	TypeInventoryReleased = "InventoryReleased"
)

// Money is an amount in minor units of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// OrderLine is one product of an order.
type OrderLine struct {
	ProductID string `json:"productId"`
	Name      string `json:"name"`
	Quantity  int    `json:"quantity"`
	UnitPrice Money  `json:"unitPrice"`
}

// StockLine is a quantity of one product.
type StockLine struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
}

// UserRegisteredV1: an account was created.
type UserRegisteredV1 struct {
	UserID       string    `json:"userId"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	RegisteredAt time.Time `json:"registeredAt"`
}

// UserUpdatedV1: a profile changed; it carries the new name and preferred
// categories.
type UserUpdatedV1 struct {
	UserID     string    `json:"userId"`
	Name       string    `json:"name"`
	Categories []string  `json:"categories"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// OrderCreatedV1: an order was placed and awaits the checkout saga.
type OrderCreatedV1 struct {
	OrderID   string      `json:"orderId"`
	UserID    string      `json:"userId"`
	Lines     []OrderLine `json:"lines"`
	Total     Money       `json:"total"`
	CreatedAt time.Time   `json:"createdAt"`
}

// OrderConfirmedV1: stock was reserved and the payment taken.
type OrderConfirmedV1 struct {
	OrderID     string    `json:"orderId"`
	UserID      string    `json:"userId"`
	Total       Money     `json:"total"`
	ConfirmedAt time.Time `json:"confirmedAt"`
}

// Cancellation reasons of OrderCancelledV1.
const (
	ReasonOutOfStock      = "out_of_stock"
	ReasonPaymentDeclined = "payment_declined"
	ReasonPaymentFailed   = "payment_failed"
	ReasonConfirmFailed   = "confirm_failed"
	// ReasonReservationFailed: the stock could not be reserved for another
	// reason than a shortage (the catalog kept failing).
	ReasonReservationFailed = "reservation_failed"
)

// OrderCancelledV1: the checkout was undone; Reason is one of the Reason
// constants.
type OrderCancelledV1 struct {
	OrderID     string    `json:"orderId"`
	UserID      string    `json:"userId"`
	Reason      string    `json:"reason"`
	CancelledAt time.Time `json:"cancelledAt"`
}

// OrderShippedV1: an admin marked the order shipped.
type OrderShippedV1 struct {
	OrderID   string    `json:"orderId"`
	UserID    string    `json:"userId"`
	ShippedAt time.Time `json:"shippedAt"`
}

// PaymentSucceededV1: the order's amount was charged.
type PaymentSucceededV1 struct {
	PaymentID   string    `json:"paymentId"`
	OrderID     string    `json:"orderId"`
	UserID      string    `json:"userId"`
	Amount      Money     `json:"amount"`
	ProcessedAt time.Time `json:"processedAt"`
}

// PaymentFailedV1: the charge was declined or could not be made.
type PaymentFailedV1 struct {
	PaymentID string    `json:"paymentId"`
	OrderID   string    `json:"orderId"`
	UserID    string    `json:"userId"`
	Amount    Money     `json:"amount"`
	Reason    string    `json:"reason"` // "declined" or "error"
	FailedAt  time.Time `json:"failedAt"`
}

// PaymentRefundedV1: a charge was refunded in full.
type PaymentRefundedV1 struct {
	PaymentID  string    `json:"paymentId"`
	OrderID    string    `json:"orderId"`
	UserID     string    `json:"userId"`
	Amount     Money     `json:"amount"`
	RefundedAt time.Time `json:"refundedAt"`
}

// InventoryReservedV1: stock was set aside for an order.
type InventoryReservedV1 struct {
	OrderID    string      `json:"orderId"`
	Lines      []StockLine `json:"lines"`
	ReservedAt time.Time   `json:"reservedAt"`
}

// InventoryReleasedV1: an order's reserved stock was returned.
type InventoryReleasedV1 struct {
	OrderID    string      `json:"orderId"`
	Lines      []StockLine `json:"lines"`
	ReleasedAt time.Time   `json:"releasedAt"`
}

func (UserRegisteredV1) EventType() string    { return TypeUserRegistered }
func (UserUpdatedV1) EventType() string       { return TypeUserUpdated }
func (OrderCreatedV1) EventType() string      { return TypeOrderCreated }
func (OrderConfirmedV1) EventType() string    { return TypeOrderConfirmed }
func (OrderCancelledV1) EventType() string    { return TypeOrderCancelled }
func (OrderShippedV1) EventType() string      { return TypeOrderShipped }
func (PaymentSucceededV1) EventType() string  { return TypePaymentSucceeded }
func (PaymentFailedV1) EventType() string     { return TypePaymentFailed }
func (PaymentRefundedV1) EventType() string   { return TypePaymentRefunded }
func (InventoryReservedV1) EventType() string { return TypeInventoryReserved }
func (InventoryReleasedV1) EventType() string { return TypeInventoryReleased }

func (UserRegisteredV1) EventVersion() int    { return 1 }
func (UserUpdatedV1) EventVersion() int       { return 1 }
func (OrderCreatedV1) EventVersion() int      { return 1 }
func (OrderConfirmedV1) EventVersion() int    { return 1 }
func (OrderCancelledV1) EventVersion() int    { return 1 }
func (OrderShippedV1) EventVersion() int      { return 1 }
func (PaymentSucceededV1) EventVersion() int  { return 1 }
func (PaymentFailedV1) EventVersion() int     { return 1 }
func (PaymentRefundedV1) EventVersion() int   { return 1 }
func (InventoryReservedV1) EventVersion() int { return 1 }
func (InventoryReleasedV1) EventVersion() int { return 1 }

func (UserRegisteredV1) EventProducer() string    { return ProducerUsers }
func (UserUpdatedV1) EventProducer() string       { return ProducerUsers }
func (OrderCreatedV1) EventProducer() string      { return ProducerOrders }
func (OrderConfirmedV1) EventProducer() string    { return ProducerOrders }
func (OrderCancelledV1) EventProducer() string    { return ProducerOrders }
func (OrderShippedV1) EventProducer() string      { return ProducerOrders }
func (PaymentSucceededV1) EventProducer() string  { return ProducerPayments }
func (PaymentFailedV1) EventProducer() string     { return ProducerPayments }
func (PaymentRefundedV1) EventProducer() string   { return ProducerPayments }
func (InventoryReservedV1) EventProducer() string { return ProducerCatalog }
func (InventoryReleasedV1) EventProducer() string { return ProducerCatalog }

// All lists one value of every event type; tests and the schema registry
// walk it.
var All = []Event{
	UserRegisteredV1{}, UserUpdatedV1{},
	OrderCreatedV1{}, OrderConfirmedV1{}, OrderCancelledV1{}, OrderShippedV1{},
	PaymentSucceededV1{}, PaymentFailedV1{}, PaymentRefundedV1{},
	InventoryReservedV1{}, InventoryReleasedV1{},
}
