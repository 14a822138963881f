package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
)

// flakyRepo fails the first calls of chosen operations with ErrConflict, as
// a repository does when concurrent writes interfere.
type flakyRepo struct {
	catalog.Repository
	mu       sync.Mutex
	failures map[string]int
	calls    map[string]int
}

func newFlaky(failures map[string]int) *flakyRepo {
	return &flakyRepo{Repository: catalogtest.NewRepository(), failures: failures, calls: map[string]int{}}
}

func (f *flakyRepo) conflict(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	if f.failures[op] > 0 {
		f.failures[op]--
		return fmt.Errorf("%s: %w", op, catalog.ErrConflict)
	}
	return nil
}

func (f *flakyRepo) callsOf(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *flakyRepo) Create(ctx context.Context, p catalog.Product) error {
	if err := f.conflict("create"); err != nil {
		return err
	}
	return f.Repository.Create(ctx, p)
}

func (f *flakyRepo) Update(ctx context.Context, id string, fn func(*catalog.Product) error) error {
	if err := f.conflict("update"); err != nil {
		return err
	}
	return f.Repository.Update(ctx, id, fn)
}

func (f *flakyRepo) Reserve(ctx context.Context, r catalog.Reservation) error {
	if err := f.conflict("reserve"); err != nil {
		return err
	}
	return f.Repository.Reserve(ctx, r)
}

func (f *flakyRepo) Release(ctx context.Context, r catalog.Reservation) error {
	if err := f.conflict("release"); err != nil {
		return err
	}
	return f.Repository.Release(ctx, r)
}

func (f *flakyRepo) Search(ctx context.Context, q catalog.Query) (catalog.Page, error) {
	_ = f.conflict("search")
	return f.Repository.Search(ctx, q)
}

func (f *flakyRepo) Get(ctx context.Context, id string) (catalog.Product, error) {
	_ = f.conflict("get")
	return f.Repository.Get(ctx, id)
}

var idSeq atomic.Int64

// newService returns a service on repo at the fixed time epoch, naming
// products id-1, id-2, ... across all tests.
func newService(repo catalog.Repository, attempts int) *catalog.Service {
	return catalog.NewService(repo, func() time.Time { return epoch }, func() string {
		return fmt.Sprintf("id-%d", idSeq.Add(1))
	}, catalog.WithRetry(attempts, time.Microsecond, 10*time.Microsecond))
}

func TestCreate(t *testing.T) {
	t.Parallel()
	repo := newFlaky(nil)
	svc := catalog.NewService(repo, func() time.Time { return epoch }, func() string { return "new-id" })
	p, err := svc.Create(context.Background(), validParams())
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if p.ID() != "new-id" || !p.CreatedAt().Equal(epoch) || p.Stock().Available != 4 {
		t.Errorf("created id %s at %v with %+v", p.ID(), p.CreatedAt(), p.Stock())
	}
	stored, err := svc.Get(context.Background(), "new-id")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if diff := cmp.Diff(p, stored, catalogtest.CmpOptions()); diff != "" {
		t.Errorf("stored (-created +stored):\n%s", diff)
	}
	params := validParams()
	params.SKU = "lamp-01" // the same SKU once normalized
	if _, err := svc.Create(context.Background(), params); !errors.Is(err, catalog.ErrSKUTaken) {
		t.Errorf("duplicate sku: err = %v, want ErrSKUTaken", err)
	}
	params.Currency = "euro"
	if _, err := svc.Create(context.Background(), params); !errors.Is(err, catalog.ErrInvalidCurrency) || repo.callsOf("create") != 2 {
		t.Errorf("invalid currency: err = %v after %d creates, want ErrInvalidCurrency and no write", err, repo.callsOf("create"))
	}
}

func TestConflictsAreRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		op       string
		failures int
		attempts int
		wantErr  error
	}{
		{"reserve recovers", "reserve", 2, 3, nil},
		{"reserve gives up", "reserve", 3, 3, catalog.ErrConflict},
		{"release recovers", "release", 2, 3, nil},
		{"release gives up", "release", 5, 3, catalog.ErrConflict},
		{"update recovers", "update", 1, 2, nil},
		{"update gives up", "update", 2, 2, catalog.ErrConflict},
		{"create recovers", "create", 4, 5, nil},
		{"create gives up", "create", 9, 5, catalog.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			repo := newFlaky(nil)
			setup := newService(repo, 1)
			p, err := setup.Create(ctx, validParams())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := setup.Reserve(ctx, "held", []catalog.Line{{ProductID: p.ID(), Quantity: 1}}); err != nil {
				t.Fatal(err)
			}
			repo.mu.Lock()
			repo.failures = map[string]int{tt.op: tt.failures}
			repo.calls = map[string]int{}
			repo.mu.Unlock()

			svc := newService(repo, tt.attempts)
			switch tt.op {
			case "reserve":
				_, err = svc.Reserve(ctx, "order", []catalog.Line{{ProductID: p.ID(), Quantity: 1}})
			case "release":
				_, err = svc.Release(ctx, "held")
			case "update":
				_, err = svc.SetInventory(ctx, p.ID(), 9)
			case "create":
				params := validParams()
				params.SKU = "OTHER"
				_, err = svc.Create(ctx, params)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if want := min(tt.failures+1, tt.attempts); repo.callsOf(tt.op) != want {
				t.Errorf("%d calls of %s, want %d", repo.callsOf(tt.op), tt.op, want)
			}
		})
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	t.Parallel()
	repo := newFlaky(map[string]int{"update": 100})
	svc := catalog.NewService(repo, time.Now, func() string { return "p" }, catalog.WithRetry(100, time.Hour, time.Hour))
	if _, err := svc.Create(context.Background(), validParams()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := svc.SetInventory(ctx, "p", 1)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %v, want the context's error promptly", err, time.Since(start))
	}
}

