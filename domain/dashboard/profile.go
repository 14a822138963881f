package dashboard

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a replicated profile.
const (
	MaxNameRunes     = 200
	MaxCategories    = 20
	MaxCategoryRunes = 64
)

// Profile is the replica of a user's profile: the name and preferred
// categories of the latest UserRegistered or UserUpdated event applied, the
// time that event occurred and its id (the tie-breaker between events of
// the same time). A Profile with only a UserID is an unknown user.
type Profile struct {
	UserID     string
	Name       string
	Categories []string
	OccurredAt time.Time
	EventID    string
}

// NewerThan reports whether p comes from a later event than o: a later
// time, or the same time and a greater event id.
func (p Profile) NewerThan(o Profile) bool {
	if !p.OccurredAt.Equal(o.OccurredAt) {
		return p.OccurredAt.After(o.OccurredAt)
	}
	return p.EventID > o.EventID
}

// normalizeProfile trims the name and categories, drops empty and repeated
// categories, and checks the limits.
func normalizeProfile(p Profile) (Profile, error) {
	if !ValidID(p.UserID) {
		return Profile{}, fmt.Errorf("%w: user %q", ErrInvalidEvent, p.UserID)
	}
	if p.EventID == "" || p.OccurredAt.IsZero() {
		return Profile{}, fmt.Errorf("%w: profile of %s without event id or time", ErrInvalidEvent, p.UserID)
	}
	p.Name = strings.TrimSpace(p.Name)
	if utf8.RuneCountInString(p.Name) > MaxNameRunes {
		return Profile{}, fmt.Errorf("%w: name of %s longer than %d", ErrInvalidEvent, p.UserID, MaxNameRunes)
	}
	categories := make([]string, 0, len(p.Categories))
	for _, c := range p.Categories {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(categories, c) {
			continue
		}
		if utf8.RuneCountInString(c) > MaxCategoryRunes || strings.Contains(c, "#") {
			return Profile{}, fmt.Errorf("%w: category %q of %s", ErrInvalidEvent, c, p.UserID)
		}
		categories = append(categories, c)
	}
	if len(categories) > MaxCategories {
		categories = categories[:MaxCategories]
	}
	p.Categories = categories
	p.OccurredAt = p.OccurredAt.UTC()
	return p, nil
}

// ValidID reports whether id is 1 to 64 characters of [A-Za-z0-9_-].
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}
