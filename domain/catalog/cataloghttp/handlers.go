// Package cataloghttp serves the catalog's API routes: plain net/http
// handlers over a catalog.Service, with the request and response shapes of
// the API.
package cataloghttp

import (
	"net/http"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns the catalog's handlers keyed by their function names in
// internal/routes.
func Handlers(svc *catalog.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"catalog-create-product": CreateProduct(svc),
		"catalog-get-product":    GetProduct(svc),
		"catalog-search":         Search(svc),
		"catalog-set-inventory":  SetInventory(svc),
	}
}

// CreateProduct serves POST /products (admin): 201 with the product.
func CreateProduct(svc *catalog.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := httpapi.Admin(r); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		var req createProductRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		params, err := req.params()
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		p, err := svc.Create(r.Context(), params)
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusCreated, toProductResponse(p))
	})
}

func (req createProductRequest) params() (catalog.NewProductParams, error) {
	switch {
	case req.SKU == nil:
		return catalog.NewProductParams{}, missing("sku")
	case req.Name == nil:
		return catalog.NewProductParams{}, missing("name")
	case req.Category == nil:
		return catalog.NewProductParams{}, missing("category")
	case req.Price == nil:
		return catalog.NewProductParams{}, missing("price")
	case req.Price.Amount == nil:
		return catalog.NewProductParams{}, missing("price.amount")
	case req.Price.Currency == nil:
		return catalog.NewProductParams{}, missing("price.currency")
	}
	params := catalog.NewProductParams{
		SKU: *req.SKU, Name: *req.Name, Category: *req.Category,
		PriceAmount: *req.Price.Amount, Currency: *req.Price.Currency,
	}
	if req.Description != nil {
		params.Description = *req.Description
	}
	if req.InitialStock != nil {
		params.InitialStock = *req.InitialStock
	}
	return params, nil
}

// GetProduct serves GET /products/{id} (public): 200 with the product.
func GetProduct(svc *catalog.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := svc.Get(r.Context(), r.PathValue("id"))
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toProductResponse(p))
	})
}

// Search serves GET /products/search?category=&q=&limit=&cursor= (public):
// 200 with {items, nextCursor?}.
func Search(svc *catalog.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit, err := httpapi.Limit(r, catalog.DefaultLimit, catalog.MaxLimit)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		query := r.URL.Query()
		page, err := svc.Search(r.Context(), catalog.Query{
			Category:   query.Get("category"),
			NamePrefix: query.Get("q"),
			Limit:      limit,
			Cursor:     query.Get("cursor"),
		})
		if err != nil {
			httpapi.Fail(w, r, searchError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toSearchResponse(page))
	})
}

// SetInventory serves PUT /products/{id}/inventory (admin): sets the units
// available to sell; 200 with the product.
func SetInventory(svc *catalog.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := httpapi.Admin(r); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		var req setInventoryRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		if req.Available == nil {
			httpapi.Fail(w, r, missing("available"))
			return
		}
		p, err := svc.SetInventory(r.Context(), r.PathValue("id"), *req.Available)
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toProductResponse(p))
	})
}
