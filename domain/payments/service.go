package payments

import (
	"context"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/retry"
)

// Repository stores payments. Implementations: the DynamoDB adapter
// (paymentsddb) and the in-memory fake (paymentstest), both held to
// paymentstest.RunRepositoryContract.
type Repository interface {
	// Create stores a new PENDING payment: ErrExists when its id is taken
	// (the order has a payment).
	Create(ctx context.Context, p Payment) error
	// Get returns the payment, or ErrNotFound.
	Get(ctx context.Context, id string) (Payment, error)
	// Update reads the payment, applies fn and stores the result only if
	// the version is still the one read: ErrNotFound, fn's error, or
	// ErrConflict when another change came first. When fn leaves the
	// version unchanged nothing is written. When the status changed, the
	// event of the new status (PaymentSucceeded, PaymentFailed or
	// PaymentRefunded) is recorded in the same atomic write.
	Update(ctx context.Context, id string, fn func(*Payment) error) error
}

// DefaultGatewayTimeout is how long a gateway call may take unless
// WithGatewayTimeout says otherwise.
const DefaultGatewayTimeout = 5 * time.Second

// Service is the payments' use cases.
type Service struct {
	repo    Repository
	gateway PaymentGateway
	now     func() time.Time
	timeout time.Duration
	retry   retry.Policy
}

// Option configures a Service.
type Option func(*Service)

// WithGatewayTimeout sets how long one gateway call may take (default
// DefaultGatewayTimeout). Values <= 0 keep the default.
func WithGatewayTimeout(d time.Duration) Option {
	return func(s *Service) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// WithRetry sets how conflicting writes are retried: at most attempts tries
// in all, waiting a random duration up to base*2^n (capped at max) between
// them. The default is 8 attempts, 10ms base, 250ms max.
func WithRetry(attempts int, base, max time.Duration) Option {
	return func(s *Service) {
		s.retry = retry.Policy{Attempts: attempts, Base: base, Max: max}
	}
}

// NewService returns the payments service over repo and gateway, reading
// time from now. Payment ids derive from order ids (PaymentID), so it needs
// no id generator.
func NewService(repo Repository, gateway PaymentGateway, now func() time.Time, opts ...Option) *Service {
	s := &Service{
		repo: repo, gateway: gateway, now: now, timeout: DefaultGatewayTimeout,
		retry: retry.Policy{Attempts: 8, Base: 10 * time.Millisecond, Max: 250 * time.Millisecond},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Get returns the payment id: ErrNotFound, also for an id that cannot be
// a payment's.
func (s *Service) Get(ctx context.Context, id string) (Payment, error) {
	if !ValidID(id) {
		return Payment{}, fmt.Errorf("get payment %q: %w", id, ErrNotFound)
	}
	return s.repo.Get(ctx, id)
}

// gatewayContext bounds one gateway call by the gateway timeout, and, when
// ctx has a deadline, ends it early enough to record the outcome: up to a
// second (at most half of what is left) is kept for that.
func (s *Service) gatewayContext(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout := s.timeout
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if budget := left - min(time.Second, left/2); budget < timeout {
			timeout = budget
		}
	}
	return context.WithTimeout(ctx, timeout)
}

// settle applies change to the stored payment id while it is still
// PENDING and returns the stored payment: the changed one, or the one a
// concurrent caller settled first.
func (s *Service) settle(ctx context.Context, id string, from Status, change func(*Payment) error) (Payment, error) {
	var out Payment
	err := s.retry.Do(ctx, ErrConflict, func() error {
		return s.repo.Update(ctx, id, func(p *Payment) error {
			if p.Status() == from {
				if err := change(p); err != nil {
					return err
				}
			}
			out = *p
			return nil
		})
	})
	if err != nil {
		return Payment{}, err
	}
	return out, nil
}
