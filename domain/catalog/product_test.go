package catalog_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/domain/money"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func validParams() catalog.NewProductParams {
	return catalog.NewProductParams{
		SKU: "LAMP-01", Name: "Desk lamp", Description: "Warm light.", Category: "home",
		PriceAmount: 2999, Currency: "EUR", InitialStock: 4,
	}
}

func TestNewProduct(t *testing.T) {
	t.Parallel()
	p, err := catalog.NewProduct("p-1", catalog.NewProductParams{
		SKU: "  lamp-01 ", Name: "  Desk lamp ", Description: " Warm light.\nTwo bulbs. ", Category: " Home-Office ",
		PriceAmount: 2999, Currency: "EUR", InitialStock: 4,
	}, epoch.In(time.FixedZone("CET", 3600)))
	if err != nil {
		t.Fatalf("new product: %v", err)
	}
	price, _ := money.New(2999, "EUR")
	want := catalog.RehydrateProduct(catalog.ProductState{
		ID: "p-1", SKU: "LAMP-01", Name: "Desk lamp", Description: "Warm light.\nTwo bulbs.", Category: "home-office",
		Price: price, Stock: catalog.Stock{Available: 4}, CreatedAt: epoch, UpdatedAt: epoch, Version: 1,
	})
	if diff := cmp.Diff(want, p, catalogtest.CmpOptions()); diff != "" {
		t.Errorf("product (-want +got):\n%s", diff)
	}
	if p.CreatedAt().Location() != time.UTC {
		t.Errorf("createdAt in %v, want UTC", p.CreatedAt().Location())
	}
	if got := p.SearchName(); got != "desk lamp" {
		t.Errorf("search name = %q", got)
	}
}

func TestNewProductInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		change func(*catalog.NewProductParams)
		want   error
	}{
		{"empty id", "", func(*catalog.NewProductParams) {}, catalog.ErrInvalidProductID},
		{"id with slash", "a/b", func(*catalog.NewProductParams) {}, catalog.ErrInvalidProductID},
		{"empty sku", "p", func(p *catalog.NewProductParams) { p.SKU = "  " }, catalog.ErrInvalidSKU},
		{"sku with space", "p", func(p *catalog.NewProductParams) { p.SKU = "AB C" }, catalog.ErrInvalidSKU},
		{"sku with underscore", "p", func(p *catalog.NewProductParams) { p.SKU = "AB_C" }, catalog.ErrInvalidSKU},
		{"sku too long", "p", func(p *catalog.NewProductParams) { p.SKU = strings.Repeat("A", 41) }, catalog.ErrInvalidSKU},
		{"sku not ascii", "p", func(p *catalog.NewProductParams) { p.SKU = "ÄB" }, catalog.ErrInvalidSKU},
		{"blank name", "p", func(p *catalog.NewProductParams) { p.Name = " \t " }, catalog.ErrInvalidName},
		{"name too long", "p", func(p *catalog.NewProductParams) { p.Name = strings.Repeat("é", 201) }, catalog.ErrInvalidName},
		{"name with newline", "p", func(p *catalog.NewProductParams) { p.Name = "a\nb" }, catalog.ErrInvalidName},
		{"name not utf-8", "p", func(p *catalog.NewProductParams) { p.Name = "a\xffb" }, catalog.ErrInvalidName},
		{"description too long", "p", func(p *catalog.NewProductParams) { p.Description = strings.Repeat("x", 2001) }, catalog.ErrInvalidDescription},
		{"description with nul", "p", func(p *catalog.NewProductParams) { p.Description = "a\x00" }, catalog.ErrInvalidDescription},
		{"empty category", "p", func(p *catalog.NewProductParams) { p.Category = "" }, catalog.ErrInvalidCategory},
		{"category with space", "p", func(p *catalog.NewProductParams) { p.Category = "home office" }, catalog.ErrInvalidCategory},
		{"category too long", "p", func(p *catalog.NewProductParams) { p.Category = strings.Repeat("a", 51) }, catalog.ErrInvalidCategory},
		{"zero price", "p", func(p *catalog.NewProductParams) { p.PriceAmount = 0 }, catalog.ErrInvalidPrice},
		{"negative price", "p", func(p *catalog.NewProductParams) { p.PriceAmount = -1 }, catalog.ErrInvalidPrice},
		{"lower-case currency", "p", func(p *catalog.NewProductParams) { p.Currency = "eur" }, catalog.ErrInvalidCurrency},
		{"empty currency", "p", func(p *catalog.NewProductParams) { p.Currency = "" }, catalog.ErrInvalidCurrency},
		{"negative stock", "p", func(p *catalog.NewProductParams) { p.InitialStock = -1 }, catalog.ErrInvalidStock},
		{"huge stock", "p", func(p *catalog.NewProductParams) { p.InitialStock = catalog.MaxUnits + 1 }, catalog.ErrInvalidStock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			params := validParams()
			tt.change(&params)
			if _, err := catalog.NewProduct(tt.id, params, epoch); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewProductLimits(t *testing.T) {
	t.Parallel()
	params := validParams()
	params.SKU = strings.Repeat("A", catalog.MaxSKULen)
	params.Name = strings.Repeat("é", catalog.MaxNameRunes)
	params.Description = strings.Repeat("é", catalog.MaxDescriptionRunes)
	params.Category = strings.Repeat("a", catalog.MaxCategoryLen)
	params.InitialStock = 0
	if _, err := catalog.NewProduct(strings.Repeat("a", 64), params, epoch); err != nil {
		t.Errorf("product at every limit: %v", err)
	}
}

func TestSetAvailable(t *testing.T) {
	t.Parallel()
	p, err := catalog.NewProduct("p-1", validParams(), epoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetAvailable(-1, epoch.Add(time.Hour)); !errors.Is(err, catalog.ErrInvalidStock) {
		t.Errorf("negative: err = %v, want ErrInvalidStock", err)
	}
	if p.Version() != 1 || p.Stock().Available != 4 {
		t.Errorf("refused change applied: version %d, stock %+v", p.Version(), p.Stock())
	}
	later := epoch.Add(time.Hour)
	if err := p.SetAvailable(0, later); err != nil {
		t.Fatalf("set 0: %v", err)
	}
	if diff := cmp.Diff(catalog.Stock{Available: 0}, p.Stock()); diff != "" {
		t.Errorf("stock (-want +got):\n%s", diff)
	}
	if p.Version() != 2 || !p.UpdatedAt().Equal(later) || !p.CreatedAt().Equal(epoch) {
		t.Errorf("after change: version %d, updated %v, created %v", p.Version(), p.UpdatedAt(), p.CreatedAt())
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"0b6f8a4e-7c3d-4a51-9f0e-2d1c3b4a5e6f", true},
		{"01HQ3Z8K9M_abc", true},
		{"", false},
		{strings.Repeat("a", 65), false},
		{"a b", false},
		{"a#b", false},
		{"../x", false},
	}
	for _, tt := range tests {
		if got := catalog.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
