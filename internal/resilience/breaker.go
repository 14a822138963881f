package resilience

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/goshop-dev/goshop/internal/metrics"
)

// BreakerOptions configure NewBreaker. Zero values take the defaults shown.
type BreakerOptions struct {
	// FailureThreshold is the consecutive failures that open the circuit (5).
	FailureThreshold int
	// Cooldown is how long the circuit stays open before it lets a trial
	// call through (half-open) (30 s).
	Cooldown time.Duration
	// HalfOpenMax is the trial calls allowed at once while half-open (1).
	HalfOpenMax int
	// IsFailure tells a failure of the dependency from an answer: by
	// default every error but a Permanent one (a declined card, a product
	// that does not exist) and context.Canceled (the caller gave up).
	IsFailure func(error) bool
	// OnStateChange is told every change of state, after it happened.
	OnStateChange func(name, from, to string)
}

// CircuitBreaker is a gobreaker two-step circuit breaker (it satisfies
// Breaker) that reports its state for health checks through Breakers.
type CircuitBreaker struct {
	*gobreaker.TwoStepCircuitBreaker[struct{}]
}

// BreakerStatus is what a health check reports of a breaker.
type BreakerStatus struct {
	Name                string `json:"name"`
	State               string `json:"state"` // closed, half-open or open
	ConsecutiveFailures uint32 `json:"consecutiveFailures"`
}

// Closed reports whether the breaker lets calls through as usual.
func (s BreakerStatus) Closed() bool { return s.State == gobreaker.StateClosed.String() }

var registry struct {
	sync.Mutex
	byName map[string]*CircuitBreaker
}

// NewBreaker returns the circuit breaker of one dependency of this process,
// registered under name (a breaker made later under the same name replaces
// it in Breakers).
func NewBreaker(name string, opts BreakerOptions) *CircuitBreaker {
	threshold := opts.FailureThreshold
	if threshold <= 0 {
		threshold = 5
	}
	cooldown := opts.Cooldown
	if cooldown <= 0 {
		cooldown = 30 * time.Second
	}
	halfOpen := opts.HalfOpenMax
	if halfOpen <= 0 {
		halfOpen = 1
	}
	isFailure := opts.IsFailure
	if isFailure == nil {
		isFailure = func(err error) bool { return !IsPermanent(err) }
	}
	b := &CircuitBreaker{gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:         name,
		MaxRequests:  uint32(halfOpen),
		Timeout:      cooldown,
		ReadyToTrip:  func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(threshold) },
		IsSuccessful: func(err error) bool { return err == nil || !isFailure(err) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			if opts.OnStateChange != nil {
				opts.OnStateChange(name, from.String(), to.String())
			}
		},
	})}
	registry.Lock()
	defer registry.Unlock()
	if registry.byName == nil {
		registry.byName = map[string]*CircuitBreaker{}
	}
	registry.byName[name] = b
	return b
}

// Status returns the breaker's state now.
func (b *CircuitBreaker) Status() BreakerStatus {
	return BreakerStatus{Name: b.Name(), State: b.State().String(), ConsecutiveFailures: b.Counts().ConsecutiveFailures}
}

// Breakers returns the status of every breaker of the process, by name.
func Breakers() []BreakerStatus {
	registry.Lock()
	defer registry.Unlock()
	out := make([]BreakerStatus, 0, len(registry.byName))
	for _, b := range registry.byName {
		out = append(out, b.Status())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ReportStateChanges returns an OnStateChange that logs each change (a
// warning when the circuit opens) and counts it as the metrics
// BreakerStateChanged and, when it opens, BreakerOpened, both with the
// breaker's name as the Breaker dimension. rec may be nil.
func ReportStateChanges(logger *slog.Logger, rec *metrics.Recorder) func(name, from, to string) {
	return func(name, from, to string) {
		ctx := context.Background()
		level := slog.LevelInfo
		if to == gobreaker.StateOpen.String() {
			level = slog.LevelWarn
			rec.Count(ctx, metrics.BreakerOpened, metrics.D(metrics.DimensionBreaker, name))
		}
		rec.Count(ctx, metrics.BreakerStateChanged, metrics.D(metrics.DimensionBreaker, name), metrics.D(metrics.DimensionTo, to))
		logger.Log(ctx, level, "circuit breaker state changed", slog.String("breaker", name), slog.String("from", from), slog.String("to", to))
	}
}
