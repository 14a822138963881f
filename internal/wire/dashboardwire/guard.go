package dashboardwire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// Settings of dashboard-get's parts.
const (
	// DefaultFallbackTTL is how long a part's last good value may stand in
	// for it (DASHBOARD_FALLBACK_TTL): short, so a stale part is a recent
	// one, and the read models lag their events by seconds anyway.
	DefaultFallbackTTL = time.Minute
	// FallbackUsers bounds the users whose last good values an instance
	// keeps, per part: a few megabytes at most.
	FallbackUsers = 1000
	// PartFailureThreshold failed reads of a part in a row open its
	// breaker for PartCooldown: a short cooldown, since a dashboard is
	// asked often and degrades gracefully meanwhile.
	PartFailureThreshold = 5
	PartCooldown         = 10 * time.Second
	// PartBulkhead is the most reads of one part in flight in a process.
	// A Lambda instance serves one dashboard at a time, so more than one
	// means reads that outlived their request (a read model that ignores
	// its context): past PartBulkhead of them the part is refused at once,
	// without waiting, and falls back, rather than piling up goroutines
	// and connections on a stuck dependency.
	PartBulkhead = 4
)

// parts are the parts of a dashboard and the names of their breakers.
func parts() map[dashboard.Part]string {
	return map[dashboard.Part]string{
		dashboard.PartProfile:         metrics.BreakerDashboardProfile,
		dashboard.PartRecentOrders:    metrics.BreakerDashboardRecentOrders,
		dashboard.PartRecommendations: metrics.BreakerDashboardRecommendations,
	}
}

// PartGuards is the dashboard.PartGuard of dashboard-get: each part of a
// dashboard is read through its own resilience.Guard, with a circuit
// breaker (so that one failing read model does not take the others'
// budget, nor get asked while it is down) and a bulkhead of its own (so
// that a stuck read model holds a bounded share of the process). No retry
// and no timeout of its own: the part's budget (300 ms) leaves no time
// for a second attempt, the SDK retries inside it already, and the
// service bounds each part. A refused or failed part is counted as
// DashboardPartFailed; the service then shows its last good value, if
// any (dashboard.WithLastGood).
type PartGuards struct {
	guards map[dashboard.Part]*resilience.Guard
	rec    *metrics.Recorder
}

var _ dashboard.PartGuard = (*PartGuards)(nil)

// NewPartGuards returns the guards of the three parts, their breakers'
// changes logged to logger and counted in rec (which may be nil). Call it
// once per process: the breakers are registered under their names.
func NewPartGuards(logger *slog.Logger, rec *metrics.Recorder) *PartGuards {
	g := &PartGuards{guards: map[dashboard.Part]*resilience.Guard{}, rec: rec}
	for part, name := range parts() {
		breaker := resilience.NewBreaker(name, resilience.BreakerOptions{
			FailureThreshold: PartFailureThreshold,
			Cooldown:         PartCooldown,
			OnStateChange:    resilience.ReportStateChanges(logger, rec),
		})
		g.guards[part] = resilience.NewGuard(name, resilience.GuardOptions{
			Breaker:  breaker,
			Bulkhead: resilience.NewBulkhead(name, PartBulkhead, 0),
		})
	}
	return g
}

// Run reads part through its guard. An answer that comes after the
// part's deadline reached nobody: the breaker counts it as a failure.
func (g *PartGuards) Run(ctx context.Context, part dashboard.Part, read func(context.Context) error) error {
	guard, ok := g.guards[part]
	if !ok {
		return fmt.Errorf("dashboard part %q has no guard", part)
	}
	err := guard.Do(ctx, func(ctx context.Context) error {
		err := read(ctx)
		if err == nil && ctx.Err() != nil {
			return fmt.Errorf("answered after the part's deadline: %w", context.Cause(ctx))
		}
		return err
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		g.rec.Count(ctx, metrics.DashboardPartFailed, metrics.D(metrics.DimensionPart, string(part)))
	}
	return err
}
