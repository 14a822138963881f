// Package notificationstest holds the in-memory fake of
// notifications.Repository and the contract suite that the fake and the
// DynamoDB adapter both pass.
package notificationstest

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/goshop-dev/goshop/domain/notifications"
)

// timeLayout is the fixed-width RFC 3339 layout of the stored keys.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// Repository is an in-memory notifications.Repository, safe for concurrent
// use, with the semantics of the DynamoDB adapter: atomic records with an
// event marker, optimistic locking on the version, newest-first pages with
// validated cursors.
type Repository struct {
	mu       sync.Mutex
	messages map[string]notifications.Message // by storeKey
	events   map[string][]string              // event id -> storeKeys, in order
}

var _ notifications.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{messages: map[string]notifications.Message{}, events: map[string][]string{}}
}

func storeKey(k notifications.Key) string {
	return k.UserID + "|" + k.CreatedAt.UTC().Format(timeLayout) + "|" + k.ID
}

// Record stores msgs and the event's marker unless the marker exists.
func (r *Repository) Record(_ context.Context, eventID string, msgs []notifications.Message) error {
	if len(msgs) == 0 {
		return fmt.Errorf("record %s: no messages", eventID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.events[eventID]; ok {
		return fmt.Errorf("record %s: %w", eventID, notifications.ErrDuplicateEvent)
	}
	keys := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if m.EventID() != eventID || m.UserID() != msgs[0].UserID() {
			return fmt.Errorf("record %s: message %s belongs to event %s of user %s", eventID, m.ID(), m.EventID(), m.UserID())
		}
		k := storeKey(m.Key())
		if _, ok := r.messages[k]; ok {
			return fmt.Errorf("record %s: message %s already exists", eventID, m.ID())
		}
		keys = append(keys, k)
	}
	for i, m := range msgs {
		r.messages[keys[i]] = m
	}
	r.events[eventID] = keys
	return nil
}

// EventMessages returns the event's messages in the order recorded.
func (r *Repository) EventMessages(_ context.Context, eventID string) ([]notifications.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys, ok := r.events[eventID]
	if !ok {
		return nil, fmt.Errorf("event %s: %w", eventID, notifications.ErrNotFound)
	}
	out := make([]notifications.Message, 0, len(keys))
	for _, k := range keys {
		out = append(out, r.messages[k])
	}
	return out, nil
}

// Update applies fn to a copy of the message and stores it if its version
// is still the one read.
func (r *Repository) Update(_ context.Context, key notifications.Key, fn func(*notifications.Message) error) error {
	k := storeKey(key)
	r.mu.Lock()
	m, ok := r.messages[k]
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("update %s: %w", key.ID, notifications.ErrNotFound)
	}
	read := m.Version()
	if err := fn(&m); err != nil {
		return err
	}
	if m.Version() == read {
		return nil
	}
	if storeKey(m.Key()) != k {
		return fmt.Errorf("update %s: fn changed the key", key.ID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.messages[k].Version() != read {
		return fmt.Errorf("update %s: version %d is stale: %w", key.ID, read, notifications.ErrConflict)
	}
	r.messages[k] = m
	return nil
}

// cursor is the fake's position in a user's list.
type cursor struct {
	UserID    string `json:"u"`
	CreatedAt string `json:"t"`
	ID        string `json:"i"`
}

// List returns the user's messages newest first, a page at a time.
func (r *Repository) List(_ context.Context, q notifications.Query) (notifications.Page, error) {
	var after *notifications.Key
	if q.Cursor != "" {
		k, err := decodeCursor(q.Cursor, q.UserID)
		if err != nil {
			return notifications.Page{}, err
		}
		after = &k
	}
	r.mu.Lock()
	var mine []notifications.Message
	for _, m := range r.messages {
		if m.UserID() == q.UserID {
			mine = append(mine, m)
		}
	}
	r.mu.Unlock()
	slices.SortFunc(mine, func(a, b notifications.Message) int { return compare(b.Key(), a.Key()) })
	if after != nil {
		mine = slices.DeleteFunc(mine, func(m notifications.Message) bool { return compare(m.Key(), *after) >= 0 })
	}
	page := notifications.Page{Items: mine}
	if len(mine) > q.Limit {
		page.Items = mine[:q.Limit]
		last := page.Items[q.Limit-1]
		raw, err := json.Marshal(cursor{UserID: q.UserID, CreatedAt: last.CreatedAt().UTC().Format(timeLayout), ID: last.ID()})
		if err != nil {
			return notifications.Page{}, fmt.Errorf("encode cursor: %w", err)
		}
		page.NextCursor = base64.RawURLEncoding.EncodeToString(raw)
	}
	return page, nil
}

func compare(a, b notifications.Key) int {
	return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
}

func decodeCursor(s, userID string) (notifications.Key, error) {
	invalid := func(why string) error { return fmt.Errorf("%w: %s", notifications.ErrInvalidCursor, why) }
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return notifications.Key{}, invalid("not base64url")
	}
	var c cursor
	if err := json.Unmarshal(raw, &c); err != nil {
		return notifications.Key{}, invalid("not a position")
	}
	if c.UserID != userID {
		return notifications.Key{}, invalid("from another list")
	}
	t, err := time.Parse(timeLayout, c.CreatedAt)
	if err != nil || !notifications.ValidID(c.ID) {
		return notifications.Key{}, invalid("not a position")
	}
	return notifications.Key{UserID: userID, CreatedAt: t, ID: c.ID}, nil
}
