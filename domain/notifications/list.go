package notifications

import (
	"context"
	"fmt"
)

// List limits.
const (
	// DefaultLimit is the page size when a list names none.
	DefaultLimit = 20
	// MaxLimit bounds the page size.
	MaxLimit = 100
	// MaxCursorLen bounds a cursor; anything longer is not one of ours.
	MaxCursorLen = 1024
)

// Query asks for a page of a user's messages. Cursor is the NextCursor of
// the previous page.
type Query struct {
	UserID string
	Limit  int
	Cursor string
}

// Page is one page of messages, newest first; NextCursor is empty on the
// last page.
type Page struct {
	Items      []Message
	NextCursor string
}

// List returns a page of the user's messages, newest first. Limit 0 means
// DefaultLimit. Errors: ErrInvalidUserID, ErrInvalidLimit,
// ErrInvalidCursor.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if !ValidID(q.UserID) {
		return Page{}, ErrInvalidUserID
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		return Page{}, fmt.Errorf("%w: %d, want 1 to %d", ErrInvalidLimit, q.Limit, MaxLimit)
	}
	if len(q.Cursor) > MaxCursorLen {
		return Page{}, fmt.Errorf("%w: too long", ErrInvalidCursor)
	}
	page, err := s.repo.List(ctx, q)
	if err != nil {
		return Page{}, fmt.Errorf("list notifications of %s: %w", q.UserID, err)
	}
	if page.Items == nil {
		page.Items = []Message{}
	}
	return page, nil
}
