package notificationstest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
)

// harness is a service on the repository under test with sandbox channels
// and a settable clock.
type harness struct {
	svc    *notifications.Service
	sender *notificationssandbox.Sender
	clock  *Clock
	repo   notifications.Repository
}

func newHarness(repo notifications.Repository) harness {
	sender := notificationssandbox.New(nil)
	clock := NewClock(Epoch)
	return harness{
		svc:    notifications.NewService(repo, sender.Channels(), clock.Now, newID, notifications.WithLease(time.Minute)),
		sender: sender, clock: clock, repo: repo,
	}
}

// sent counts the sandbox's messages per channel.
func (h harness) sent() map[notifications.Channel]int {
	counts := map[notifications.Channel]int{}
	for _, m := range h.sender.Sent() {
		counts[m.Channel()]++
	}
	return counts
}

func (h harness) statuses(t *testing.T, eventID string) map[notifications.Channel]notifications.Status {
	t.Helper()
	msgs, err := h.repo.EventMessages(context.Background(), eventID)
	if err != nil {
		t.Fatalf("event messages: %v", err)
	}
	out := map[notifications.Channel]notifications.Status{}
	for _, m := range msgs {
		out[m.Channel()] = m.Status()
	}
	return out
}

func shipped(user string) notifications.Notice {
	return notifications.OrderShipped{OrderID: "o-" + user[:8], UserID: user}
}

func testNotifyDuplicateSendsOnce(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	h := newHarness(repo)
	user, event := newID(), newID()
	for i := range 3 {
		if err := h.svc.Notify(ctx, event, shipped(user)); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		h.clock.Advance(time.Hour) // even after every lease ran out
	}
	want := map[notifications.Channel]int{notifications.ChannelEmail: 1, notifications.ChannelPush: 1}
	if diff := cmp.Diff(want, h.sent()); diff != "" {
		t.Errorf("sent per channel (-want +got):\n%s", diff)
	}
	page, err := h.svc.List(ctx, notifications.Query{UserID: user})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Errorf("listed %d messages, want 2", len(page.Items))
	}
	for _, m := range page.Items {
		if m.Status() != notifications.StatusSent || !m.SentAt().Equal(Epoch) {
			t.Errorf("%s message: status %s sent at %s, want SENT at %s", m.Channel(), m.Status(), m.SentAt(), Epoch)
		}
	}
}

// testNotifyConcurrentSendsOnce delivers one event from many goroutines at
// once: each channel is sent exactly once; the losers fail retryably.
func testNotifyConcurrentSendsOnce(t *testing.T, repo notifications.Repository) {
	const n = 10
	h := newHarness(repo)
	user, event := newID(), newID()
	notice := notifications.OrderConfirmed{OrderID: "o-1", UserID: user, Total: mustMoney(t, 1299, "USD")}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = h.svc.Notify(context.Background(), event, notice)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, notifications.ErrInvalidEvent):
			t.Errorf("concurrent delivery: %v is not retryable", err)
		}
	}
	if ok == 0 {
		t.Error("no delivery succeeded")
	}
	want := map[notifications.Channel]int{notifications.ChannelEmail: 1, notifications.ChannelPush: 1}
	if diff := cmp.Diff(want, h.sent()); diff != "" {
		t.Errorf("sent per channel (-want +got):\n%s", diff)
	}
}

// testNotifyChannelFailureResumes: push fails, email goes out; the event's
// redelivery sends push only.
func testNotifyChannelFailureResumes(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	h := newHarness(repo)
	user, event := newID(), newID()
	notice := notifications.OrderCancelled{OrderID: "o-2", UserID: user, Reason: notifications.CancelOutOfStock}
	down := errors.New("push provider down")
	h.sender.Fail(notifications.ChannelPush, down)

	err := h.svc.Notify(ctx, event, notice)
	var delivery *notifications.DeliveryError
	if !errors.As(err, &delivery) || !errors.Is(err, down) {
		t.Fatalf("err = %v, want a *DeliveryError wrapping the push failure", err)
	}
	if diff := cmp.Diff([]notifications.Channel{notifications.ChannelPush}, delivery.Failed); diff != "" {
		t.Errorf("failed channels (-want +got):\n%s", diff)
	}
	wantStatus := map[notifications.Channel]notifications.Status{
		notifications.ChannelEmail: notifications.StatusSent, notifications.ChannelPush: notifications.StatusPending,
	}
	if diff := cmp.Diff(wantStatus, h.statuses(t, event)); diff != "" {
		t.Errorf("after the failure (-want +got):\n%s", diff)
	}

	// Still down: the redelivery retries push only, at once (the failed
	// send released its lease).
	if err := h.svc.Notify(ctx, event, notice); !errors.Is(err, down) {
		t.Fatalf("second delivery: err = %v, want the push failure", err)
	}
	h.sender.Fail(notifications.ChannelPush, nil)
	h.clock.Advance(time.Second)
	if err := h.svc.Notify(ctx, event, notice); err != nil {
		t.Fatalf("third delivery: %v", err)
	}
	want := map[notifications.Channel]int{notifications.ChannelEmail: 1, notifications.ChannelPush: 1}
	if diff := cmp.Diff(want, h.sent()); diff != "" {
		t.Errorf("sent per channel (-want +got):\n%s", diff)
	}
	wantStatus[notifications.ChannelPush] = notifications.StatusSent
	if diff := cmp.Diff(wantStatus, h.statuses(t, event)); diff != "" {
		t.Errorf("after the redelivery (-want +got):\n%s", diff)
	}
}

// testNotifyCrashAfterSend simulates a delivery that died after recording
// (the messages are PENDING and leased): a redelivery within the lease is
// refused as in flight and sends nothing; one after it sends each channel.
func testNotifyCrashAfterSend(t *testing.T, repo notifications.Repository) {
	ctx := context.Background()
	h := newHarness(repo)
	user, event := newID(), newID()
	record(t, repo, message(t, user, event, notifications.ChannelEmail, Epoch))

	if err := h.svc.Notify(ctx, event, shipped(user)); !errors.Is(err, notifications.ErrInFlight) {
		t.Fatalf("redelivery within the lease: err = %v, want ErrInFlight", err)
	}
	if got := len(h.sender.Sent()); got != 0 {
		t.Fatalf("sent %d messages within the lease, want 0", got)
	}
	h.clock.Advance(2 * time.Minute)
	if err := h.svc.Notify(ctx, event, shipped(user)); err != nil {
		t.Fatalf("redelivery after the lease: %v", err)
	}
	// The stored message (email only) is what is sent, not a new rendering.
	want := map[notifications.Channel]int{notifications.ChannelEmail: 1}
	if diff := cmp.Diff(want, h.sent()); diff != "" {
		t.Errorf("sent per channel (-want +got):\n%s", diff)
	}
	msgs, err := repo.EventMessages(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Status() != notifications.StatusSent || msgs[0].Attempts() != 2 {
		t.Errorf("status %s after %d attempts, want SENT after 2", msgs[0].Status(), msgs[0].Attempts())
	}
}

func mustMoney(t *testing.T, amount int64, currency string) money.Money {
	t.Helper()
	m, err := money.New(amount, currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
