// Package samplecatalog is the small catalog local runs start with: the
// one-process server loads it through the catalog service, and cmd/seed
// through the API of a running stack.
package samplecatalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed products.json
var raw []byte

// Product is one sample product, with the units in stock.
type Product struct {
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Price       Price  `json:"price"`
	Stock       int    `json:"stock"`
}

// Price is an amount in minor units of a currency.
type Price struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Products returns the sample catalog.
func Products() ([]Product, error) {
	var out []Product
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("sample catalog: %w", err)
	}
	return out, nil
}
