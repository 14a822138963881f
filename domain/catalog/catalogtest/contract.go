package catalogtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/money"
)

// CmpOptions compares catalog entities field by field: times with Equal,
// nil and empty slices alike.
func CmpOptions() cmp.Options {
	return cmp.Options{
		cmp.AllowUnexported(catalog.Product{}, catalog.Reservation{}, money.Money{}),
		cmpopts.EquateEmpty(),
	}
}

// RunRepositoryContract runs the behaviour every catalog.Repository must
// have against repositories from newRepo (a fresh one per subtest), directly
// and through a catalog.Service, including the races of every conditional
// write.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) catalog.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo catalog.Repository)
	}{
		{"CreateThenGet", testCreateThenGet},
		{"GetUnknown", testGetUnknown},
		{"CreateDuplicateSKU", testCreateDuplicateSKU},
		{"CreateDuplicateID", testCreateDuplicateID},
		{"UpdateApplies", testUpdateApplies},
		{"UpdateUnknown", testUpdateUnknown},
		{"UpdateFnError", testUpdateFnError},
		{"UpdateWithoutChange", testUpdateWithoutChange},
		{"UpdateKeepsConcurrentReservation", testUpdateKeepsConcurrentReservation},
		{"Lookup", testLookup},
		{"SearchByCategory", testSearchByCategory},
		{"SearchByNamePrefix", testSearchByNamePrefix},
		{"SearchByCategoryAndPrefix", testSearchByCategoryAndPrefix},
		{"SearchPagesEachOnce", testSearchPagesEachOnce},
		{"SearchExactPages", testSearchExactPages},
		{"SearchInvalidCursor", testSearchInvalidCursor},
		{"ReserveMovesStock", testReserveMovesStock},
		{"ReserveExisting", testReserveExisting},
		{"ReserveUnknownProduct", testReserveUnknownProduct},
		{"ReserveShortageAllOrNothing", testReserveShortageAllOrNothing},
		{"RecordAndGetReservation", testRecordAndGetReservation},
		{"ReleaseReturnsUnits", testReleaseReturnsUnits},
		{"ServiceReserveIdempotent", testServiceReserveIdempotent},
		{"ServiceRejectionIdempotent", testServiceRejectionIdempotent},
		{"ServiceReserveUnknownProduct", testServiceReserveUnknownProduct},
		{"ServiceReleaseIdempotent", testServiceReleaseIdempotent},
		{"ServiceReleaseBeforeReserve", testServiceReleaseBeforeReserve},
		{"ServiceMaxLines", testServiceMaxLines},
		{"RaceUpdate", testRaceUpdate},
		{"RaceReserveOneProduct", testRaceReserveOneProduct},
		{"RaceReserveAndRelease", testRaceReserveAndRelease},
		{"RaceCreateSameSKU", testRaceCreateSameSKU},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

var testEpoch = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// product builds a valid product with a unique id and SKU.
func product(t *testing.T, name, category string, available int) catalog.Product {
	t.Helper()
	p, err := catalog.NewProduct(uuid.NewString(), catalog.NewProductParams{
		SKU:          "SKU-" + strings.ToUpper(uuid.NewString()[:13]),
		Name:         name,
		Description:  "A " + name + ".\nMade to last.",
		Category:     category,
		PriceAmount:  1999,
		Currency:     "EUR",
		InitialStock: available,
	}, testEpoch)
	if err != nil {
		t.Fatalf("new product %q: %v", name, err)
	}
	return p
}

func mustCreate(t *testing.T, repo catalog.Repository, products ...catalog.Product) {
	t.Helper()
	for _, p := range products {
		if err := repo.Create(context.Background(), p); err != nil {
			t.Fatalf("create %s: %v", p.Name(), err)
		}
	}
}

func mustGet(t *testing.T, repo catalog.Repository, id string) catalog.Product {
	t.Helper()
	p, err := repo.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return p
}

func wantStock(t *testing.T, repo catalog.Repository, id string, want catalog.Stock) {
	t.Helper()
	if diff := cmp.Diff(want, mustGet(t, repo, id).Stock()); diff != "" {
		t.Errorf("stock of %s (-want +got):\n%s", id, diff)
	}
}

// unique returns a lower-case token unique to this call, for categories
// and name prefixes.
func unique(prefix string) string {
	return prefix + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
}

func newService(repo catalog.Repository, attempts int) *catalog.Service {
	return catalog.NewService(repo, time.Now, uuid.NewString, catalog.WithRetry(attempts, time.Millisecond, 20*time.Millisecond))
}
