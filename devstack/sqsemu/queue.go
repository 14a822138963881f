package sqsemu

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultMaxMessageSize is devstack's default MaximumMessageSize.
const defaultMaxMessageSize = 262144

// Queue is one standard queue. Its methods are safe for concurrent use.
type Queue struct {
	broker  *Broker
	name    string
	arn     string
	created time.Time

	mu        sync.Mutex
	cfg       QueueConfig
	modified  time.Time
	deleted   bool
	msgs      []*message
	changed   chan struct{} // closed and replaced whenever a message may have become receivable
	lastPurge time.Time
}

// Name returns the queue name.
func (q *Queue) Name() string { return q.name }

// ARN returns the queue ARN.
func (q *Queue) ARN() string { return q.arn }

// Region returns the region of the queue's broker.
func (q *Queue) Region() string { return q.broker.region }

// Config returns the queue's configuration, defaults applied.
func (q *Queue) Config() QueueConfig {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.cfg
}

// setConfig replaces the configuration; the dead-letter queue of a redrive
// policy must exist. Messages in flight keep their visibility; the new
// retention period applies to the messages already in the queue.
func (q *Queue) setConfig(cfg QueueConfig) error {
	if err := validate(cfg); err != nil {
		return err
	}
	b := q.broker
	b.mu.Lock()
	err := b.checkRedriveLocked(cfg.RedrivePolicy)
	b.mu.Unlock()
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return errQueueDoesNotExist()
	}
	q.cfg = cfg
	q.modified = b.clock.Now()
	q.notifyLocked() // a shorter retention or a new redrive policy may matter to waiting receivers
	return nil
}

// markDeleted drops the messages and wakes the receivers, which then
// report QueueDoesNotExist.
func (q *Queue) markDeleted() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.deleted = true
	clear(q.msgs)
	q.msgs = nil
	q.notifyLocked()
}

// SendInput is a message to send.
type SendInput struct {
	Body       string
	Attributes map[string]MessageAttribute
	// Delay overrides the queue's DelaySeconds when not nil.
	Delay *time.Duration
}

// SendOutput is what SendMessage returns.
type SendOutput struct {
	MessageID              string
	MD5OfMessageBody       string
	MD5OfMessageAttributes string
}

// Send enqueues a message.
func (q *Queue) Send(in SendInput) (SendOutput, error) {
	if in.Body == "" {
		return SendOutput{}, errMissingParameter("MessageBody")
	}
	cfg := q.Config()
	if len(in.Body) > cfg.MaximumMessageSize {
		return SendOutput{}, errInvalidParameter("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", cfg.MaximumMessageSize)
	}
	if err := validateAttributes(in.Attributes); err != nil {
		return SendOutput{}, err
	}
	delay := cfg.Delay
	if in.Delay != nil {
		delay = *in.Delay
		if delay < 0 || delay > 15*time.Minute {
			return SendOutput{}, errInvalidParameter("Value %d for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.", int(delay.Seconds()))
		}
	}
	now := q.broker.clock.Now()
	m := &message{
		id: q.broker.newID(), body: in.Body, md5Body: md5Hex(in.Body),
		attrs: in.Attributes, md5Attrs: attributesMD5(in.Attributes),
		sent: now, visibleAt: now.Add(delay),
	}
	if !q.enqueue(m) {
		return SendOutput{}, errQueueDoesNotExist()
	}
	return SendOutput{MessageID: m.id, MD5OfMessageBody: m.md5Body, MD5OfMessageAttributes: m.md5Attrs}, nil
}

func validateAttributes(attrs map[string]MessageAttribute) error {
	if len(attrs) > 10 {
		return errInvalidParameter("Number of message attributes [%d] exceeds the allowed maximum [10].", len(attrs))
	}
	for name, a := range attrs {
		base, _, _ := strings.Cut(a.DataType, ".")
		switch base {
		case "String", "Number":
			if a.StringValue == "" {
				return errInvalidParameter("Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, base)
			}
		case "Binary":
			if len(a.BinaryValue) == 0 {
				return errInvalidParameter("Message (user) attribute '%s' must contain a non-empty value of type 'Binary'.", name)
			}
		default:
			return errInvalidParameter("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
		}
	}
	return nil
}

// enqueue adds m; it is false when the queue has been deleted.
func (q *Queue) enqueue(m *message) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return false
	}
	q.msgs = append(q.msgs, m)
	q.notifyLocked()
	return true
}

