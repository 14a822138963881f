package dashboard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Part names a part of the dashboard.
type Part string

// The parts of a dashboard, in the order they are listed.
const (
	PartProfile         Part = "profile"
	PartRecentOrders    Part = "recentOrders"
	PartRecommendations Part = "recommendations"
)

// PartError is the failure of one part: an error of its read model or its
// timeout (the error then wraps context.DeadlineExceeded).
type PartError struct {
	Part Part
	Err  error
}

func (e *PartError) Error() string { return fmt.Sprintf("dashboard part %s: %v", e.Part, e.Err) }

// Unwrap returns the part's error.
func (e *PartError) Unwrap() error { return e.Err }

// View is a user's dashboard. A part that failed is listed in Failures,
// in the order of the Part constants, and is either empty (Profile nil)
// or, when the service keeps last good values (WithLastGood), given the
// value it was last read with and listed in Stale too.
type View struct {
	Profile         *Profile
	RecentOrders    []Order
	Recommendations []ProductSales
	Failures        []*PartError
	// Stale lists the failed parts given their last good value, in the
	// order of the Part constants.
	Stale []Part
}

// Degraded returns the parts that failed.
func (v View) Degraded() []Part {
	parts := make([]Part, len(v.Failures))
	for i, f := range v.Failures {
		parts[i] = f.Part
	}
	return parts
}

// Dashboard assembles the user's dashboard from its three parts, read
// concurrently, each within the service's part timeout (or ctx's deadline
// if sooner) and through its PartGuard if it has one: the profile (only
// the user id when the replica does not know the user), the
// RecentOrdersLimit newest orders, and RecommendationsLimit products (see
// Recommendations). A part that fails, runs out of time or is refused by
// its guard is reported in View.Failures and given its last good value
// when the service keeps one (WithLastGood), else left empty. Dashboard
// returns as soon as every part has answered or timed out, even if a read
// model ignores its context. Its only error is ErrInvalidUserID.
func (s *Service) Dashboard(ctx context.Context, userID string) (View, error) {
	if !ValidID(userID) {
		return View{}, fmt.Errorf("dashboard of %q: %w", userID, ErrInvalidUserID)
	}
	profile := startPart(ctx, s.timeout, guarded(s.guard, PartProfile, func(ctx context.Context) (Profile, error) {
		p, err := s.repo.Profile(ctx, userID)
		if errors.Is(err, ErrNotFound) {
			return Profile{UserID: userID}, nil
		}
		return p, err
	}))
	orders := startPart(ctx, s.timeout, guarded(s.guard, PartRecentOrders, func(ctx context.Context) ([]Order, error) {
		return s.repo.RecentOrders(ctx, userID, RecentOrdersLimit)
	}))
	recommendations := startPart(ctx, s.timeout, guarded(s.guard, PartRecommendations, func(ctx context.Context) ([]ProductSales, error) {
		return s.Recommendations(ctx, userID)
	}))

	var v View
	fail := func(part Part, stale bool, err error) {
		v.Failures = append(v.Failures, &PartError{Part: part, Err: err})
		if stale {
			v.Stale = append(v.Stale, part)
		}
	}
	p, stale, err := settle(profile, s.last.profile, userID)
	if err != nil {
		fail(PartProfile, stale, err)
	}
	if err == nil || stale {
		v.Profile = &p
	}
	if v.RecentOrders, stale, err = settle(orders, s.last.orders, userID); err != nil {
		fail(PartRecentOrders, stale, err)
	}
	if v.Recommendations, stale, err = settle(recommendations, s.last.recommendations, userID); err != nil {
		fail(PartRecommendations, stale, err)
	}
	return v, nil
}

// Recommendations returns up to RecommendationsLimit products, most sold
// first: the best sellers of the user's first MaxRecommendationCategories
// preferred categories merged, or, when that gives none (no preferences,
// an unknown user, nothing sold in them), the best sellers overall.
func (s *Service) Recommendations(ctx context.Context, userID string) ([]ProductSales, error) {
	p, err := s.repo.Profile(ctx, userID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("recommendations for %s: %w", userID, err)
	}
	var picks []ProductSales
	for _, c := range p.Categories[:min(len(p.Categories), MaxRecommendationCategories)] {
		top, err := s.repo.TopProducts(ctx, c, RecommendationsLimit)
		if err != nil {
			return nil, fmt.Errorf("recommendations for %s: %w", userID, err)
		}
		picks = append(picks, top...)
	}
	if len(picks) == 0 {
		top, err := s.repo.TopProducts(ctx, AllCategories, RecommendationsLimit)
		if err != nil {
			return nil, fmt.Errorf("recommendations for %s: %w", userID, err)
		}
		return top, nil
	}
	slices.SortStableFunc(picks, func(a, b ProductSales) int {
		return cmp.Or(cmp.Compare(b.Units, a.Units), cmp.Compare(b.ProductID, a.ProductID))
	})
	out := make([]ProductSales, 0, RecommendationsLimit)
	seen := make(map[string]bool, len(picks))
	for _, pick := range picks {
		if len(out) == RecommendationsLimit {
			break
		}
		// A product counted under a category it has left appears twice.
		if !seen[pick.ProductID] {
			seen[pick.ProductID] = true
			out = append(out, pick)
		}
	}
	return out, nil
}

type partResult[T any] struct {
	value T
	err   error
}

// startPart runs read in its own goroutine under a context bounded by
// timeout and returns a function that waits for its answer or for that
// context to end, whichever comes first; a read that ignores its context
// finishes in the background, its answer dropped.
func startPart[T any](ctx context.Context, timeout time.Duration, read func(context.Context) (T, error)) func() (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	done := make(chan partResult[T], 1)
	go func() {
		var r partResult[T]
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("panic: %v", p)
			}
			done <- r
		}()
		r.value, r.err = read(ctx)
	}()
	return func() (T, error) {
		defer cancel()
		select {
		case r := <-done:
			return r.value, r.err
		case <-ctx.Done():
			// An answer that came in time is not lost because the parts
			// are collected one after the other.
			select {
			case r := <-done:
				return r.value, r.err
			default:
			}
			var zero T
			return zero, fmt.Errorf("no answer in time: %w", context.Cause(ctx))
		}
	}
}
