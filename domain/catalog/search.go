package catalog

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Search limits.
const (
	// DefaultLimit is the page size when a search names none.
	DefaultLimit = 20
	// MaxLimit bounds the page size.
	MaxLimit = 100
	// MaxQueryRunes bounds a name prefix, in characters.
	MaxQueryRunes = 100
	// MaxCursorLen bounds a cursor; anything longer is not one of ours.
	MaxCursorLen = 2048
)

// Query is a product search: by category, by name prefix, or both. Cursor
// is the NextCursor of the previous page of the same query.
type Query struct {
	Category   string
	NamePrefix string
	Limit      int
	Cursor     string
}

// Page is one page of search results; NextCursor is empty on the last page.
type Page struct {
	Items      []Product
	NextCursor string
}

// Search returns a page of the products in q.Category (an exact slug)
// and/or whose name starts with q.NamePrefix (case-insensitive, trimmed,
// 1 to MaxQueryRunes characters), sorted by name. Limit 0 means
// DefaultLimit. Errors: ErrMissingFilter, ErrInvalidCategory,
// ErrInvalidQuery, ErrInvalidLimit, ErrInvalidCursor.
func (s *Service) Search(ctx context.Context, q Query) (Page, error) {
	norm, err := normalizeQuery(q)
	if err != nil {
		return Page{}, err
	}
	page, err := s.repo.Search(ctx, norm)
	if err != nil {
		return Page{}, fmt.Errorf("search products: %w", err)
	}
	if page.Items == nil {
		page.Items = []Product{}
	}
	return page, nil
}

// normalizeQuery validates q and returns it as repositories receive it: the
// category a slug or empty, the name prefix trimmed and lower-case or
// empty (not both empty), and the limit in [1, MaxLimit].
func normalizeQuery(q Query) (Query, error) {
	var err error
	if c := strings.TrimSpace(q.Category); c != "" {
		if q.Category, err = NormalizeCategory(c); err != nil {
			return Query{}, err
		}
	} else {
		q.Category = ""
	}
	q.NamePrefix = strings.TrimSpace(q.NamePrefix)
	if q.NamePrefix != "" {
		if utf8.RuneCountInString(q.NamePrefix) > MaxQueryRunes || !printable(q.NamePrefix, false) {
			return Query{}, fmt.Errorf("%w: must be 1 to %d printable characters", ErrInvalidQuery, MaxQueryRunes)
		}
		q.NamePrefix = strings.ToLower(q.NamePrefix)
	}
	if q.Category == "" && q.NamePrefix == "" {
		return Query{}, ErrMissingFilter
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		return Query{}, fmt.Errorf("%w: %d, want 1 to %d", ErrInvalidLimit, q.Limit, MaxLimit)
	}
	if len(q.Cursor) > MaxCursorLen {
		return Query{}, fmt.Errorf("%w: too long", ErrInvalidCursor)
	}
	return q, nil
}