func (q *Queue) notifyLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// ReceiveInput are ReceiveMessage's parameters.
type ReceiveInput struct {
	// MaxNumberOfMessages is 1..10; 0 means 1.
	MaxNumberOfMessages int
	// VisibilityTimeout overrides the queue's when not nil.
	VisibilityTimeout *time.Duration
	// WaitTime overrides the queue's ReceiveMessageWaitTimeSeconds when not nil.
	WaitTime *time.Duration
}

// Receive returns up to MaxNumberOfMessages visible messages, making them
// invisible for the visibility timeout. With a wait time it long-polls:
// it returns as soon as at least one message is available, or empty when
// the wait time elapses. Messages past maxReceiveCount are moved to the
// dead-letter queue instead of being returned.
func (q *Queue) Receive(ctx context.Context, in ReceiveInput) ([]Message, error) {
	max := in.MaxNumberOfMessages
	if max == 0 {
		max = 1
	}
	if max < 1 || max > 10 {
		return nil, errInvalidParameter("Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", max)
	}
	cfg := q.Config()
	vis := cfg.VisibilityTimeout
	if in.VisibilityTimeout != nil {
		vis = *in.VisibilityTimeout
		if vis < 0 || vis > 12*time.Hour {
			return nil, errInvalidParameter("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.", int(vis.Seconds()))
		}
	}
	wait := cfg.ReceiveMessageWaitTime
	if in.WaitTime != nil {
		wait = *in.WaitTime
		if wait < 0 || wait > 20*time.Second {
			return nil, errInvalidParameter("Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", int(wait.Seconds()))
		}
	}
	clock := q.broker.clock
	deadline, stopDeadline := clock.Timer(wait)
	defer stopDeadline()
	for {
		got, moved, changed, next, err := q.take(max, vis)
		if err != nil {
			return nil, err
		}
		q.redrive(moved)
		if len(got) > 0 || wait == 0 {
			return got, nil
		}
		var wake <-chan time.Time
		stopWake := func() {}
		if !next.IsZero() {
			wake, stopWake = clock.Timer(next.Sub(clock.Now()))
		}
		select {
		case <-ctx.Done():
			stopWake()
			return nil, ctx.Err()
		case <-deadline:
			stopWake()
			got, moved, _, _, err := q.take(max, vis)
			q.redrive(moved)
			return got, err
		case <-changed:
		case <-wake:
		}
		stopWake()
	}
}

// take receives up to max visible messages. It returns the messages to move
// to the dead-letter queue, the channel closed on the next change and the
// earliest time a message not yet visible becomes visible; a deleted queue
// is QueueDoesNotExist.
func (q *Queue) take(max int, vis time.Duration) (got []Message, moved deadLetters, changed chan struct{}, next time.Time, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.deleted {
		return nil, deadLetters{}, nil, time.Time{}, errQueueDoesNotExist()
	}
	now := q.broker.clock.Now()
	q.expireLocked(now)
	var dlq *Queue
	if rp := q.cfg.RedrivePolicy; rp != nil {
		dlq, _ = q.broker.QueueByARN(rp.DeadLetterTargetARN)
	}
	kept := q.msgs[:0]
	for _, m := range q.msgs {
		if m.visibleAt.After(now) {
			if next.IsZero() || m.visibleAt.Before(next) {
				next = m.visibleAt
			}
			kept = append(kept, m)
			continue
		}
		if len(got) == max {
			kept = append(kept, m)
			continue
		}
		if dlq != nil && m.receiveCount >= q.cfg.RedrivePolicy.MaxReceiveCount {
			moved.to = dlq
			moved.msgs = append(moved.msgs, m)
			continue
		}
		m.receiveCount++
		if m.receiveCount == 1 {
			m.firstReceive = now
		}
		m.receipt = encodeReceipt(m.id, q.broker.newID())
		m.visibleAt = now.Add(vis)
		if vis > 0 && (next.IsZero() || m.visibleAt.Before(next)) {
			next = m.visibleAt
		}
		got = append(got, m.toMessage())
		kept = append(kept, m)
	}
	clear(q.msgs[len(kept):])
	q.msgs = kept
	return got, moved, q.changed, next, nil
}

func (q *Queue) expireLocked(now time.Time) {
	q.msgs = slices.DeleteFunc(q.msgs, func(m *message) bool {
		return !now.Before(m.sent.Add(q.cfg.MessageRetentionPeriod))
	})
}

// deadLetters are the messages take moves to a dead-letter queue.
type deadLetters struct {
	to   *Queue
	msgs []*message
}

