package ordershttp

import (
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
)

// checkoutRequest is the body of POST /checkout. Pointers tell a missing
// field from a zero value.
type checkoutRequest struct {
	Items           *[]itemRequest  `json:"items"`
	PaymentToken    *string         `json:"paymentToken"`
	ShippingAddress *addressRequest `json:"shippingAddress"`
}

type itemRequest struct {
	ProductID *string `json:"productId"`
	Quantity  *int    `json:"quantity"`
}

type addressRequest struct {
	Name       *string `json:"name"`
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	City       *string `json:"city"`
	PostalCode *string `json:"postalCode"`
	Country    *string `json:"country"`
}

// toCheckout checks that every required field is present and returns the
// domain request.
func (req checkoutRequest) toCheckout(userID, key string) (orders.CheckoutRequest, error) {
	switch {
	case req.Items == nil:
		return orders.CheckoutRequest{}, missing("items")
	case req.PaymentToken == nil:
		return orders.CheckoutRequest{}, missing("paymentToken")
	case req.ShippingAddress == nil:
		return orders.CheckoutRequest{}, missing("shippingAddress")
	}
	out := orders.CheckoutRequest{UserID: userID, IdempotencyKey: key, PaymentToken: *req.PaymentToken}
	for i, it := range *req.Items {
		switch {
		case it.ProductID == nil:
			return orders.CheckoutRequest{}, missing(fmt.Sprintf("items[%d].productId", i))
		case it.Quantity == nil:
			return orders.CheckoutRequest{}, missing(fmt.Sprintf("items[%d].quantity", i))
		}
		out.Items = append(out.Items, orders.Item{ProductID: *it.ProductID, Quantity: *it.Quantity})
	}
	a := req.ShippingAddress
	required := []struct {
		name string
		v    *string
		dst  *string
	}{
		{"name", a.Name, &out.Shipping.Name},
		{"line1", a.Line1, &out.Shipping.Line1},
		{"city", a.City, &out.Shipping.City},
		{"postalCode", a.PostalCode, &out.Shipping.PostalCode},
		{"country", a.Country, &out.Shipping.Country},
	}
	for _, f := range required {
		if f.v == nil {
			return orders.CheckoutRequest{}, missing("shippingAddress." + f.name)
		}
		*f.dst = *f.v
	}
	if a.Line2 != nil {
		out.Shipping.Line2 = *a.Line2
	}
	return out, nil
}

// checkoutResponse answers POST /checkout.
type checkoutResponse struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
	Links   links  `json:"links"`
}

type links struct {
	Self string `json:"self"`
}

type moneyResponse struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func toMoney(m money.Money) moneyResponse {
	return moneyResponse{Amount: m.Amount(), Currency: m.Currency()}
}

type lineResponse struct {
	ProductID string        `json:"productId"`
	Name      string        `json:"name"`
	Quantity  int           `json:"quantity"`
	UnitPrice moneyResponse `json:"unitPrice"`
}

type addressResponse struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"`
}

type historyResponse struct {
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// orderResponse is an order in full: GET /orders/{id} and PATCH
// /orders/{id}/status.
type orderResponse struct {
	ID              string            `json:"id"`
	UserID          string            `json:"userId"`
	UserName        string            `json:"userName"`
	Lines           []lineResponse    `json:"lines"`
	Total           moneyResponse     `json:"total"`
	ShippingAddress addressResponse   `json:"shippingAddress"`
	Status          string            `json:"status"`
	FailureReason   string            `json:"failureReason,omitempty"`
	History         []historyResponse `json:"history"`
	PaymentID       string            `json:"paymentId,omitempty"`
	CreatedAt       time.Time         `json:"createdAt"`
	UpdatedAt       time.Time         `json:"updatedAt"`
	Version         int64             `json:"version"`
}

func toOrderResponse(o orders.Order) orderResponse {
	a := o.Shipping()
	out := orderResponse{
		ID: o.ID(), UserID: o.UserID(), UserName: o.UserName(), Total: toMoney(o.Total()),
		ShippingAddress: addressResponse{Name: a.Name, Line1: a.Line1, Line2: a.Line2, City: a.City, PostalCode: a.PostalCode, Country: a.Country},
		Status:          string(o.Status()), FailureReason: o.FailureReason(), PaymentID: o.PaymentID(),
		CreatedAt: o.CreatedAt().UTC(), UpdatedAt: o.UpdatedAt().UTC(), Version: o.Version(),
		Lines: []lineResponse{}, History: []historyResponse{},
	}
	for _, l := range o.Lines() {
		out.Lines = append(out.Lines, lineResponse{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity, UnitPrice: toMoney(l.UnitPrice)})
	}
	for _, h := range o.History() {
		out.History = append(out.History, historyResponse{Status: string(h.Status), At: h.At.UTC(), Reason: h.Reason})
	}
	return out
}

type summaryResponse struct {
	ID        string        `json:"id"`
	Status    string        `json:"status"`
	Total     moneyResponse `json:"total"`
	CreatedAt time.Time     `json:"createdAt"`
	UserName  string        `json:"userName"`
}

// listResponse answers GET /users/{id}/orders.
type listResponse struct {
	Items      []summaryResponse `json:"items"`
	NextCursor string            `json:"nextCursor,omitempty"`
}

func toListResponse(p orders.SummaryPage) listResponse {
	out := listResponse{Items: make([]summaryResponse, 0, len(p.Items)), NextCursor: p.NextCursor}
	for _, s := range p.Items {
		out.Items = append(out.Items, summaryResponse{
			ID: s.ID, Status: string(s.Status), Total: toMoney(s.Total), CreatedAt: s.CreatedAt.UTC(), UserName: s.UserName,
		})
	}
	return out
}

// setStatusRequest is the body of PATCH /orders/{id}/status.
type setStatusRequest struct {
	Status *string `json:"status"`
}
