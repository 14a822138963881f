package notifications_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*notifications.Service, *notificationssandbox.Sender, *notificationstest.Repository) {
	t.Helper()
	repo := notificationstest.NewRepository()
	sender := notificationssandbox.New(nil)
	n := 0
	svc := notifications.NewService(repo, sender.Channels(), func() time.Time { return epoch }, func() string {
		n++
		return "m-" + string(rune('0'+n))
	})
	return svc, sender, repo
}

func TestNotifyRefusesInvalidEvents(t *testing.T) {
	t.Parallel()
	svc, sender, repo := newService(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		eventID string
		notice  notifications.Notice
	}{
		{"no event id", "", notifications.OrderShipped{OrderID: "o-1", UserID: "u-1"}},
		{"event id with #", "e#1", notifications.OrderShipped{OrderID: "o-1", UserID: "u-1"}},
		{"incomplete notice", "e-1", notifications.OrderShipped{UserID: "u-1"}},
	}
	for _, tt := range tests {
		if err := svc.Notify(ctx, tt.eventID, tt.notice); !errors.Is(err, notifications.ErrInvalidEvent) {
			t.Errorf("%s: err = %v, want ErrInvalidEvent", tt.name, err)
		}
	}
	if len(sender.Sent()) != 0 {
		t.Errorf("sent %d messages for invalid events", len(sender.Sent()))
	}
	if _, err := repo.EventMessages(ctx, "e-1"); !errors.Is(err, notifications.ErrNotFound) {
		t.Errorf("an invalid event was recorded: %v", err)
	}
}

func TestNotifyWithoutSenderFailsRetryably(t *testing.T) {
	t.Parallel()
	repo := notificationstest.NewRepository()
	sender := notificationssandbox.New(nil)
	svc := notifications.NewService(repo, notifications.Channels{Email: sender}, time.Now, func() string { return "m-1" })
	err := svc.Notify(context.Background(), "e-1", notifications.OrderShipped{OrderID: "o-1", UserID: "u-1"})
	var delivery *notifications.DeliveryError
	if !errors.As(err, &delivery) || len(delivery.Failed) != 1 || delivery.Failed[0] != notifications.ChannelPush {
		t.Fatalf("err = %v, want a push DeliveryError", err)
	}
	if len(sender.Sent()) != 1 || sender.Sent()[0].Channel() != notifications.ChannelEmail {
		t.Errorf("sent %v, want the email only", sender.Sent())
	}
}

func TestListValidates(t *testing.T) {
	t.Parallel()
	svc, _, _ := newService(t)
	tests := []struct {
		name string
		q    notifications.Query
		want error
	}{
		{"bad user", notifications.Query{UserID: "u/1"}, notifications.ErrInvalidUserID},
		{"empty user", notifications.Query{}, notifications.ErrInvalidUserID},
		{"negative limit", notifications.Query{UserID: "u-1", Limit: -1}, notifications.ErrInvalidLimit},
		{"limit too big", notifications.Query{UserID: "u-1", Limit: notifications.MaxLimit + 1}, notifications.ErrInvalidLimit},
		{"garbage cursor", notifications.Query{UserID: "u-1", Cursor: "!!"}, notifications.ErrInvalidCursor},
	}
	for _, tt := range tests {
		if _, err := svc.List(context.Background(), tt.q); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	page, err := svc.List(context.Background(), notifications.Query{UserID: "u-1"})
	if err != nil || page.Items == nil || len(page.Items) != 0 {
		t.Errorf("empty list = %#v, %v; want an empty non-nil page", page.Items, err)
	}
}

func TestMessageTransitions(t *testing.T) {
	t.Parallel()
	m, err := notifications.NewMessage(notifications.MessageParams{
		ID: "m-1", UserID: "u-1", EventID: "e-1", EventType: notifications.TypeOrderShipped,
		Channel: notifications.ChannelPush, Subject: "s", Body: "b",
	}, epoch, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Claim(epoch.Add(30*time.Second), time.Minute); !errors.Is(err, notifications.ErrInFlight) {
		t.Errorf("claim within the lease: err = %v, want ErrInFlight", err)
	}
	m.Release()
	if err := m.Claim(epoch.Add(time.Second), time.Minute); err != nil || m.Attempts() != 2 || m.Version() != 3 {
		t.Errorf("claim after release: err %v, attempts %d, version %d; want nil, 2, 3", err, m.Attempts(), m.Version())
	}
	if err := m.MarkSent(epoch.Add(2 * time.Second)); err != nil || m.Status() != notifications.StatusSent || !m.LeaseUntil().IsZero() {
		t.Errorf("mark sent: err %v, status %s, lease %s", err, m.Status(), m.LeaseUntil())
	}
	if err := m.MarkSent(epoch); !errors.Is(err, notifications.ErrAlreadySent) {
		t.Errorf("second mark: err = %v, want ErrAlreadySent", err)
	}
	if err := m.Claim(epoch.Add(time.Hour), time.Minute); !errors.Is(err, notifications.ErrAlreadySent) {
		t.Errorf("claim of a sent message: err = %v, want ErrAlreadySent", err)
	}
	if _, err := notifications.NewMessage(notifications.MessageParams{ID: "m-1", UserID: "u-1", EventID: "e-1", EventType: "X", Channel: "fax", Subject: "s", Body: "b"}, epoch, time.Minute); !errors.Is(err, notifications.ErrInvalidMessage) {
		t.Errorf("unknown channel: err = %v, want ErrInvalidMessage", err)
	}
}
