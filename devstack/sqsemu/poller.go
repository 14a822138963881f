package sqsemu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Invoker invokes a function synchronously with payload and returns its
// response. A function error (the function returned or raised an error, or
// timed out) is a non-nil error.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Poller is a Lambda event source mapping for an SQS queue: pollers that
// long-poll the queue, invoke the function with an events.SQSEvent and
// delete what the function processed.
//
// Outcomes, as the Lambda developer guide documents them:
//   - the invocation fails (function error): nothing is deleted; the batch
//     becomes visible again when its visibility timeout expires and is
//     redriven by the queue at maxReceiveCount;
//   - the invocation succeeds without ReportBatchItemFailures: the whole
//     batch is deleted;
//   - with ReportBatchItemFailures, the response is read as
//     {"batchItemFailures":[{"itemIdentifier": messageId}]}: an empty or null
//     response, or an empty or null batchItemFailures list, is complete
//     success; an itemIdentifier that is empty, null or not a message id of
//     the batch makes the whole batch a failure; otherwise every message but
//     the listed ones is deleted. A response that is not JSON at all is not
//     covered by the documentation; devstack treats it as a failure of the
//     whole batch, which never loses a message.
//
// The poller never changes a message's visibility itself: a message left
// undeleted becomes visible again when its visibility timeout expires, the
// queue's or the one the function set during the invocation by calling
// ChangeMessageVisibility with the receipt handle of its event record (the
// handle of the receive that produced the batch, so the call is accepted).
type Poller struct {
	queue          *Queue
	invoker        Invoker
	batchSize      int
	concurrency    int
	reportFailures bool

	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// DefaultMaxConcurrency is the number of concurrent batches when
// maxConcurrency is 0: Lambda starts with five long-polling connections.
const DefaultMaxConcurrency = 5

// NewPoller returns a Poller for queue. batchSize is 1..10 (larger batches
// need a batching window, which devstack does not emulate); maxConcurrency
// is the ESM's ScalingConfig.MaximumConcurrency (2..1000, 0 for the
// default).
func NewPoller(queue *Queue, invoker Invoker, batchSize, maxConcurrency int, reportBatchItemFailures bool) (*Poller, error) {
	if batchSize < 1 || batchSize > 10 {
		return nil, fmt.Errorf("event source mapping for %s: batch size %d: devstack supports 1 to 10 (no batching window)", queue.Name(), batchSize)
	}
	if maxConcurrency == 0 {
		maxConcurrency = DefaultMaxConcurrency
	}
	if maxConcurrency < 2 || maxConcurrency > 1000 {
		return nil, fmt.Errorf("event source mapping for %s: maximum concurrency %d out of range [2, 1000]", queue.Name(), maxConcurrency)
	}
	return &Poller{queue: queue, invoker: invoker, batchSize: batchSize, concurrency: maxConcurrency,
		reportFailures: reportBatchItemFailures}, nil
}

// Start starts the pollers; they run until Close or until ctx is done.
func (p *Poller) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		return errors.New("poller already started")
	}
	ctx, p.cancel = context.WithCancel(ctx)
	for range p.concurrency {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.run(ctx)
		}()
	}
	return nil
}

// Close stops the pollers and waits for them: an invocation in progress is
// cancelled and its batch left to reappear after its visibility timeout.
func (p *Poller) Close() error {
	p.mu.Lock()
	cancel := p.cancel
	p.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	p.wg.Wait()
	return nil
}

// longPoll is the wait time of the ESM's receives.
const longPoll = 20 * time.Second

func (p *Poller) run(ctx context.Context) {
	wait := longPoll
	for ctx.Err() == nil {
		msgs, err := p.queue.Receive(ctx, ReceiveInput{MaxNumberOfMessages: p.batchSize, WaitTime: &wait})
		var e *Error
		if errors.As(err, &e) && e.Code == "QueueDoesNotExist" {
			return // DeleteQueue deleted the source; Lambda disables such a mapping
		}
		if err != nil || len(msgs) == 0 {
			continue
		}
		p.process(ctx, msgs)
	}
}

// process invokes the function with one batch and deletes what succeeded.
func (p *Poller) process(ctx context.Context, msgs []Message) {
	payload, err := json.Marshal(p.event(msgs))
	if err != nil {
		return
	}
	resp, err := p.invoker.Invoke(ctx, payload)
	if err != nil {
		return
	}
	failed, ok := map[string]bool{}, true
	if p.reportFailures {
		failed, ok = batchItemFailures(resp, msgs)
	}
	if !ok {
		return
	}
	for _, m := range msgs {
		if !failed[m.MessageID] {
			_ = p.queue.Delete(m.ReceiptHandle)
		}
	}
}

// batchItemFailures reads a partial batch response; ok is false when the
// response makes the whole batch a failure.
func batchItemFailures(resp []byte, msgs []Message) (failed map[string]bool, ok bool) {
	failed = map[string]bool{}
	if len(resp) == 0 {
		return failed, true
	}
	var r struct {
		BatchItemFailures []struct {
			ItemIdentifier *string `json:"itemIdentifier"`
		} `json:"batchItemFailures"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		var null any
		// JSON that is not an object (null, a string, a number) carries no failures.
		return failed, json.Unmarshal(resp, &null) == nil
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	for _, f := range r.BatchItemFailures {
		if f.ItemIdentifier == nil || !ids[*f.ItemIdentifier] {
			return nil, false
		}
		failed[*f.ItemIdentifier] = true
	}
	return failed, true
}

func (p *Poller) event(msgs []Message) events.SQSEvent {
	ev := events.SQSEvent{Records: make([]events.SQSMessage, len(msgs))}
	for i, m := range msgs {
		rec := events.SQSMessage{
			MessageId: m.MessageID, ReceiptHandle: m.ReceiptHandle, Body: m.Body, Md5OfBody: m.MD5OfBody,
			Attributes: m.SystemAttributes(), MessageAttributes: map[string]events.SQSMessageAttribute{},
			EventSourceARN: p.queue.ARN(), EventSource: "aws:sqs", AWSRegion: p.queue.Region(),
		}
		if len(m.MessageAttributes) > 0 {
			rec.Md5OfMessageAttributes = m.MD5OfMessageAttributes
		}
		for n, a := range m.MessageAttributes {
			attr := events.SQSMessageAttribute{DataType: a.DataType, BinaryValue: a.BinaryValue,
				StringListValues: []string{}, BinaryListValues: [][]byte{}}
			if a.BinaryValue == nil {
				attr.StringValue = &a.StringValue
			}
			rec.MessageAttributes[n] = attr
		}
		ev.Records[i] = rec
	}
	return ev
}
