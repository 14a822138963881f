package catalogtest

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
)

func search(t *testing.T, repo catalog.Repository, q catalog.Query) catalog.Page {
	t.Helper()
	page, err := repo.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return page
}

// names returns the names of products, in order.
func names(products []catalog.Product) []string {
	out := make([]string, 0, len(products))
	for _, p := range products {
		out = append(out, p.Name())
	}
	return out
}

func testSearchByCategory(t *testing.T, repo catalog.Repository) {
	cat, other := unique("cat-"), unique("cat-")
	mustCreate(t, repo,
		product(t, "banana split", cat, 1),
		product(t, "Apple pie", cat, 1),
		product(t, "cherry", cat, 1),
		product(t, "apple", cat, 1),
		product(t, "Apricot", other, 1),
	)
	page := search(t, repo, catalog.Query{Category: cat, Limit: 10})
	// "apple" sorts before "Apple pie": a name that prefixes another comes
	// first, and case does not matter.
	want := []string{"apple", "Apple pie", "banana split", "cherry"}
	if diff := gocmp.Diff(want, names(page.Items)); diff != "" {
		t.Errorf("search by category (-want +got):\n%s", diff)
	}
	if page.NextCursor != "" {
		t.Errorf("single page has a next cursor %q", page.NextCursor)
	}
	if page := search(t, repo, catalog.Query{Category: unique("cat-"), Limit: 10}); len(page.Items) != 0 || page.NextCursor != "" {
		t.Errorf("search of an empty category = %v, %q", names(page.Items), page.NextCursor)
	}
}

func testSearchByNamePrefix(t *testing.T, repo catalog.Repository) {
	pre := unique("zz")
	up := strings.ToUpper(pre)
	lamp := product(t, pre+" Lamp", "home", 1)
	mustCreate(t, repo,
		lamp,
		product(t, up+" chair", "garden", 1),
		product(t, pre+"x table", "home", 1),
		product(t, "Other "+pre, "home", 1),
		product(t, "Éclair "+pre, "food", 1),
	)
	page := search(t, repo, catalog.Query{NamePrefix: pre, Limit: 10})
	want := []string{up + " chair", pre + " Lamp", pre + "x table"}
	if diff := gocmp.Diff(want, names(page.Items)); diff != "" {
		t.Errorf("search by prefix (-want +got):\n%s", diff)
	}
	if diff := gocmp.Diff(lamp, page.Items[1], CmpOptions()); diff != "" {
		t.Errorf("found product (-want +got):\n%s", diff)
	}
	page = search(t, repo, catalog.Query{NamePrefix: "éclair " + pre, Limit: 10})
	if diff := gocmp.Diff([]string{"Éclair " + pre}, names(page.Items)); diff != "" {
		t.Errorf("search by non-ASCII prefix (-want +got):\n%s", diff)
	}
}

func testSearchByCategoryAndPrefix(t *testing.T, repo catalog.Repository) {
	cat := unique("cat-")
	mustCreate(t, repo,
		product(t, "Red shoe", cat, 1),
		product(t, "red hat", cat, 1),
		product(t, "Blue shoe", cat, 1),
		product(t, "Red car", unique("cat-"), 1),
	)
	page := search(t, repo, catalog.Query{Category: cat, NamePrefix: "red", Limit: 10})
	if diff := gocmp.Diff([]string{"red hat", "Red shoe"}, names(page.Items)); diff != "" {
		t.Errorf("search by category and prefix (-want +got):\n%s", diff)
	}
}

// pageAll follows the cursors of q to the end, checking that every page but
// the last is full.
func pageAll(t *testing.T, repo catalog.Repository, q catalog.Query) (ids []string, pages int) {
	t.Helper()
	for {
		page := search(t, repo, q)
		pages++
		for _, p := range page.Items {
			ids = append(ids, p.ID())
		}
		if page.NextCursor == "" {
			return ids, pages
		}
		if len(page.Items) != q.Limit {
			t.Fatalf("page %d has %d items and a next cursor, want %d", pages, len(page.Items), q.Limit)
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		q.Cursor = page.NextCursor
	}
}

// sortedIDs returns the ids of products in search order.
func sortedIDs(products []catalog.Product) []string {
	products = slices.Clone(products)
	slices.SortFunc(products, func(a, b catalog.Product) int {
		return cmp.Or(cmp.Compare(a.SearchName(), b.SearchName()), cmp.Compare(a.ID(), b.ID()))
	})
	ids := make([]string, 0, len(products))
	for _, p := range products {
		ids = append(ids, p.ID())
	}
	return ids
}

func testSearchPagesEachOnce(t *testing.T, repo catalog.Repository) {
	cat, pre := unique("cat-"), unique("pp")
	var inCat, withPrefix []catalog.Product
	for _, i := range rand.Perm(23) {
		category := cat
		if i%3 == 0 {
			category = unique("cat-")
		}
		// Pairs of products share a name, so ties (ordered by id) fall
		// across page boundaries too.
		p := product(t, fmt.Sprintf("%s item %02d", pre, i/2), category, i)
		mustCreate(t, repo, p)
		withPrefix = append(withPrefix, p)
		if category == cat {
			inCat = append(inCat, p)
		}
	}
	tests := []struct {
		name string
		q    catalog.Query
		want []string
	}{
		{"category", catalog.Query{Category: cat, Limit: 4}, sortedIDs(inCat)},
		{"prefix", catalog.Query{NamePrefix: pre, Limit: 5}, sortedIDs(withPrefix)},
		{"category and prefix", catalog.Query{Category: cat, NamePrefix: pre + " item 0", Limit: 3}, sortedIDs(filterPrefix(inCat, pre+" item 0"))},
	}
	for _, tt := range tests {
		got, pages := pageAll(t, repo, tt.q)
		if diff := gocmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: paged ids (-want +got):\n%s", tt.name, diff)
		}
		if wantPages := (len(tt.want) + tt.q.Limit - 1) / tt.q.Limit; pages != wantPages || len(tt.want) <= tt.q.Limit {
			t.Errorf("%s: %d pages for %d items of %d, want %d (and more than one)", tt.name, pages, len(tt.want), tt.q.Limit, wantPages)
		}
	}
}

