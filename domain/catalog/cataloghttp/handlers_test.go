package cataloghttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/cataloghttp"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/routes"
)

var (
	now      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	admin    = &auth.Identity{UserID: "u-admin", Role: auth.RoleAdmin}
	customer = &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}
)

// server serves the catalog's routes on repo, naming products p-1, p-2...
func server(t *testing.T, repo catalog.Repository) http.Handler {
	t.Helper()
	var seq atomic.Int64
	svc := catalog.NewService(repo, func() time.Time { return now }, func() string {
		return fmt.Sprintf("p-%d", seq.Add(1))
	})
	router := httpapi.NewRouter()
	for function, h := range cataloghttp.Handlers(svc) {
		router.Handle(routes.Pattern(function), h)
	}
	return router
}

func do(t *testing.T, h http.Handler, method, target, body string, id *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if id != nil {
		req = req.WithContext(auth.WithIdentity(req.Context(), *id))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	return body.Error.Code
}

type product struct {
	ID          string `json:"id"`
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Price       struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"price"`
	Stock struct {
		Available int `json:"available"`
		Reserved  int `json:"reserved"`
	} `json:"stock"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
	return v
}

const lampBody = `{"sku":"lamp-01","name":"Desk lamp","description":"Warm light.","category":"home","price":{"amount":2999,"currency":"EUR"},"initialStock":4}`

func create(t *testing.T, h http.Handler, body string) product {
	t.Helper()
	rec := do(t, h, http.MethodPost, "/products", body, admin)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	return decode[product](t, rec)
}

func TestHandlersCoverTheCatalogRoutes(t *testing.T) {
	t.Parallel()
	svc := catalog.NewService(catalogtest.NewRepository(), time.Now, func() string { return "p" })
	var got, want []string
	for function := range cataloghttp.Handlers(svc) {
		got = append(got, function)
	}
	for _, r := range routes.All {
		if strings.HasPrefix(r.Function, "catalog-") && r.Function != routes.HealthFunction("catalog") { // health: internal/health
			want = append(want, r.Function)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handler keys (-routes +handlers):\n%s", diff)
	}
}

func TestCreateProduct(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	rec := do(t, h, http.MethodPost, "/products", lampBody, admin)
	if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("create: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	got := decode[product](t, rec)
	want := product{ID: "p-1", SKU: "LAMP-01", Name: "Desk lamp", Description: "Warm light.", Category: "home",
		CreatedAt: "2026-03-01T12:00:00Z", UpdatedAt: "2026-03-01T12:00:00Z"}
	want.Price.Amount, want.Price.Currency = 2999, "EUR"
	want.Stock.Available = 4
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}

	minimal := create(t, h, `{"sku":"MUG","name":"Mug","category":"kitchen","price":{"amount":500,"currency":"USD"}}`)
	if minimal.Stock.Available != 0 || minimal.Description != "" {
		t.Errorf("defaults: stock %+v, description %q", minimal.Stock, minimal.Description)
	}
}

func TestCreateProductErrors(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	create(t, h, `{"sku":"TAKEN","name":"First","category":"misc","price":{"amount":1,"currency":"USD"}}`)
	with := func(field, value string) string {
		var body map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lampBody), &body); err != nil {
			t.Fatal(err)
		}
		if value == "" {
			delete(body, field)
		} else {
			body[field] = json.RawMessage(value)
		}
		b, _ := json.Marshal(body)
		return string(b)
	}
	tests := []struct {
		name     string
		body     string
		id       *auth.Identity
		wantCode int
		want     string
	}{
		{"no identity", lampBody, nil, http.StatusUnauthorized, "unauthorized"},
		{"customer", lampBody, customer, http.StatusForbidden, "forbidden"},
		{"empty body", "", admin, http.StatusBadRequest, "empty_body"},
		{"malformed json", `{"sku":`, admin, http.StatusBadRequest, "malformed_json"},
		{"array", `[]`, admin, http.StatusBadRequest, "malformed_json"},
		{"unknown field", with("colour", `"red"`), admin, http.StatusBadRequest, "unknown_field"},
		{"wrong type", with("price", `{"amount":"12","currency":"EUR"}`), admin, http.StatusBadRequest, "invalid_field"},
		{"fractional amount", with("price", `{"amount":19.99,"currency":"EUR"}`), admin, http.StatusBadRequest, "invalid_field"},
		{"missing sku", with("sku", ""), admin, http.StatusBadRequest, "missing_field"},
		{"missing name", with("name", ""), admin, http.StatusBadRequest, "missing_field"},
		{"missing category", with("category", ""), admin, http.StatusBadRequest, "missing_field"},
		{"missing price", with("price", ""), admin, http.StatusBadRequest, "missing_field"},
		{"missing currency", with("price", `{"amount":1}`), admin, http.StatusBadRequest, "missing_field"},
		{"null sku", with("sku", "null"), admin, http.StatusBadRequest, "missing_field"},
		{"invalid sku", with("sku", `"LAMP 01"`), admin, http.StatusUnprocessableEntity, "invalid_sku"},
		{"sku too long", with("sku", `"`+strings.Repeat("A", 41)+`"`), admin, http.StatusUnprocessableEntity, "invalid_sku"},
		{"blank name", with("name", `"  "`), admin, http.StatusUnprocessableEntity, "invalid_name"},
		{"long description", with("description", `"`+strings.Repeat("x", 2001)+`"`), admin, http.StatusUnprocessableEntity, "invalid_description"},
		{"invalid category", with("category", `"home & garden"`), admin, http.StatusUnprocessableEntity, "invalid_category"},
		{"zero price", with("price", `{"amount":0,"currency":"EUR"}`), admin, http.StatusUnprocessableEntity, "invalid_price"},
		{"negative price", with("price", `{"amount":-5,"currency":"EUR"}`), admin, http.StatusUnprocessableEntity, "invalid_price"},
		{"invalid currency", with("price", `{"amount":5,"currency":"euro"}`), admin, http.StatusUnprocessableEntity, "invalid_currency"},
		{"negative stock", with("initialStock", `-1`), admin, http.StatusUnprocessableEntity, "invalid_stock"},
		{"sku taken", with("sku", `"taken"`), admin, http.StatusConflict, "sku_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodPost, "/products", tt.body, tt.id)
			if rec.Code != tt.wantCode || errorCode(t, rec) != tt.want {
				t.Errorf("status %d %s, want %d %s", rec.Code, rec.Body, tt.wantCode, tt.want)
			}
		})
	}
}

