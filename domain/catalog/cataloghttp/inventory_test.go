package cataloghttp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/auth"
)

func TestSetInventory(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	created := create(t, h, lampBody)
	rec := do(t, h, http.MethodPut, "/products/"+created.ID+"/inventory", `{"available":12}`, admin)
	if rec.Code != http.StatusOK {
		t.Fatalf("set inventory: %d %s", rec.Code, rec.Body)
	}
	want := created
	want.Stock.Available = 12
	if diff := cmp.Diff(want, decode[product](t, rec)); diff != "" {
		t.Errorf("set inventory (-want +got):\n%s", diff)
	}
	rec = do(t, h, http.MethodGet, "/products/"+created.ID, "", nil)
	if got := decode[product](t, rec); got.Stock.Available != 12 {
		t.Errorf("stored stock %+v, want 12 available", got.Stock)
	}
}

func TestSetInventoryErrors(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	created := create(t, h, lampBody)
	path := "/products/" + created.ID + "/inventory"
	tests := []struct {
		name     string
		path     string
		body     string
		id       *auth.Identity
		wantCode int
		want     string
	}{
		{"no identity", path, `{"available":1}`, nil, http.StatusUnauthorized, "unauthorized"},
		{"customer", path, `{"available":1}`, customer, http.StatusForbidden, "forbidden"},
		{"negative", path, `{"available":-1}`, admin, http.StatusUnprocessableEntity, "invalid_stock"},
		{"missing available", path, `{}`, admin, http.StatusBadRequest, "missing_field"},
		{"wrong type", path, `{"available":"5"}`, admin, http.StatusBadRequest, "invalid_field"},
		{"reserved is not settable", path, `{"available":1,"reserved":0}`, admin, http.StatusBadRequest, "unknown_field"},
		{"malformed", path, `{"available":`, admin, http.StatusBadRequest, "malformed_json"},
		{"unknown product", "/products/nope/inventory", `{"available":1}`, admin, http.StatusNotFound, "product_not_found"},
		{"bad id", "/products/" + strings.Repeat("x", 65) + "/inventory", `{"available":1}`, admin, http.StatusNotFound, "product_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodPut, tt.path, tt.body, tt.id)
			if rec.Code != tt.wantCode || errorCode(t, rec) != tt.want {
				t.Errorf("status %d %s, want %d %s", rec.Code, rec.Body, tt.wantCode, tt.want)
			}
		})
	}
}