func filterPrefix(products []catalog.Product, prefix string) []catalog.Product {
	var out []catalog.Product
	for _, p := range products {
		if strings.HasPrefix(p.SearchName(), prefix) {
			out = append(out, p)
		}
	}
	return out
}

func testSearchExactPages(t *testing.T, repo catalog.Repository) {
	cat := unique("cat-")
	var all []catalog.Product
	for i := range 10 {
		all = append(all, product(t, fmt.Sprintf("Thing %d", i), cat, 1))
	}
	mustCreate(t, repo, all...)
	ids, pages := pageAll(t, repo, catalog.Query{Category: cat, Limit: 5})
	if diff := gocmp.Diff(sortedIDs(all), ids); diff != "" {
		t.Errorf("paged ids (-want +got):\n%s", diff)
	}
	if pages != 2 {
		t.Errorf("10 items in pages of 5 took %d pages, want 2 (no empty last page)", pages)
	}
}

func testSearchInvalidCursor(t *testing.T, repo catalog.Repository) {
	cat, other := unique("cat-"), unique("cat-")
	mustCreate(t, repo,
		product(t, "Pa one", cat, 1), product(t, "Pa two", cat, 1), product(t, "Pa three", cat, 1),
		product(t, "Pb one", other, 1), product(t, "Pb two", other, 1),
	)
	catCursor := search(t, repo, catalog.Query{Category: cat, Limit: 1}).NextCursor
	nameCursor := search(t, repo, catalog.Query{NamePrefix: "pa", Limit: 1}).NextCursor
	if catCursor == "" || nameCursor == "" {
		t.Fatalf("no cursor to tamper with: %q, %q", catCursor, nameCursor)
	}
	// The cursors work for their own queries.
	if page := search(t, repo, catalog.Query{Category: cat, Limit: 5, Cursor: catCursor}); len(page.Items) != 2 {
		t.Errorf("second category page has %d items, want 2", len(page.Items))
	}
	if page := search(t, repo, catalog.Query{NamePrefix: "pa", Limit: 5, Cursor: nameCursor}); len(page.Items) != 2 {
		t.Errorf("second name page has %d items, want 2", len(page.Items))
	}
	b64 := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name string
		q    catalog.Query
	}{
		{"not base64", catalog.Query{Category: cat, Cursor: "!!not*base64"}},
		{"not json", catalog.Query{Category: cat, Cursor: b64([]byte("hello"))}},
		{"empty object", catalog.Query{Category: cat, Cursor: b64([]byte("{}"))}},
		{"wrong types", catalog.Query{Category: cat, Cursor: b64([]byte(`{"pk":1,"sk":[]}`))}},
		{"truncated", catalog.Query{Category: cat, Cursor: catCursor[:len(catCursor)-4]}},
		{"other category", catalog.Query{Category: other, Cursor: catCursor}},
		{"category cursor for a name search", catalog.Query{NamePrefix: "pa", Cursor: catCursor}},
		{"name cursor for a category search", catalog.Query{Category: cat, Cursor: nameCursor}},
		{"other name prefix", catalog.Query{NamePrefix: "pb", Cursor: nameCursor}},
		{"other name partition", catalog.Query{NamePrefix: "x", Cursor: nameCursor}},
		{"added prefix", catalog.Query{Category: cat, NamePrefix: "pb", Cursor: catCursor}},
	}
	for _, tt := range tests {
		tt.q.Limit = 5
		_, err := repo.Search(context.Background(), tt.q)
		if !errors.Is(err, catalog.ErrInvalidCursor) {
			t.Errorf("%s: err = %v, want ErrInvalidCursor", tt.name, err)
		}
	}
}