func TestSetInventory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newService(catalogtest.NewRepository(), 3)
	p, err := svc.Create(ctx, validParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reserve(ctx, "o", []catalog.Line{{ProductID: p.ID(), Quantity: 3}}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.SetInventory(ctx, p.ID(), 50)
	if err != nil {
		t.Fatalf("set inventory: %v", err)
	}
	if diff := cmp.Diff(catalog.Stock{Available: 50, Reserved: 3}, got.Stock()); diff != "" {
		t.Errorf("returned stock (-want +got):\n%s", diff)
	}
	stored, err := svc.Get(ctx, p.ID())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, stored, catalogtest.CmpOptions()); diff != "" {
		t.Errorf("returned and stored differ (-returned +stored):\n%s", diff)
	}
	tests := []struct {
		name  string
		id    string
		units int
		want  error
	}{
		{"negative", p.ID(), -1, catalog.ErrInvalidStock},
		{"unknown", "nope", 1, catalog.ErrNotFound},
		{"invalid id", "a/b", 1, catalog.ErrNotFound},
	}
	for _, tt := range tests {
		if _, err := svc.SetInventory(ctx, tt.id, tt.units); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestGetInvalidIDSkipsRepository(t *testing.T) {
	t.Parallel()
	repo := newFlaky(nil)
	svc := newService(repo, 1)
	for _, id := range []string{"", "a/b", strings.Repeat("x", 65)} {
		if _, err := svc.Get(context.Background(), id); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("get %q: err = %v, want ErrNotFound", id, err)
		}
	}
	if n := repo.callsOf("get"); n != 0 {
		t.Errorf("%d repository reads for invalid ids", n)
	}
}

func TestSearchValidation(t *testing.T) {
	t.Parallel()
	repo := newFlaky(nil)
	svc := newService(repo, 1)
	tests := []struct {
		name string
		q    catalog.Query
		want error
	}{
		{"no filter", catalog.Query{}, catalog.ErrMissingFilter},
		{"blank filters", catalog.Query{Category: "  ", NamePrefix: " \t"}, catalog.ErrMissingFilter},
		{"bad category", catalog.Query{Category: "home office"}, catalog.ErrInvalidCategory},
		{"prefix too long", catalog.Query{NamePrefix: strings.Repeat("é", catalog.MaxQueryRunes+1)}, catalog.ErrInvalidQuery},
		{"prefix with control", catalog.Query{NamePrefix: "a\x01"}, catalog.ErrInvalidQuery},
		{"negative limit", catalog.Query{Category: "home", Limit: -1}, catalog.ErrInvalidLimit},
		{"limit too big", catalog.Query{Category: "home", Limit: catalog.MaxLimit + 1}, catalog.ErrInvalidLimit},
		{"cursor too long", catalog.Query{Category: "home", Cursor: strings.Repeat("a", catalog.MaxCursorLen+1)}, catalog.ErrInvalidCursor},
		{"garbage cursor", catalog.Query{Category: "home", Cursor: "%%%"}, catalog.ErrInvalidCursor},
	}
	for _, tt := range tests {
		if _, err := svc.Search(context.Background(), tt.q); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if n := repo.callsOf("search"); n != 1 {
		t.Errorf("%d repository searches, want 1 (only the garbage cursor reaches it)", n)
	}
}

func TestSearchNormalizes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newService(catalogtest.NewRepository(), 1)
	for i := range catalog.DefaultLimit + 5 {
		params := validParams()
		params.SKU = fmt.Sprintf("SKU-%d", i)
		params.Name = fmt.Sprintf("Red Lamp %02d", i)
		if _, err := svc.Create(ctx, params); err != nil {
			t.Fatal(err)
		}
	}
	page, err := svc.Search(ctx, catalog.Query{Category: " HOME ", NamePrefix: "  RED l "})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if len(page.Items) != catalog.DefaultLimit || page.NextCursor == "" {
		t.Errorf("default page: %d items, cursor %q; want %d and a cursor", len(page.Items), page.NextCursor, catalog.DefaultLimit)
	}
	if got := page.Items[0].Name(); got != "Red Lamp 00" {
		t.Errorf("first item %q, want Red Lamp 00", got)
	}
	page, err = svc.Search(ctx, catalog.Query{NamePrefix: "blue"})
	if err != nil || page.Items == nil || len(page.Items) != 0 {
		t.Errorf("empty search = %#v, %v; want an empty, non-nil list", page.Items, err)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newService(catalogtest.NewRepository(), 1)
	a, err := svc.Create(ctx, validParams())
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Lookup(ctx, []string{"unknown", a.ID(), "bad/id", a.ID(), ""})
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	if diff := cmp.Diff([]catalog.Product{a}, got, catalogtest.CmpOptions()); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
	if got, err := svc.Lookup(ctx, nil); err != nil || got == nil || len(got) != 0 {
		t.Errorf("lookup of nothing = %#v, %v; want an empty, non-nil list", got, err)
	}
	if _, err := svc.Lookup(ctx, make([]string, catalog.MaxLookupIDs+1)); !errors.Is(err, catalog.ErrTooManyIDs) {
		t.Errorf("too many ids: err = %v, want ErrTooManyIDs", err)
	}
}

func TestReserveValidatesBeforeWriting(t *testing.T) {
	t.Parallel()
	repo := newFlaky(nil)
	svc := newService(repo, 1)
	tests := []struct {
		name  string
		order string
		lines []catalog.Line
		want  error
	}{
		{"bad order", "", []catalog.Line{{ProductID: "a", Quantity: 1}}, catalog.ErrInvalidOrderID},
		{"no lines", "o", nil, catalog.ErrInvalidLines},
		{"bad quantity", "o", []catalog.Line{{ProductID: "a", Quantity: 0}}, catalog.ErrInvalidQuantity},
	}
	for _, tt := range tests {
		if _, err := svc.Reserve(context.Background(), tt.order, tt.lines); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := svc.Release(context.Background(), "a b"); !errors.Is(err, catalog.ErrInvalidOrderID) {
		t.Errorf("release bad order: err = %v", err)
	}
	if n := repo.callsOf("reserve"); n != 0 {
		t.Errorf("%d reserve writes for invalid input", n)
	}
}
