package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// Listing limits.
const (
	// DefaultLimit is the page size when none is asked for.
	DefaultLimit = 20
	// MaxLimit bounds the page size.
	MaxLimit = 100
)

// Page is one page of a user's orders, newest first. NextCursor is empty on
// the last page.
type Page struct {
	Items      []Order
	NextCursor string
}

// Summary is an order as a listing shows it, with the user's current name
// from the replica (the name stored at checkout when the replica has none).
type Summary struct {
	ID        string
	UserID    string
	UserName  string
	Status    Status
	Total     money.Money
	CreatedAt time.Time
}

// SummaryPage is one page of order summaries.
type SummaryPage struct {
	Items      []Summary
	NextCursor string
}

// ListByUser returns one page of the user's orders, newest first, each with
// the user's name as the replica knows it now, so a rename shows on old
// orders. Errors: ErrInvalidID (for the user), ErrInvalidLimit,
// ErrInvalidCursor.
func (s *Service) ListByUser(ctx context.Context, userID string, limit int, cursor string) (SummaryPage, error) {
	if !ValidID(userID) {
		return SummaryPage{}, fmt.Errorf("%w: user %q", ErrInvalidID, userID)
	}
	if limit < 1 || limit > MaxLimit {
		return SummaryPage{}, fmt.Errorf("%w: %d", ErrInvalidLimit, limit)
	}
	page, err := s.repo.ListByUser(ctx, userID, limit, cursor)
	if err != nil {
		return SummaryPage{}, fmt.Errorf("list orders of %s: %w", userID, err)
	}
	var users []string
	seen := map[string]bool{}
	for _, o := range page.Items {
		if !seen[o.UserID()] {
			seen[o.UserID()] = true
			users = append(users, o.UserID())
		}
	}
	names := map[string]string{}
	if len(users) > 0 {
		if names, err = s.repo.UserNames(ctx, users); err != nil {
			return SummaryPage{}, fmt.Errorf("list orders of %s: %w", userID, err)
		}
	}
	out := SummaryPage{Items: make([]Summary, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, o := range page.Items {
		name, ok := names[o.UserID()]
		if !ok {
			name = o.UserName()
		}
		out.Items = append(out.Items, Summary{
			ID: o.ID(), UserID: o.UserID(), UserName: name, Status: o.Status(), Total: o.Total(), CreatedAt: o.CreatedAt(),
		})
	}
	return out, nil
}
