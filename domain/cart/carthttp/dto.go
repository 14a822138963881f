package carthttp

import (
	"fmt"
	"net/http"
	"time"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

type putItemRequest struct {
	Quantity *int `json:"quantity"`
}

type moneyResponse struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type itemResponse struct {
	ProductID string        `json:"productId"`
	Name      string        `json:"name"`
	Quantity  int           `json:"quantity"`
	UnitPrice moneyResponse `json:"unitPrice"`
	LineTotal moneyResponse `json:"lineTotal"`
	AddedAt   time.Time     `json:"addedAt"`
	UpdatedAt time.Time     `json:"updatedAt"`
}

type savedResponse struct {
	ProductID string        `json:"productId"`
	Name      string        `json:"name"`
	UnitPrice moneyResponse `json:"unitPrice"`
	SavedAt   time.Time     `json:"savedAt"`
}

// cartResponse is the cart as every cart operation returns it. ItemCount is
// the number of units across the active items.
type cartResponse struct {
	Items     []itemResponse  `json:"items"`
	Saved     []savedResponse `json:"saved"`
	Subtotals []moneyResponse `json:"subtotals"`
	ItemCount int             `json:"itemCount"`
}

func toMoney(m money.Money) moneyResponse {
	return moneyResponse{Amount: m.Amount(), Currency: m.Currency()}
}

func toCartResponse(c *cart.Cart) (cartResponse, error) {
	resp := cartResponse{Items: []itemResponse{}, Saved: []savedResponse{}, Subtotals: []moneyResponse{}, ItemCount: c.TotalQuantity()}
	for _, it := range c.Items() {
		total, err := it.LineTotal()
		if err != nil {
			return cartResponse{}, err
		}
		resp.Items = append(resp.Items, itemResponse{
			ProductID: it.ProductID(), Name: it.Name(), Quantity: it.Quantity(),
			UnitPrice: toMoney(it.UnitPrice()), LineTotal: toMoney(total),
			AddedAt: it.AddedAt().UTC(), UpdatedAt: it.UpdatedAt().UTC(),
		})
	}
	for _, s := range c.Saved() {
		resp.Saved = append(resp.Saved, savedResponse{
			ProductID: s.ProductID(), Name: s.Name(), UnitPrice: toMoney(s.UnitPrice()), SavedAt: s.SavedAt().UTC(),
		})
	}
	sums, err := c.Subtotals()
	if err != nil {
		return cartResponse{}, err
	}
	for _, m := range sums {
		resp.Subtotals = append(resp.Subtotals, toMoney(m))
	}
	return resp, nil
}

func respondCart(w http.ResponseWriter, r *http.Request, c *cart.Cart) {
	resp, err := toCartResponse(c)
	if err != nil {
		httpapi.Fail(w, r, fmt.Errorf("render cart: %w", err))
		return
	}
	httpapi.Respond(w, http.StatusOK, resp)
}