// redrive moves messages to the dead-letter queue outside the source's lock,
// so queues redriving into each other cannot deadlock. A dead-letter queue
// deleted meanwhile loses them, as its messages are lost on AWS.
func (q *Queue) redrive(moved deadLetters) {
	now := q.broker.clock.Now()
	for _, m := range moved.msgs {
		m.receiveCount, m.receipt, m.firstReceive, m.visibleAt = 0, "", time.Time{}, now
		moved.to.enqueue(m)
	}
}

// Delete deletes the message whose most recent receipt handle is handle. A
// stale handle (the message was received again since) succeeds without
// deleting; so does the handle of a message already deleted.
func (q *Queue) Delete(handle string) error {
	id, ok := decodeReceipt(handle)
	if !ok {
		return errReceiptHandleInvalid(handle)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.msgs = slices.DeleteFunc(q.msgs, func(m *message) bool { return m.id == id && m.receipt == handle })
	return nil
}

// ChangeVisibility makes the message invisible for timeout counted from now
// (0 makes it visible at once).
func (q *Queue) ChangeVisibility(handle string, timeout time.Duration) error {
	id, ok := decodeReceipt(handle)
	if !ok {
		return errReceiptHandleInvalid(handle)
	}
	if timeout < 0 || timeout > 12*time.Hour {
		return errInvalidParameter("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.", int(timeout.Seconds()))
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.broker.clock.Now()
	for _, m := range q.msgs {
		if m.id != id || m.receipt != handle {
			continue
		}
		if !m.visibleAt.After(now) {
			return errMessageNotInflight()
		}
		m.visibleAt = now.Add(timeout)
		q.notifyLocked()
		return nil
	}
	return errInvalidParameter("Value %s for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.", handle)
}

// Purge deletes every message; SQS allows it once every 60 seconds.
func (q *Queue) Purge() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.broker.clock.Now()
	if !q.lastPurge.IsZero() && now.Sub(q.lastPurge) < time.Minute {
		return errPurgeInProgress(q.arn)
	}
	q.lastPurge = now
	clear(q.msgs)
	q.msgs = q.msgs[:0]
	return nil
}

// Counts are the approximate message counts of GetQueueAttributes.
type Counts struct {
	Visible    int // ApproximateNumberOfMessages
	NotVisible int // ApproximateNumberOfMessagesNotVisible (in flight)
	Delayed    int // ApproximateNumberOfMessagesDelayed
}

// Counts returns the queue's message counts.
func (q *Queue) Counts() Counts {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.broker.clock.Now()
	q.expireLocked(now)
	var c Counts
	for _, m := range q.msgs {
		switch {
		case !m.visibleAt.After(now):
			c.Visible++
		case m.receiveCount == 0:
			c.Delayed++
		default:
			c.NotVisible++
		}
	}
	return c
}

// Attributes returns the queue attributes of GetQueueAttributes for "All".
func (q *Queue) Attributes() map[string]string {
	c := q.Counts()
	q.mu.Lock()
	defer q.mu.Unlock()
	attrs := map[string]string{
		"ApproximateNumberOfMessages":           itoa(c.Visible),
		"ApproximateNumberOfMessagesNotVisible": itoa(c.NotVisible),
		"ApproximateNumberOfMessagesDelayed":    itoa(c.Delayed),
		"QueueArn":                              q.arn,
		"VisibilityTimeout":                     seconds(q.cfg.VisibilityTimeout),
		"MessageRetentionPeriod":                seconds(q.cfg.MessageRetentionPeriod),
		"DelaySeconds":                          seconds(q.cfg.Delay),
		"ReceiveMessageWaitTimeSeconds":         seconds(q.cfg.ReceiveMessageWaitTime),
		"MaximumMessageSize":                    itoa(q.cfg.MaximumMessageSize),
		"CreatedTimestamp":                      itoa64(q.created.Unix()),
		"LastModifiedTimestamp":                 itoa64(q.modified.Unix()),
		"SqsManagedSseEnabled":                  strconv.FormatBool(*q.cfg.SqsManagedSseEnabled),
	}
	if rp := q.cfg.RedrivePolicy; rp != nil {
		b, _ := json.Marshal(rp)
		attrs["RedrivePolicy"] = string(b)
	}
	if q.cfg.Policy != "" {
		attrs["Policy"] = q.cfg.Policy
	}
	return attrs
}

func seconds(d time.Duration) string { return itoa64(int64(d / time.Second)) }
