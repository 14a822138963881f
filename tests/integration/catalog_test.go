package integration

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
)

// catalogProduct is the API's product, every field.
type catalogProduct struct {
	ID          string    `json:"id"`
	SKU         string    `json:"sku"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Category    string    `json:"category"`
	Price       money     `json:"price"`
	Stock       stock     `json:"stock"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

type stock struct {
	Available int64 `json:"available"`
	Reserved  int64 `json:"reserved"`
}

// productPage is one page of a search.
type productPage struct {
	Items      []catalogProduct `json:"items"`
	NextCursor *string          `json:"nextCursor"`
}

func search(t testing.TB, q url.Values) response {
	t.Helper()
	return call(t, request{method: "GET", path: "/products/search?" + q.Encode()})
}

func searchPage(t testing.TB, q url.Values) productPage {
	t.Helper()
	res := search(t, q)
	want(t, "search "+q.Encode(), res, http.StatusOK)
	var p productPage
	res.decode(t, &p)
	return p
}

func productIDs(products []catalogProduct) []string {
	out := make([]string, len(products))
	for i, p := range products {
		out[i] = p.ID
	}
	return out
}

// TestCatalogProducts: an admin creates products, normalized as
// documented; they read back as created, page through a category search
// disjointly and completely, are found by name prefix, and take a new stock
// level. Cursors of another search are refused, and so are customers.
func TestCatalogProducts(t *testing.T) {
	t.Parallel()
	boss := admin(t)
	category := unique("catalog")
	prefix := unique("Brew")
	words := []string{"Kettle", "Grinder", "Dripper", "Scale", "Filter"} // not in name order
	var created []catalogProduct
	for i, w := range words {
		sku := unique("cat-sku")
		res := call(t, request{method: "POST", path: "/products", token: boss.Token, body: map[string]any{
			"sku": "  " + strings.ToLower(sku) + " ", "name": prefix + " " + w, "description": "A " + strings.ToLower(w) + " for pour-over",
			"category": " " + strings.ToUpper(category) + " ", "price": map[string]any{"amount": 1000 + i, "currency": "USD"}, "initialStock": 10 + i,
		}})
		want(t, "create "+w, res, http.StatusCreated)
		var p catalogProduct
		res.decode(t, &p)
		wantP := catalogProduct{ID: p.ID, SKU: strings.ToUpper(sku), Name: prefix + " " + w, Description: "A " + strings.ToLower(w) + " for pour-over",
			Category: category, Price: money{Amount: int64(1000 + i), Currency: "USD"}, Stock: stock{Available: int64(10 + i)}}
		if diff := cmp.Diff(wantP, p, cmpopts.IgnoreFields(catalogProduct{}, "CreatedAt", "UpdatedAt")); diff != "" || p.ID == "" || p.CreatedAt.IsZero() {
			t.Errorf("created %s (-want +got):\n%s", w, diff)
		}
		if diff := cmp.Diff(p, getCatalogProduct(t, p.ID)); diff != "" {
			t.Errorf("GET /products/%s differs from the created product (-created +read):\n%s", p.ID, diff)
		}
		created = append(created, p)
	}
	byName := append([]catalogProduct{}, created...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].Name < byName[j].Name })

	// A search index may lag a moment behind a write.
	eventually(t, 30*time.Second, "the category search finds the 5 products", func() (bool, string) {
		p := searchPage(t, url.Values{"category": {category}, "limit": {"100"}})
		return len(p.Items) == len(created), strings.Join(productIDs(p.Items), ",")
	})

	// Paging: limit 2 over 5 products gives 2, 2 and 1, disjoint, in name
	// order, the last page without nextCursor.
	var pages [][]catalogProduct
	var firstCursor string
	q := url.Values{"category": {strings.ToUpper(category)}, "limit": {"2"}} // trimmed and lower-cased
	for len(pages) < 5 {
		p := searchPage(t, q)
		pages = append(pages, p.Items)
		if p.NextCursor == nil {
			break
		}
		if *p.NextCursor == "" {
			t.Fatalf("page %d has an empty nextCursor; the last page has none, others a cursor", len(pages))
		}
		if firstCursor == "" {
			firstCursor = *p.NextCursor
		}
		q.Set("cursor", *p.NextCursor)
	}
	var sizes []int
	var all []catalogProduct
	for _, p := range pages {
		sizes = append(sizes, len(p))
		all = append(all, p...)
	}
	if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(productIDs(byName), productIDs(all)); diff != "" {
		t.Errorf("the pages together are not the 5 products once each in name order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(byName, all); diff != "" {
		t.Errorf("searched products differ from the created ones (-created +searched):\n%s", diff)
	}

	// A cursor only continues the search it came from.
	if firstCursor == "" {
		t.Fatal("the first page had no nextCursor")
	}
	bad := []struct {
		name string
		q    url.Values
	}{
		{"tampered cursor", url.Values{"category": {category}, "limit": {"2"}, "cursor": {"AAAA" + firstCursor[min(4, len(firstCursor)):]}}},
		{"cursor with a non-base64 character", url.Values{"category": {category}, "limit": {"2"}, "cursor": {firstCursor + "!"}}},
		{"truncated cursor", url.Values{"category": {category}, "limit": {"2"}, "cursor": {firstCursor[:len(firstCursor)/2]}}},
		{"garbage cursor", url.Values{"category": {category}, "limit": {"2"}, "cursor": {"garbage"}}},
		{"cursor of another category", url.Values{"category": {unique("other")}, "limit": {"2"}, "cursor": {firstCursor}}},
		{"cursor of the category on a name search", url.Values{"q": {prefix}, "limit": {"2"}, "cursor": {firstCursor}}},
	}
	for _, b := range bad {
		res := search(t, b.q)
		if res.status != http.StatusBadRequest || res.code() != "invalid_cursor" {
			t.Errorf("%s: search %s = %s, want 400 invalid_cursor", b.name, b.q.Encode(), res)
		}
	}

	// Name prefix, case-insensitive, alone and with the category.
	eventually(t, 30*time.Second, "the name search finds the 5 products", func() (bool, string) {
		p := searchPage(t, url.Values{"q": {strings.ToLower(prefix)}})
		return cmp.Equal(productIDs(byName), productIDs(p.Items)), strings.Join(productIDs(p.Items), ",")
	})
	for _, q := range []url.Values{
		{"q": {strings.ToUpper(prefix + " gr")}},
		{"q": {strings.ToLower(prefix + " gr")}, "category": {category}},
	} {
		p := searchPage(t, q)
		if diff := cmp.Diff([]string{prefix + " Grinder"}, names(p.Items)); diff != "" || p.NextCursor != nil {
			t.Errorf("search %s (-want +got):\n%s", q.Encode(), diff)
		}
	}
	if p := searchPage(t, url.Values{"q": {prefix + " Grinder"}, "category": {unique("other")}}); len(p.Items) != 0 {
		t.Errorf("a name search in another category found %v", names(p.Items))
	}

	// Inventory: set as an admin, read back; reserved and the rest stay.
	kettle := created[0]
	res := call(t, request{method: "PUT", path: "/products/" + kettle.ID + "/inventory", token: boss.Token, body: map[string]any{"available": 42}})
	want(t, "set inventory", res, http.StatusOK)
	var set catalogProduct
	res.decode(t, &set)
	wantSet := kettle
	wantSet.Stock = stock{Available: 42}
	if diff := cmp.Diff(wantSet, set, cmpopts.IgnoreFields(catalogProduct{}, "UpdatedAt")); diff != "" {
		t.Errorf("product after set inventory (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(set, getCatalogProduct(t, kettle.ID)); diff != "" {
		t.Errorf("product read back after set inventory (-answered +read):\n%s", diff)
	}

	// A customer may do neither.
	shopper := newUser(t)
	otherCategory := unique("forbidden")
	res = call(t, request{method: "POST", path: "/products", token: shopper.Token, body: map[string]any{
		"sku": unique("nope"), "name": "Not for sale", "category": otherCategory, "price": map[string]any{"amount": 100, "currency": "USD"},
	}})
	if res.status != http.StatusForbidden || res.code() != "forbidden" {
		t.Errorf("a customer creating a product = %s, want 403 forbidden", res)
	}
	res = call(t, request{method: "PUT", path: "/products/" + kettle.ID + "/inventory", token: shopper.Token, body: map[string]any{"available": 0}})
	if res.status != http.StatusForbidden || res.code() != "forbidden" {
		t.Errorf("a customer setting inventory = %s, want 403 forbidden", res)
	}
	if got := getCatalogProduct(t, kettle.ID); got.Stock != (stock{Available: 42}) {
		t.Errorf("after a customer's refused change the stock is %+v, want 42 available", got.Stock)
	}
	if p := searchPage(t, url.Values{"category": {otherCategory}}); len(p.Items) != 0 {
		t.Errorf("the customer's refused product exists: %v", names(p.Items))
	}

	res = call(t, request{method: "GET", path: "/products/" + uuid.NewString()})
	if res.status != http.StatusNotFound || res.code() != "product_not_found" {
		t.Errorf("an unknown product = %s, want 404 product_not_found", res)
	}
}

func names(products []catalogProduct) []string {
	out := make([]string, len(products))
	for i, p := range products {
		out[i] = p.Name
	}
	return out
}

func getCatalogProduct(t testing.TB, id string) catalogProduct {
	t.Helper()
	res := call(t, request{method: "GET", path: "/products/" + id})
	want(t, "get product "+id, res, http.StatusOK)
	var p catalogProduct
	res.decode(t, &p)
	return p
}

// cartView is the API's cart.
type cartView struct {
	Items []struct {
		ProductID string    `json:"productId"`
		Name      string    `json:"name"`
		Quantity  int64     `json:"quantity"`
		UnitPrice money     `json:"unitPrice"`
		LineTotal money     `json:"lineTotal"`
		AddedAt   time.Time `json:"addedAt"`
		UpdatedAt time.Time `json:"updatedAt"`
	} `json:"items"`
	Saved []struct {
		ProductID string    `json:"productId"`
		Name      string    `json:"name"`
		UnitPrice money     `json:"unitPrice"`
		SavedAt   time.Time `json:"savedAt"`
	} `json:"saved"`
	Subtotals []money `json:"subtotals"`
	ItemCount int64   `json:"itemCount"`
}

// cartLine and savedLine are what a cart test checks of each entry.
type cartLine struct {
	ProductID, Name string
	Quantity        int64
	Unit, Total     money
}

type savedLine struct {
	ProductID, Name string
	Unit            money
}

// cartSummary is a cart without its times.
type cartSummary struct {
	Items     []cartLine
	Saved     []savedLine
	Subtotals []money
	ItemCount int64
}

func (c cartView) summary(t testing.TB) cartSummary {
	t.Helper()
	s := cartSummary{Items: []cartLine{}, Saved: []savedLine{}, Subtotals: c.Subtotals, ItemCount: c.ItemCount}
	for _, it := range c.Items {
		s.Items = append(s.Items, cartLine{ProductID: it.ProductID, Name: it.Name, Quantity: it.Quantity, Unit: it.UnitPrice, Total: it.LineTotal})
		if it.AddedAt.IsZero() || it.UpdatedAt.Before(it.AddedAt) {
			t.Errorf("cart item %s added at %s, updated at %s", it.ProductID, it.AddedAt, it.UpdatedAt)
		}
	}
	for _, it := range c.Saved {
		s.Saved = append(s.Saved, savedLine{ProductID: it.ProductID, Name: it.Name, Unit: it.UnitPrice})
		if it.SavedAt.IsZero() {
			t.Errorf("saved item %s has no savedAt", it.ProductID)
		}
	}
	if s.Subtotals == nil {
		s.Subtotals = []money{}
	}
	return s
}

func getCart(t testing.TB, u user) cartView {
	t.Helper()
	res := call(t, request{method: "GET", path: "/cart", token: u.Token})
	want(t, "get cart", res, http.StatusOK)
	var c cartView
	res.decode(t, &c)
	return c
}

func usd(amount int64) money { return money{Amount: amount, Currency: "USD"} }

// TestCartLifecycle: an item is put, its quantity changed, saved for later,
// moved back and removed; the answer of each step and the cart read back
// after it hold the items, saved items, unit count and subtotals expected.
func TestCartLifecycle(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	category := unique("cart")
	kettle := newProduct(t, category, 10) // 12.99 USD
	res := call(t, request{method: "POST", path: "/products", token: admin(t).Token, body: map[string]any{
		"sku": unique("FILTER"), "name": "Paper filters " + unique("f"), "category": category,
		"price": map[string]any{"amount": 250, "currency": "USD"}, "initialStock": 10,
	}})
	want(t, "create filters", res, http.StatusCreated)
	var filters catalogProduct
	res.decode(t, &filters)

	kettleLine := func(q int64) cartLine {
		return cartLine{ProductID: kettle.ID, Name: kettle.Name, Quantity: q, Unit: usd(1299), Total: usd(1299 * q)}
	}
	filtersLine := func(q int64) cartLine {
		return cartLine{ProductID: filters.ID, Name: filters.Name, Quantity: q, Unit: usd(250), Total: usd(250 * q)}
	}
	// step sends one change, then checks its answer and the cart read back.
	step := func(what string, req request, status int, want cartSummary) {
		t.Helper()
		req.token = u.Token
		res := call(t, req)
		if res.status != status {
			t.Fatalf("%s = %s, want %d", what, res, status)
		}
		read := getCart(t, u)
		if status == http.StatusOK {
			var answered cartView
			res.decode(t, &answered)
			if diff := cmp.Diff(answered, read); diff != "" {
				t.Errorf("%s: the cart read back differs from the answer (-answered +read):\n%s", what, diff)
			}
		} else if len(res.body) != 0 {
			t.Errorf("%s: %d with a body: %s", what, res.status, res.body)
		}
		if diff := cmp.Diff(want, read.summary(t)); diff != "" {
			t.Errorf("%s: cart (-want +got):\n%s", what, diff)
		}
	}
	empty := cartSummary{Items: []cartLine{}, Saved: []savedLine{}, Subtotals: []money{}}
	if diff := cmp.Diff(empty, getCart(t, u).summary(t)); diff != "" {
		t.Errorf("a new user's cart (-want +got):\n%s", diff)
	}

	step("put 2 kettles", request{method: "PUT", path: "/cart/items/" + kettle.ID, body: map[string]any{"quantity": 2}}, http.StatusOK,
		cartSummary{Items: []cartLine{kettleLine(2)}, Saved: []savedLine{}, Subtotals: []money{usd(2598)}, ItemCount: 2})
	step("put 3 filters", request{method: "PUT", path: "/cart/items/" + filters.ID, body: map[string]any{"quantity": 3}}, http.StatusOK,
		cartSummary{Items: []cartLine{kettleLine(2), filtersLine(3)}, Saved: []savedLine{}, Subtotals: []money{usd(2598 + 750)}, ItemCount: 5})
	step("change the kettles to 1", request{method: "PUT", path: "/cart/items/" + kettle.ID, body: map[string]any{"quantity": 1}}, http.StatusOK,
		cartSummary{Items: []cartLine{kettleLine(1), filtersLine(3)}, Saved: []savedLine{}, Subtotals: []money{usd(1299 + 750)}, ItemCount: 4})
	step("save the kettle for later", request{method: "POST", path: "/cart/items/" + kettle.ID + "/save-for-later"}, http.StatusOK,
		cartSummary{Items: []cartLine{filtersLine(3)}, Saved: []savedLine{{ProductID: kettle.ID, Name: kettle.Name, Unit: usd(1299)}}, Subtotals: []money{usd(750)}, ItemCount: 3})

	// Errors change nothing.
	before := getCart(t, u)
	for _, c := range []struct {
		what   string
		req    request
		status int
		code   string
	}{
		{"put an unknown product", request{method: "PUT", path: "/cart/items/" + uuid.NewString(), body: map[string]any{"quantity": 1}}, http.StatusNotFound, "product_not_found"},
		{"save an item not in the cart", request{method: "POST", path: "/cart/items/" + uuid.NewString() + "/save-for-later"}, http.StatusNotFound, "item_not_found"},
		{"move back an item not saved", request{method: "POST", path: "/cart/saved/" + filters.ID + "/move-to-cart"}, http.StatusNotFound, "item_not_found"},
		{"put 0 filters", request{method: "PUT", path: "/cart/items/" + filters.ID, body: map[string]any{"quantity": 0}}, 0, ""},
	} {
		c.req.token = u.Token
		res := call(t, c.req)
		switch {
		case c.status == 0 && (res.status < 400 || res.status > 499 || res.code() == ""):
			t.Errorf("%s = %s, want a 4xx with a code", c.what, res)
		case c.status != 0 && (res.status != c.status || res.code() != c.code):
			t.Errorf("%s = %s, want %d %s", c.what, res, c.status, c.code)
		}
	}
	if diff := cmp.Diff(before, getCart(t, u)); diff != "" {
		t.Errorf("refused changes changed the cart (-before +after):\n%s", diff)
	}

	res = call(t, request{method: "POST", path: "/cart/saved/" + kettle.ID + "/move-to-cart", token: u.Token})
	want(t, "move the kettle back", res, http.StatusOK)
	moved := getCart(t, u)
	var answered cartView
	res.decode(t, &answered)
	if diff := cmp.Diff(answered, moved); diff != "" {
		t.Errorf("move back: the cart read back differs from the answer (-answered +read):\n%s", diff)
	}
	got := moved.summary(t)
	// Oldest first: where a moved-back item goes depends on whether it
	// counts as added anew, which the contract leaves open.
	sort.Slice(got.Items, func(i, j int) bool { return got.Items[i].ProductID < got.Items[j].ProductID })
	wantMoved := cartSummary{Items: []cartLine{kettleLine(1), filtersLine(3)}, Saved: []savedLine{}, Subtotals: []money{usd(1299 + 750)}, ItemCount: 4}
	sort.Slice(wantMoved.Items, func(i, j int) bool { return wantMoved.Items[i].ProductID < wantMoved.Items[j].ProductID })
	if diff := cmp.Diff(wantMoved, got); diff != "" {
		t.Errorf("move the kettle back: cart (-want +got):\n%s", diff)
	}

	step("remove the kettle", request{method: "DELETE", path: "/cart/items/" + kettle.ID}, http.StatusNoContent,
		cartSummary{Items: []cartLine{filtersLine(3)}, Saved: []savedLine{}, Subtotals: []money{usd(750)}, ItemCount: 3})
	step("remove the kettle again", request{method: "DELETE", path: "/cart/items/" + kettle.ID}, http.StatusNoContent,
		cartSummary{Items: []cartLine{filtersLine(3)}, Saved: []savedLine{}, Subtotals: []money{usd(750)}, ItemCount: 3})
	step("save the filters for later", request{method: "POST", path: "/cart/items/" + filters.ID + "/save-for-later"}, http.StatusOK,
		cartSummary{Items: []cartLine{}, Saved: []savedLine{{ProductID: filters.ID, Name: filters.Name, Unit: usd(250)}}, Subtotals: []money{}, ItemCount: 0})
	step("remove the saved filters", request{method: "DELETE", path: "/cart/saved/" + filters.ID}, http.StatusNoContent, empty)
}
