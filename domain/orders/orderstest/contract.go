package orderstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
)

// CmpOptions compares orders field by field: times with Equal, nil and
// empty slices alike.
func CmpOptions() cmp.Options {
	return cmp.Options{
		cmp.AllowUnexported(orders.Order{}, money.Money{}),
		cmpopts.EquateEmpty(),
	}
}

// Epoch is the time test orders are created at.
var Epoch = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// Address returns a valid shipping address.
func Address() orders.Address {
	return orders.Address{Name: "Ada Lovelace", Line1: "12 St James's Square", City: "London", PostalCode: "SW1Y 4JH", Country: "GB"}
}

// NewOrder builds a valid PENDING order of userID created at at, with a
// unique id.
func NewOrder(t *testing.T, userID string, at time.Time) orders.Order {
	t.Helper()
	price, err := money.New(1250, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	o, err := orders.NewOrder(uuid.Must(uuid.NewV7()).String(), orders.NewOrderParams{
		UserID: userID, UserName: "Ada",
		Lines: []orders.Line{
			{ProductID: "p-" + uuid.NewString()[:8], Name: "Lamp", Quantity: 2, UnitPrice: price},
			{ProductID: "p-" + uuid.NewString()[:8], Name: "Desk", Quantity: 1, UnitPrice: price},
		},
		Shipping: Address(),
	}, at)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// IdempotencyFor returns the record of a new key for o.
func IdempotencyFor(o orders.Order) orders.Idempotency {
	return orders.Idempotency{UserID: o.UserID(), Key: "key-" + uuid.NewString(), RequestHash: "hash-" + o.ID(), OrderID: o.ID(), CreatedAt: o.CreatedAt()}
}

// NewUserID returns a unique user id.
func NewUserID() string { return "u-" + uuid.NewString() }

// RunRepositoryContract runs the behaviour every orders.Repository must
// have against repositories from newRepo (a fresh one per subtest),
// directly and through an orders.Service, including the races of every
// conditional write.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) orders.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo orders.Repository)
	}{
		{"CreateThenGet", testCreateThenGet},
		{"GetUnknown", testGetUnknown},
		{"CreateDuplicateKey", testCreateDuplicateKey},
		{"IdempotencyUnknown", testIdempotencyUnknown},
		{"UpdateApplies", testUpdateApplies},
		{"UpdateUnknown", testUpdateUnknown},
		{"UpdateFnError", testUpdateFnError},
		{"UpdateWithoutChange", testUpdateWithoutChange},
		{"ListNewestFirstPaged", testListNewestFirstPaged},
		{"ListInvalidCursor", testListInvalidCursor},
		{"UserNamesNewestWins", testUserNamesNewestWins},
		{"ServiceCheckoutReplay", testServiceCheckoutReplay},
		{"ServiceListJoinsNames", testServiceListJoinsNames},
		{"RaceCreateSameKey", testRaceCreateSameKey},
		{"RaceUpdate", testRaceUpdate},
		{"RacePutUserName", testRacePutUserName},
		{"RaceServiceCheckout", testRaceServiceCheckout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

func testCreateThenGet(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	o := NewOrder(t, NewUserID(), Epoch)
	idem := IdempotencyFor(o)
	if err := repo.Create(ctx, o, idem); err != nil {
		t.Fatalf("Create: %v", err)
	}
	got, err := repo.Get(ctx, o.ID())
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(o, got, CmpOptions()); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	gotIdem, err := repo.Idempotency(ctx, idem.UserID, idem.Key)
	if err != nil {
		t.Fatalf("Idempotency: %v", err)
	}
	if diff := cmp.Diff(idem, gotIdem); diff != "" {
		t.Errorf("Idempotency (-want +got):\n%s", diff)
	}
}

func testGetUnknown(t *testing.T, repo orders.Repository) {
	if _, err := repo.Get(context.Background(), uuid.NewString()); !errors.Is(err, orders.ErrNotFound) {
		t.Errorf("Get unknown: %v, want ErrNotFound", err)
	}
}

func testCreateDuplicateKey(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	user := NewUserID()
	first, second := NewOrder(t, user, Epoch), NewOrder(t, user, Epoch)
	idem := IdempotencyFor(first)
	if err := repo.Create(ctx, first, idem); err != nil {
		t.Fatal(err)
	}
	idem2 := idem
	idem2.OrderID, idem2.RequestHash = second.ID(), "other"
	if err := repo.Create(ctx, second, idem2); !errors.Is(err, orders.ErrIdempotencyKeyExists) {
		t.Fatalf("Create with a used key: %v, want ErrIdempotencyKeyExists", err)
	}
	if _, err := repo.Get(ctx, second.ID()); !errors.Is(err, orders.ErrNotFound) {
		t.Errorf("second order after refused create: %v, want ErrNotFound", err)
	}
	got, err := repo.Idempotency(ctx, user, idem.Key)
	if err != nil || got.OrderID != first.ID() {
		t.Errorf("Idempotency = %+v, %v; want the first order", got, err)
	}
	// The same key of another user is another record.
	other := NewOrder(t, NewUserID(), Epoch)
	idem3 := idem
	idem3.UserID, idem3.OrderID = other.UserID(), other.ID()
	if err := repo.Create(ctx, other, idem3); err != nil {
		t.Errorf("same key, other user: %v", err)
	}
}

func testIdempotencyUnknown(t *testing.T, repo orders.Repository) {
	if _, err := repo.Idempotency(context.Background(), NewUserID(), "k"); !errors.Is(err, orders.ErrIdempotencyNotFound) {
		t.Errorf("Idempotency unknown: %v, want ErrIdempotencyNotFound", err)
	}
}

func create(t *testing.T, repo orders.Repository, o orders.Order) orders.Order {
	t.Helper()
	if err := repo.Create(context.Background(), o, IdempotencyFor(o)); err != nil {
		t.Fatalf("Create: %v", err)
	}
	return o
}

func testUpdateApplies(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	o := create(t, repo, NewOrder(t, NewUserID(), Epoch))
	later := Epoch.Add(time.Minute)
	err := repo.Update(ctx, o.ID(), func(o *orders.Order) error { return o.Confirm("pay-1", later) })
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	err = repo.Update(ctx, o.ID(), func(o *orders.Order) error { return o.Ship(later.Add(time.Hour)) })
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := o
	if err := want.Confirm("pay-1", later); err != nil {
		t.Fatal(err)
	}
	if err := want.Ship(later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := repo.Get(ctx, o.ID())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, CmpOptions()); diff != "" {
		t.Errorf("after Update (-want +got):\n%s", diff)
	}
	if got.Version() != 3 || got.Status() != orders.StatusShipped || got.PaymentID() != "pay-1" {
		t.Errorf("got version %d status %s payment %q", got.Version(), got.Status(), got.PaymentID())
	}
}

func testUpdateUnknown(t *testing.T, repo orders.Repository) {
	called := false
	err := repo.Update(context.Background(), uuid.NewString(), func(*orders.Order) error { called = true; return nil })
	if !errors.Is(err, orders.ErrNotFound) || called {
		t.Errorf("Update unknown: %v (fn called %v), want ErrNotFound", err, called)
	}
}

func testUpdateFnError(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	o := create(t, repo, NewOrder(t, NewUserID(), Epoch))
	boom := errors.New("boom")
	err := repo.Update(ctx, o.ID(), func(o *orders.Order) error {
		_ = o.Cancel("out_of_stock", Epoch)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v, want fn's error", err)
	}
	got, err := repo.Get(ctx, o.ID())
	if err != nil || got.Status() != orders.StatusPending || got.Version() != 1 {
		t.Errorf("after failed fn: %s v%d, %v; want unchanged", got.Status(), got.Version(), err)
	}
}

func testUpdateWithoutChange(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	o := create(t, repo, NewOrder(t, NewUserID(), Epoch))
	if err := repo.Update(ctx, o.ID(), func(*orders.Order) error { return nil }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	got, err := repo.Get(ctx, o.ID())
	if err != nil || got.Version() != 1 {
		t.Errorf("version %d, %v; want 1", got.Version(), err)
	}
}

func testListNewestFirstPaged(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	user := NewUserID()
	var want []string
	for i := range 5 {
		o := create(t, repo, NewOrder(t, user, Epoch.Add(time.Duration(i)*time.Second)))
		want = append([]string{o.ID()}, want...)
	}
	// Two orders in the same instant sort by id, descending.
	same := []orders.Order{NewOrder(t, user, Epoch.Add(-time.Hour)), NewOrder(t, user, Epoch.Add(-time.Hour))}
	if same[0].ID() < same[1].ID() {
		same[0], same[1] = same[1], same[0]
	}
	for _, o := range same {
		create(t, repo, o)
		want = append(want, o.ID())
	}
	create(t, repo, NewOrder(t, NewUserID(), Epoch)) // another user's
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("listing does not end")
		}
		page, err := repo.ListByUser(ctx, user, 3, cursor)
		if err != nil {
			t.Fatalf("ListByUser: %v", err)
		}
		if len(page.Items) == 0 {
			t.Fatalf("empty page after %v", got)
		}
		for _, o := range page.Items {
			got = append(got, o.ID())
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listing (-want +got):\n%s", diff)
	}
	exact, err := repo.ListByUser(ctx, user, 7, "")
	if err != nil || len(exact.Items) != 7 || exact.NextCursor != "" {
		t.Errorf("one exact page: %d items, cursor %q, %v; want 7 and no cursor", len(exact.Items), exact.NextCursor, err)
	}
	empty, err := repo.ListByUser(ctx, NewUserID(), 3, "")
	if err != nil || len(empty.Items) != 0 || empty.NextCursor != "" {
		t.Errorf("unknown user: %+v, %v", empty, err)
	}
}

func testListInvalidCursor(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	user := NewUserID()
	for i := range 3 {
		create(t, repo, NewOrder(t, user, Epoch.Add(time.Duration(i)*time.Second)))
	}
	page, err := repo.ListByUser(ctx, user, 1, "")
	if err != nil || page.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	for _, cursor := range []string{"!!!", "bm90IGpzb24", page.NextCursor + "x"} {
		if _, err := repo.ListByUser(ctx, user, 1, cursor); !errors.Is(err, orders.ErrInvalidCursor) {
			t.Errorf("cursor %q: %v, want ErrInvalidCursor", cursor, err)
		}
	}
	if _, err := repo.ListByUser(ctx, NewUserID(), 1, page.NextCursor); !errors.Is(err, orders.ErrInvalidCursor) {
		t.Errorf("another user's cursor: %v, want ErrInvalidCursor", err)
	}
}

func testUserNamesNewestWins(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	a, b := NewUserID(), NewUserID()
	steps := []orders.UserName{
		{UserID: a, Name: "Ada", OccurredAt: Epoch, EventID: "e-1"},
		{UserID: a, Name: "Ada L.", OccurredAt: Epoch.Add(time.Second), EventID: "e-2"},
		{UserID: a, Name: "Stale", OccurredAt: Epoch.Add(time.Millisecond), EventID: "e-3"}, // older: ignored
		{UserID: a, Name: "Ada L.", OccurredAt: Epoch.Add(time.Second), EventID: "e-2"},     // duplicate
		{UserID: a, Name: "Tie loses", OccurredAt: Epoch.Add(time.Second), EventID: "e-0"},  // same time, lower id
		{UserID: b, Name: "Bob", OccurredAt: Epoch, EventID: "e-9"},
	}
	for _, n := range steps {
		if err := repo.PutUserName(ctx, n); err != nil {
			t.Fatalf("PutUserName %+v: %v", n, err)
		}
	}
	got, err := repo.UserNames(ctx, []string{a, b, NewUserID()})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{a: "Ada L.", b: "Bob"}, got); diff != "" {
		t.Errorf("UserNames (-want +got):\n%s", diff)
	}
}

// Fixture is a service over a repository with a fake catalog of two EUR
// products and a recording saga.
type Fixture struct {
	Service  *orders.Service
	Catalog  *Catalog
	Saga     *Saga
	Products []orders.CatalogProduct
}

// NewFixture returns a Fixture over repo.
func NewFixture(t *testing.T, repo orders.Repository) Fixture {
	t.Helper()
	eur := func(amount int64) money.Money {
		m, err := money.New(amount, "EUR")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	products := []orders.CatalogProduct{
		{ID: "p-" + uuid.NewString()[:8], Name: "Lamp", Price: eur(1999)},
		{ID: "p-" + uuid.NewString()[:8], Name: "Desk", Price: eur(15000)},
	}
	cat, saga := NewCatalog(products...), &Saga{}
	svc := orders.NewService(repo, cat, saga, time.Now, func() string { return uuid.Must(uuid.NewV7()).String() },
		orders.WithRetry(30, time.Millisecond, 20*time.Millisecond))
	return Fixture{Service: svc, Catalog: cat, Saga: saga, Products: products}
}

// Request returns a valid checkout of the fixture's products by userID
// under key.
func (f Fixture) Request(userID, key string) orders.CheckoutRequest {
	return orders.CheckoutRequest{
		UserID: userID, IdempotencyKey: key, PaymentToken: "tok_visa_4242",
		Items:    []orders.Item{{ProductID: f.Products[0].ID, Quantity: 2}, {ProductID: f.Products[1].ID, Quantity: 1}},
		Shipping: Address(),
	}
}

func testServiceCheckoutReplay(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	f := NewFixture(t, repo)
	user := NewUserID()
	first, err := f.Service.Checkout(ctx, f.Request(user, "k-1"))
	if err != nil || first.Replayed {
		t.Fatalf("Checkout: %+v, %v", first, err)
	}
	if first.Order.Total().Amount() != 2*1999+15000 || first.Order.Status() != orders.StatusPending {
		t.Errorf("order total %v status %s", first.Order.Total(), first.Order.Status())
	}
	again, err := f.Service.Checkout(ctx, f.Request(user, "k-1"))
	if err != nil || !again.Replayed || again.Order.ID() != first.Order.ID() {
		t.Fatalf("replay: %+v, %v; want the first order", again, err)
	}
	other := f.Request(user, "k-1")
	other.Items[0].Quantity = 3
	if _, err := f.Service.Checkout(ctx, other); !errors.Is(err, orders.ErrIdempotencyKeyReused) {
		t.Errorf("other body: %v, want ErrIdempotencyKeyReused", err)
	}
	starts := f.Saga.Starts()
	if len(starts) != 2 || starts[0].OrderID != first.Order.ID() || starts[1].OrderID != first.Order.ID() {
		t.Errorf("saga starts %+v, want two of order %s", starts, first.Order.ID())
	}
}

func testServiceListJoinsNames(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	f := NewFixture(t, repo)
	user := NewUserID()
	if err := f.Service.RecordUserName(ctx, user, "Ada", Epoch, "e-1"); err != nil {
		t.Fatal(err)
	}
	res, err := f.Service.Checkout(ctx, f.Request(user, "k"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Order.UserName() != "Ada" {
		t.Errorf("order user name %q, want the replica's", res.Order.UserName())
	}
	if err := f.Service.RecordUserName(ctx, user, "Ada Lovelace", Epoch.Add(time.Hour), "e-2"); err != nil {
		t.Fatal(err)
	}
	page, err := f.Service.ListByUser(ctx, user, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []orders.Summary{{
		ID: res.Order.ID(), UserID: user, UserName: "Ada Lovelace", Status: orders.StatusPending,
		Total: res.Order.Total(), CreatedAt: res.Order.CreatedAt(),
	}}
	if diff := cmp.Diff(want, page.Items, CmpOptions()); diff != "" {
		t.Errorf("listing (-want +got):\n%s", diff)
	}
}

func testRaceCreateSameKey(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	user := NewUserID()
	const n = 12
	key := "race-" + uuid.NewString()
	errs := make([]error, n)
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		o := NewOrder(t, user, Epoch)
		ids[i] = o.ID()
		wg.Go(func() {
			errs[i] = repo.Create(ctx, o, orders.Idempotency{UserID: user, Key: key, RequestHash: "h", OrderID: o.ID(), CreatedAt: Epoch})
		})
	}
	wg.Wait()
	winners := 0
	for i, err := range errs {
		switch {
		case err == nil:
			winners++
		case errors.Is(err, orders.ErrIdempotencyKeyExists), errors.Is(err, orders.ErrConflict):
			if _, err := repo.Get(ctx, ids[i]); !errors.Is(err, orders.ErrNotFound) {
				t.Errorf("loser %s was written: %v", ids[i], err)
			}
		default:
			t.Errorf("Create: %v", err)
		}
	}
	if winners != 1 {
		t.Errorf("%d creates won, want 1", winners)
	}
}

func testRaceUpdate(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	o := create(t, repo, NewOrder(t, NewUserID(), Epoch))
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = repo.Update(ctx, o.ID(), func(o *orders.Order) error { return o.Confirm(fmt.Sprintf("pay-%d", i), Epoch) })
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("updates %d and %d both won", winner, i)
			}
			winner = i
		case errors.Is(err, orders.ErrConflict), errors.Is(err, orders.ErrInvalidTransition):
		default:
			t.Errorf("Update: %v", err)
		}
	}
	got, err := repo.Get(ctx, o.ID())
	if err != nil || winner < 0 || got.Version() != 2 || got.PaymentID() != fmt.Sprintf("pay-%d", winner) {
		t.Errorf("after race: v%d payment %q, winner %d, %v", got.Version(), got.PaymentID(), winner, err)
	}
}

func testRacePutUserName(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	user := NewUserID()
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = repo.PutUserName(ctx, orders.UserName{
				UserID: user, Name: fmt.Sprintf("name-%02d", i), OccurredAt: Epoch.Add(time.Duration(i) * time.Second), EventID: fmt.Sprintf("e-%02d", i),
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("PutUserName: %v", err)
		}
	}
	got, err := repo.UserNames(ctx, []string{user})
	if err != nil || got[user] != fmt.Sprintf("name-%02d", n-1) {
		t.Errorf("name %q, %v; want the newest", got[user], err)
	}
}

func testRaceServiceCheckout(t *testing.T, repo orders.Repository) {
	ctx := context.Background()
	f := NewFixture(t, repo)
	user := NewUserID()
	const n = 20
	results := make([]orders.CheckoutResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], errs[i] = f.Service.Checkout(ctx, f.Request(user, "same-key")) })
	}
	wg.Wait()
	created := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Checkout %d: %v", i, errs[i])
		}
		if !results[i].Replayed {
			created++
		}
		if results[i].Order.ID() != results[0].Order.ID() {
			t.Errorf("checkout %d got order %s, want %s", i, results[i].Order.ID(), results[0].Order.ID())
		}
	}
	if created != 1 {
		t.Errorf("%d checkouts created an order, want 1", created)
	}
	page, err := repo.ListByUser(ctx, user, 50, "")
	if err != nil || len(page.Items) != 1 {
		t.Errorf("user has %d orders, %v; want 1", len(page.Items), err)
	}
	for _, s := range f.Saga.Starts() {
		if s.OrderID != results[0].Order.ID() {
			t.Errorf("saga started for %s", s.OrderID)
		}
	}
}
