package cataloghttp

import (
	"time"

	"github.com/goshop-dev/goshop/domain/catalog"
)

// createProductRequest is the body of POST /products. Pointers tell a
// missing field from a zero value.
type createProductRequest struct {
	SKU          *string       `json:"sku"`
	Name         *string       `json:"name"`
	Description  *string       `json:"description"`
	Category     *string       `json:"category"`
	Price        *priceRequest `json:"price"`
	InitialStock *int          `json:"initialStock"`
}

type priceRequest struct {
	Amount   *int64  `json:"amount"`
	Currency *string `json:"currency"`
}

// setInventoryRequest is the body of PUT /products/{id}/inventory.
type setInventoryRequest struct {
	Available *int `json:"available"`
}

type productResponse struct {
	ID          string        `json:"id"`
	SKU         string        `json:"sku"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Category    string        `json:"category"`
	Price       priceResponse `json:"price"`
	Stock       stockResponse `json:"stock"`
	CreatedAt   string        `json:"createdAt"`
	UpdatedAt   string        `json:"updatedAt"`
}

type priceResponse struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type stockResponse struct {
	Available int `json:"available"`
	Reserved  int `json:"reserved"`
}

type searchResponse struct {
	Items      []productResponse `json:"items"`
	NextCursor string            `json:"nextCursor,omitempty"`
}

func toProductResponse(p catalog.Product) productResponse {
	return productResponse{
		ID: p.ID(), SKU: p.SKU(), Name: p.Name(), Description: p.Description(), Category: p.Category(),
		Price:     priceResponse{Amount: p.Price().Amount(), Currency: p.Price().Currency()},
		Stock:     stockResponse{Available: p.Stock().Available, Reserved: p.Stock().Reserved},
		CreatedAt: formatTime(p.CreatedAt()),
		UpdatedAt: formatTime(p.UpdatedAt()),
	}
}

func toSearchResponse(page catalog.Page) searchResponse {
	resp := searchResponse{Items: make([]productResponse, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, p := range page.Items {
		resp.Items = append(resp.Items, toProductResponse(p))
	}
	return resp
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