func TestGetProduct(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	created := create(t, h, lampBody)
	rec := do(t, h, http.MethodGet, "/products/"+created.ID, "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("get: %d %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff(created, decode[product](t, rec)); diff != "" {
		t.Errorf("get (-created +got):\n%s", diff)
	}
	for _, id := range []string{"unknown", strings.Repeat("a", 65), "a%20b", "a%23b"} {
		rec := do(t, h, http.MethodGet, "/products/"+id, "", nil)
		if rec.Code != http.StatusNotFound || errorCode(t, rec) != "product_not_found" {
			t.Errorf("get %q: %d %s, want 404 product_not_found", id, rec.Code, rec.Body)
		}
	}
}

// brokenRepo fails reads with an error that must not reach clients.
type brokenRepo struct{ catalog.Repository }

func (brokenRepo) Get(context.Context, string) (catalog.Product, error) {
	return catalog.Product{}, errors.New("dynamodb: secret internals")
}

func TestUnknownErrorsAre500WithoutDetails(t *testing.T) {
	t.Parallel()
	h := server(t, brokenRepo{catalogtest.NewRepository()})
	rec := do(t, h, http.MethodGet, "/products/p-1", "", nil)
	if rec.Code != http.StatusInternalServerError || errorCode(t, rec) != "internal" || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("get: %d %s, want a 500 without internals", rec.Code, rec.Body)
	}
}
