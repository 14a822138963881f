package ordersddb

import (
	"fmt"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
)

// orderRecord is an order item.
type orderRecord struct {
	PK            string          `dynamodbav:"pk"`
	SK            string          `dynamodbav:"sk"`
	Type          string          `dynamodbav:"type"`
	ID            string          `dynamodbav:"id"`
	UserID        string          `dynamodbav:"userId"`
	UserName      string          `dynamodbav:"userName"`
	Lines         []lineRecord    `dynamodbav:"lines"`
	Currency      string          `dynamodbav:"currency"`
	TotalAmount   int64           `dynamodbav:"totalAmount"`
	Shipping      addressRecord   `dynamodbav:"shipping"`
	Status        string          `dynamodbav:"status"`
	FailureReason string          `dynamodbav:"failureReason,omitempty"`
	History       []historyRecord `dynamodbav:"history"`
	PaymentID     string          `dynamodbav:"paymentId,omitempty"`
	CreatedAt     string          `dynamodbav:"createdAt"`
	UpdatedAt     string          `dynamodbav:"updatedAt"`
	Version       int64           `dynamodbav:"version"`
	GSI1PK        string          `dynamodbav:"gsi1pk"`
	GSI1SK        string          `dynamodbav:"gsi1sk"`
}

type lineRecord struct {
	ProductID  string `dynamodbav:"productId"`
	Name       string `dynamodbav:"name"`
	Quantity   int    `dynamodbav:"quantity"`
	UnitAmount int64  `dynamodbav:"unitAmount"`
}

type addressRecord struct {
	Name       string `dynamodbav:"name"`
	Line1      string `dynamodbav:"line1"`
	Line2      string `dynamodbav:"line2,omitempty"`
	City       string `dynamodbav:"city"`
	PostalCode string `dynamodbav:"postalCode"`
	Country    string `dynamodbav:"country"`
}

type historyRecord struct {
	Status string `dynamodbav:"status"`
	At     string `dynamodbav:"at"`
	Reason string `dynamodbav:"reason,omitempty"`
}

// idempotencyRecord is the record of a user's Idempotency-Key.
type idempotencyRecord struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Type        string `dynamodbav:"type"`
	UserID      string `dynamodbav:"userId"`
	Key         string `dynamodbav:"key"`
	OrderID     string `dynamodbav:"orderId"`
	RequestHash string `dynamodbav:"requestHash"`
	CreatedAt   string `dynamodbav:"createdAt"`
}

// userNameRecord is the replica of a user's name.
type userNameRecord struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Type       string `dynamodbav:"type"`
	UserID     string `dynamodbav:"userId"`
	Name       string `dynamodbav:"name"`
	OccurredAt int64  `dynamodbav:"occurredAt"` // unix nanoseconds, compared in conditions
	EventID    string `dynamodbav:"eventId"`
}

func sortKey(o orders.Order) string { return formatTime(o.CreatedAt()) + "#" + o.ID() }

func toRecord(o orders.Order) orderRecord {
	s := o.State()
	rec := orderRecord{
		PK: orderPK(s.ID), SK: orderSK, Type: typeOrder, ID: s.ID, UserID: s.UserID, UserName: s.UserName,
		Currency: s.Total.Currency(), TotalAmount: s.Total.Amount(),
		Shipping: addressRecord{
			Name: s.Shipping.Name, Line1: s.Shipping.Line1, Line2: s.Shipping.Line2, City: s.Shipping.City,
			PostalCode: s.Shipping.PostalCode, Country: s.Shipping.Country,
		},
		Status: string(s.Status), FailureReason: s.FailureReason, PaymentID: s.PaymentID,
		CreatedAt: formatTime(s.CreatedAt), UpdatedAt: formatTime(s.UpdatedAt), Version: s.Version,
		GSI1PK: userPK(s.UserID), GSI1SK: sortKey(o),
	}
	for _, l := range s.Lines {
		rec.Lines = append(rec.Lines, lineRecord{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity, UnitAmount: l.UnitPrice.Amount()})
	}
	for _, h := range s.History {
		rec.History = append(rec.History, historyRecord{Status: string(h.Status), At: formatTime(h.At), Reason: h.Reason})
	}
	return rec
}

func toDomain(r orderRecord) (orders.Order, error) {
	total, err := money.New(r.TotalAmount, r.Currency)
	if err != nil {
		return orders.Order{}, fmt.Errorf("order %s: total: %w", r.ID, err)
	}
	created, err := parseTime(r.CreatedAt)
	if err != nil {
		return orders.Order{}, fmt.Errorf("order %s: createdAt: %w", r.ID, err)
	}
	updated, err := parseTime(r.UpdatedAt)
	if err != nil {
		return orders.Order{}, fmt.Errorf("order %s: updatedAt: %w", r.ID, err)
	}
	s := orders.State{
		ID: r.ID, UserID: r.UserID, UserName: r.UserName, Total: total,
		Shipping: orders.Address{
			Name: r.Shipping.Name, Line1: r.Shipping.Line1, Line2: r.Shipping.Line2, City: r.Shipping.City,
			PostalCode: r.Shipping.PostalCode, Country: r.Shipping.Country,
		},
		Status: orders.Status(r.Status), FailureReason: r.FailureReason, PaymentID: r.PaymentID,
		CreatedAt: created, UpdatedAt: updated, Version: r.Version,
	}
	for _, l := range r.Lines {
		price, err := money.New(l.UnitAmount, r.Currency)
		if err != nil {
			return orders.Order{}, fmt.Errorf("order %s: line %s: %w", r.ID, l.ProductID, err)
		}
		s.Lines = append(s.Lines, orders.Line{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity, UnitPrice: price})
	}
	for _, h := range r.History {
		at, err := parseTime(h.At)
		if err != nil {
			return orders.Order{}, fmt.Errorf("order %s: history: %w", r.ID, err)
		}
		s.History = append(s.History, orders.HistoryEntry{Status: orders.Status(h.Status), At: at, Reason: h.Reason})
	}
	return orders.Rehydrate(s), nil
}
