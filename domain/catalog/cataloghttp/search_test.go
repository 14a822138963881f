package cataloghttp_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
)

type searchPage struct {
	Items      []product `json:"items"`
	NextCursor string    `json:"nextCursor"`
}

func TestSearch(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	for i, name := range []string{"Red lamp", "red chair", "Blue lamp", "Red table"} {
		category := "home"
		if i == 3 {
			category = "garden"
		}
		create(t, h, fmt.Sprintf(`{"sku":"S-%d","name":%q,"category":%q,"price":{"amount":100,"currency":"USD"}}`, i, name, category))
	}
	tests := []struct {
		name   string
		target string
		want   []string
	}{
		{"category", "/products/search?category=home", []string{"Blue lamp", "red chair", "Red lamp"}},
		{"prefix", "/products/search?q=RED", []string{"red chair", "Red lamp", "Red table"}},
		{"both", "/products/search?category=home&q=red%20", []string{"red chair", "Red lamp"}},
		{"none found", "/products/search?q=green", []string{}},
	}
	for _, tt := range tests {
		rec := do(t, h, http.MethodGet, tt.target, "", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.name, rec.Code, rec.Body)
		}
		page := decode[searchPage](t, rec)
		got := []string{}
		for _, p := range page.Items {
			got = append(got, p.Name)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || page.NextCursor != "" {
			t.Errorf("%s: names (-want +got):\n%s cursor %q", tt.name, diff, page.NextCursor)
		}
	}

	var got []string
	target := "/products/search?category=home&limit=2"
	for range 5 {
		rec := do(t, h, http.MethodGet, target, "", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("page: %d %s", rec.Code, rec.Body)
		}
		page := decode[searchPage](t, rec)
		for _, p := range page.Items {
			got = append(got, p.Name)
		}
		if page.NextCursor == "" {
			break
		}
		target = "/products/search?category=home&limit=2&cursor=" + page.NextCursor
	}
	if diff := cmp.Diff([]string{"Blue lamp", "red chair", "Red lamp"}, got); diff != "" {
		t.Errorf("paged names (-want +got):\n%s", diff)
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	h := server(t, catalogtest.NewRepository())
	tests := []struct {
		name   string
		target string
		want   string
	}{
		{"no filter", "/products/search", "missing_filter"},
		{"blank filters", "/products/search?q=%20&category=", "missing_filter"},
		{"bad cursor", "/products/search?category=home&cursor=garbage", "invalid_cursor"},
		{"limit zero", "/products/search?category=home&limit=0", "invalid_limit"},
		{"limit too big", "/products/search?category=home&limit=101", "invalid_limit"},
		{"limit not a number", "/products/search?category=home&limit=ten", "invalid_limit"},
		{"bad category", "/products/search?category=home%20office", "invalid_category"},
		{"q too long", "/products/search?q=" + strings.Repeat("a", 101), "invalid_query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodGet, tt.target, "", nil)
			if rec.Code != http.StatusBadRequest || errorCode(t, rec) != tt.want {
				t.Errorf("status %d %s, want 400 %s", rec.Code, rec.Body, tt.want)
			}
		})
	}
}
