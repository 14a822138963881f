package notificationssandbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
)

func message(t *testing.T, ch notifications.Channel) notifications.Message {
	t.Helper()
	m, err := notifications.NewMessage(notifications.MessageParams{
		ID: "m-" + string(ch), UserID: "u-1", EventID: "e-1", EventType: notifications.TypeOrderShipped,
		Channel: ch, Subject: "s", Body: "b",
	}, time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSenderRecordsAndFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := notificationssandbox.New(nil)
	ch := s.Channels()
	down := errors.New("down")
	s.Fail(notifications.ChannelSMS, down)
	if err := ch.SMS.SendSMS(ctx, message(t, notifications.ChannelSMS)); !errors.Is(err, down) {
		t.Errorf("failing sms: err = %v, want %v", err, down)
	}
	if err := ch.Email.SendEmail(ctx, message(t, notifications.ChannelEmail)); err != nil {
		t.Errorf("email: %v", err)
	}
	if err := ch.Push.SendPush(ctx, message(t, notifications.ChannelEmail)); err == nil {
		t.Error("an email message went out by push")
	}
	s.Fail(notifications.ChannelSMS, nil)
	if err := ch.SMS.SendSMS(ctx, message(t, notifications.ChannelSMS)); err != nil {
		t.Errorf("healed sms: %v", err)
	}
	var got []string
	for _, m := range s.Sent() {
		got = append(got, m.ID())
	}
	if len(got) != 2 || got[0] != "m-email" || got[1] != "m-sms" {
		t.Errorf("sent %v, want [m-email m-sms]", got)
	}
}
