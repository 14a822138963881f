package dashboard_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/dashboard"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// outage fails a read while it is on.
type outage struct{ on atomic.Bool }

func (o *outage) read(context.Context) error {
	if o.on.Load() {
		return errDown
	}
	return nil
}

// TestDashboardFallsBackToLastGood: a failed part is given the user's last
// good value while it is younger than the TTL, and is listed in Degraded
// and Stale; past the TTL, or for another user, it is empty.
func TestDashboardFallsBackToLastGood(t *testing.T) {
	t.Parallel()
	var profiles, orders, tops outage
	c := &clock{now: t0}
	svc := dashboard.NewService(stub{Repository: seeded(t), profile: profiles.read, orders: orders.read, top: tops.read}, nil,
		dashboard.WithPartTimeout(time.Second), dashboard.WithLastGood(time.Minute, 10, c.Now))
	ctx := context.Background()
	healthy, err := svc.Dashboard(ctx, "u-1")
	if err != nil || len(healthy.Failures) != 0 {
		t.Fatalf("healthy dashboard: %+v, %v", healthy, err)
	}

	orders.on.Store(true)
	c.advance(30 * time.Second)
	v, _ := svc.Dashboard(ctx, "u-1")
	want := summarize(healthy)
	want.Degraded = []dashboard.Part{dashboard.PartRecentOrders}
	if diff := cmp.Diff(want, summarize(v)); diff != "" {
		t.Errorf("within the TTL (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]dashboard.Part{dashboard.PartRecentOrders}, v.Stale); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}
	if !errors.Is(v.Failures[0], errDown) {
		t.Errorf("failure %v, want the read's error", v.Failures[0])
	}

	// Everything down: the profile and the recommendations fall back too.
	profiles.on.Store(true)
	tops.on.Store(true)
	v, _ = svc.Dashboard(ctx, "u-1")
	if v.Profile == nil || v.Profile.Name != "Ada" || len(v.Recommendations) == 0 || len(v.Stale) != 3 {
		t.Errorf("everything down within the TTL: %+v, want every part stale", summarize(v))
	}
	// Another user has no last good value.
	if v, _ := svc.Dashboard(ctx, "u-2"); v.Profile != nil || len(v.Stale) != 0 || len(v.Failures) != 3 {
		t.Errorf("another user: %+v, stale %v; want every part empty", summarize(v), v.Stale)
	}

	c.advance(61 * time.Second) // every value was read more than a minute ago
	v, _ = svc.Dashboard(ctx, "u-1")
	if v.Profile != nil || v.RecentOrders != nil || v.Recommendations != nil || len(v.Stale) != 0 {
		t.Errorf("past the TTL: %+v, stale %v; want every part empty", summarize(v), v.Stale)
	}
}

// TestLastGoodIsBounded: at most maxUsers users are kept per part; the
// least recently read one goes first.
func TestLastGoodIsBounded(t *testing.T) {
	t.Parallel()
	var orders outage
	c := &clock{now: t0}
	svc := dashboard.NewService(stub{Repository: seeded(t), orders: orders.read}, nil,
		dashboard.WithPartTimeout(time.Second), dashboard.WithLastGood(time.Hour, 2, c.Now))
	ctx := context.Background()
	for _, user := range []string{"u-1", "u-2", "u-3"} {
		c.advance(time.Second)
		if _, err := svc.Dashboard(ctx, user); err != nil {
			t.Fatal(err)
		}
	}
	orders.on.Store(true)
	for user, want := range map[string]bool{"u-1": false, "u-2": true, "u-3": true} {
		v, _ := svc.Dashboard(ctx, user)
		if got := len(v.Stale) == 1; got != want {
			t.Errorf("%s: stale %v, want a last good value: %v", user, v.Stale, want)
		}
	}
}

// refusing is a PartGuard that refuses the parts in refused and counts
// the reads it lets through.
type refusing struct {
	refused map[dashboard.Part]bool
	reads   atomic.Int32
}

var errRefused = errors.New("circuit open")

func (g *refusing) Run(ctx context.Context, part dashboard.Part, read func(context.Context) error) error {
	if g.refused[part] {
		return errRefused
	}
	g.reads.Add(1)
	return read(ctx)
}

// TestDashboardReadsThroughItsGuard: every part is read through the
// PartGuard, and a part it refuses is degraded without being read.
func TestDashboardReadsThroughItsGuard(t *testing.T) {
	t.Parallel()
	guard := &refusing{refused: map[dashboard.Part]bool{dashboard.PartRecommendations: true}}
	var topReads atomic.Int32
	top := func(context.Context) error { topReads.Add(1); return nil }
	svc := dashboard.NewService(stub{Repository: seeded(t), top: top}, nil, dashboard.WithPartGuard(guard))
	v, err := svc.Dashboard(context.Background(), "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dashboard.Part{dashboard.PartRecommendations}, v.Degraded()); diff != "" {
		t.Errorf("degraded (-want +got):\n%s", diff)
	}
	if !errors.Is(v.Failures[0], errRefused) {
		t.Errorf("failure %v, want the guard's refusal", v.Failures[0])
	}
	if n := guard.reads.Load(); n != 2 {
		t.Errorf("%d reads through the guard, want 2", n)
	}
	if n := topReads.Load(); n != 0 {
		t.Errorf("the refused part was read %d times", n)
	}
}
