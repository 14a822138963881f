package eventsemu

import (
	"strconv"
	"time"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// deliver sends body to one target in the background, retrying per the
// retry policy and falling back to the target's dead-letter queue.
func (s *Service) deliver(r *Rule, t RuleTarget, body []byte) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.inflight++
	s.mu.Unlock()
	go func() {
		defer s.done()
		attempts := s.retry.MaxAttempts
		if t.Retry != nil {
			attempts = t.Retry.MaximumRetryAttempts + 1
		}
		err := s.attempt(t.Target, body, attempts)
		if err == nil || t.DeadLetterQueue == nil || s.ctx.Err() != nil {
			return
		}
		str := func(v string) sqsemu.MessageAttribute {
			return sqsemu.MessageAttribute{DataType: "String", StringValue: v}
		}
		_, _ = t.DeadLetterQueue.Send(sqsemu.SendInput{Body: string(body), Attributes: map[string]sqsemu.MessageAttribute{
			"RULE_ARN":                  str(s.RuleARN(r.EventBusName, r.Name)),
			"TARGET_ARN":                str(orUnknown(t.ARN)),
			"ERROR_CODE":                str("SDK_CLIENT_ERROR"),
			"ERROR_MESSAGE":             str(orUnknown(err.Error())),
			"EXHAUSTED_RETRY_CONDITION": str("MaximumRetryAttempts"),
			"RETRY_ATTEMPTS":            {DataType: "Number", StringValue: strconv.Itoa(attempts - 1)},
		}})
	}()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func (s *Service) attempt(t Target, body []byte, attempts int) error {
	wait := s.retry.Backoff
	var err error
	for i := range attempts {
		if i > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-s.ctx.Done():
				timer.Stop()
				return s.ctx.Err()
			case <-timer.C:
			}
			wait *= 2
		}
		if err = t.Deliver(s.ctx, body); err == nil {
			return nil
		}
	}
	return err
}

func (s *Service) done() {
	s.mu.Lock()
	s.inflight--
	if s.inflight == 0 {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

// Wait blocks until every delivery started so far has finished (delivered,
// dead-lettered or dropped).
func (s *Service) Wait() {
	s.mu.Lock()
	for s.inflight > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// Close cancels the deliveries in progress and waits for them; events
// put afterwards are accepted but not delivered.
func (s *Service) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.Wait()
	return nil
}
