package samplecatalog_test

import (
	"testing"

	"github.com/goshop-dev/goshop/internal/samplecatalog"
)

func TestProducts(t *testing.T) {
	t.Parallel()
	products, err := samplecatalog.Products()
	if err != nil {
		t.Fatal(err)
	}
	if len(products) < 5 {
		t.Fatalf("%d sample products", len(products))
	}
	skus := map[string]bool{}
	for _, p := range products {
		if p.SKU == "" || p.Name == "" || p.Category == "" || p.Price.Amount <= 0 || p.Price.Currency == "" || p.Stock <= 0 || skus[p.SKU] {
			t.Errorf("incomplete or repeated sample product %+v", p)
		}
		skus[p.SKU] = true
	}
}
