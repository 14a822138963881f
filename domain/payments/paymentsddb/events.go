package paymentsddb

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/outbox"
)

// EventID is the id of the event of type eventType about orderID: derived
// from both, so a replayed saga step writes the same outbox key.
func EventID(orderID, eventType string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(orderID+"/"+eventType)).String()
}

// eventOf returns the event that p's status publishes.
func eventOf(p payments.Payment) (events.Event, error) {
	amount := events.Money{Amount: p.Amount().Amount(), Currency: p.Amount().Currency()}
	at := p.UpdatedAt()
	switch p.Status() {
	case payments.StatusSucceeded:
		return events.PaymentSucceededV1{PaymentID: p.ID(), OrderID: p.OrderID(), UserID: p.UserID(), Amount: amount, ProcessedAt: at}, nil
	case payments.StatusFailed:
		return events.PaymentFailedV1{PaymentID: p.ID(), OrderID: p.OrderID(), UserID: p.UserID(), Amount: amount, Reason: string(p.FailureReason()), FailedAt: at}, nil
	case payments.StatusRefunded:
		return events.PaymentRefundedV1{PaymentID: p.ID(), OrderID: p.OrderID(), UserID: p.UserID(), Amount: amount, RefundedAt: at}, nil
	}
	return nil, fmt.Errorf("payment %s: no event for status %s", p.ID(), p.Status())
}

// outboxItem is the outbox put of the event of p's new status.
func outboxItem(table string, p payments.Payment) (types.TransactWriteItem, error) {
	data, err := eventOf(p)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	env, err := events.New(events.Meta{
		ID: EventID(p.OrderID(), data.EventType()), OccurredAt: p.UpdatedAt(), CorrelationID: p.CorrelationID(),
	}, data)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("payment %s: %w", p.ID(), err)
	}
	return outbox.Put(table, env)
}
