package ddbemu

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// outcome is how one invocation of a batch ended.
type outcome struct {
	ok bool
	// partial: the function reported batch item failures and the retry
	// starts at from.
	partial bool
	from    int
	// invoked: the function ran (false when the Invoker returned err).
	invoked       bool
	functionError bool
}

// Failure conditions of the on-failure document.
const (
	ConditionRetryAttemptsExhausted = "RetryAttemptsExhausted"
	ConditionRecordAgeExceeded      = "RecordAgeExceeded"
)

// deliver invokes the function with batch until every record is processed
// or discarded, or ctx is done.
func (p *Poller) deliver(ctx context.Context, arn, shardID string, batch []record) {
	retries := 0
	for len(batch) > 0 {
		res := p.invoke(ctx, batch)
		if ctx.Err() != nil || res.ok {
			return
		}
		switch {
		case res.partial && res.from > 0:
			// The records before the checkpoint are done; the first reported
			// one fails for the first time in this position.
			batch, retries = batch[res.from:], 0
		case !res.partial && p.m.BisectBatchOnFunctionError && len(batch) > 1:
			mid := len(batch) / 2
			p.deliver(ctx, arn, shardID, batch[:mid])
			if ctx.Err() == nil {
				p.deliver(ctx, arn, shardID, batch[mid:])
			}
			return
		}
		if cond := p.exhausted(retries, batch); cond != "" {
			p.discard(ctx, arn, shardID, batch, res, retries+1, cond)
			return
		}
		retries++
		if !sleep(ctx, p.retryDelay(retries)) {
			return
		}
	}
}

func (p *Poller) invoke(ctx context.Context, batch []record) outcome {
	body, err := payload(batch)
	if err != nil {
		p.cfg.Logger.Error("stream batch not encodable", "error", err)
		return outcome{}
	}
	resp, fnErr, err := p.cfg.Invoker.Invoke(ctx, body)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			p.cfg.Logger.Warn("stream batch invocation failed", "records", len(batch), "error", err)
		}
		return outcome{}
	case fnErr:
		return outcome{invoked: true, functionError: true}
	case !p.m.ReportsBatchItemFailures():
		return outcome{ok: true, invoked: true}
	}
	ok, from, valid := checkpoint(resp, batch)
	if !valid {
		p.cfg.Logger.Warn("invalid partial batch response fails the whole batch", "records", len(batch))
		return outcome{invoked: true}
	}
	return outcome{ok: ok, partial: !ok, from: from, invoked: true}
}

// exhausted names the condition that ends the retries of batch, or "".
func (p *Poller) exhausted(retries int, batch []record) string {
	if limit := p.m.MaximumRetryAttempts; limit >= 0 {
		if retries >= limit {
			return ConditionRetryAttemptsExhausted
		}
		return ""
	}
	if first := batch[0].created; !first.IsZero() && p.cfg.Now().Sub(first) >= StreamRetention {
		return ConditionRecordAgeExceeded
	}
	return ""
}

// FailureRecord is the document Lambda sends to a stream mapping's
// on-failure destination for a discarded batch: metadata only, never the
// records.
type FailureRecord struct {
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionARN            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	ResponseContext struct {
		StatusCode      int    `json:"statusCode,omitempty"`
		ExecutedVersion string `json:"executedVersion,omitempty"`
		FunctionError   string `json:"functionError,omitempty"`
	} `json:"responseContext"`
	Version            string        `json:"version"`
	Timestamp          string        `json:"timestamp"`
	DDBStreamBatchInfo DDBStreamInfo `json:"DDBStreamBatchInfo"`
}

// DDBStreamInfo locates a discarded batch in the stream.
type DDBStreamInfo struct {
	ShardID                         string `json:"shardId"`
	StartSequenceNumber             string `json:"startSequenceNumber"`
	EndSequenceNumber               string `json:"endSequenceNumber"`
	ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
	ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
	BatchSize                       int    `json:"batchSize"`
	StreamARN                       string `json:"streamArn"`
}

// discard drops batch after its retries, sending its FailureRecord to the
// destination (retrying the send until it succeeds or ctx is done).
func (p *Poller) discard(ctx context.Context, arn, shardID string, batch []record, last outcome, invocations int, cond string) {
	first, lastRec := batch[0], batch[len(batch)-1]
	log := p.cfg.Logger.With("shard", shardID, "condition", cond, "records", len(batch),
		"startSequenceNumber", first.sequence(), "endSequenceNumber", lastRec.sequence())
	if p.cfg.OnFailure == nil {
		log.Warn("stream batch discarded without a destination")
		return
	}
	var fr FailureRecord
	fr.RequestContext.RequestID = uuid.NewString()
	fr.RequestContext.FunctionARN = p.m.FunctionARN
	fr.RequestContext.Condition = cond
	fr.RequestContext.ApproximateInvokeCount = invocations
	if last.invoked {
		fr.ResponseContext.StatusCode = 200
		fr.ResponseContext.ExecutedVersion = "$LATEST"
	}
	if last.functionError {
		fr.ResponseContext.FunctionError = "Unhandled"
	}
	fr.Version = "1.0"
	fr.Timestamp = p.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	fr.DDBStreamBatchInfo = DDBStreamInfo{
		ShardID: shardID, StartSequenceNumber: first.sequence(), EndSequenceNumber: lastRec.sequence(),
		ApproximateArrivalOfFirstRecord: first.created.UTC().Format(time.RFC3339),
		ApproximateArrivalOfLastRecord:  lastRec.created.UTC().Format(time.RFC3339),
		BatchSize:                       len(batch), StreamARN: p.m.SourceARN,
	}
	body, err := json.Marshal(fr)
	if err != nil {
		log.Error("failure record not encodable", "error", err)
		return
	}
	for attempt := 1; ; attempt++ {
		err := p.cfg.OnFailure.Send(ctx, body)
		if err == nil {
			log.Warn("stream batch discarded to the on-failure destination", "destination", p.m.OnFailureARN)
			return
		}
		if ctx.Err() != nil {
			return
		}
		log.Warn("on-failure destination send failed", "destination", p.m.OnFailureARN, "error", err)
		if !sleep(ctx, p.retryDelay(attempt)) {
			return
		}
	}
}
