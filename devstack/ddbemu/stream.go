package ddbemu

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// GetRecordsLimit is the most records one GetRecords call asks for (the
// API's maximum).
const GetRecordsLimit = 1000

// stream follows one table stream: it discovers shards and runs one reader
// per shard, a child only after its parent is drained.
type stream struct {
	p   *Poller
	arn string
	// shards is touched by Start (before run) and then only by run.
	shards  map[string]*shard
	pending []*shard
	wg      sync.WaitGroup
}

type shard struct {
	id, parent string
	// iterator is the position taken at Start for LATEST; nil otherwise.
	iterator *string
	done     chan struct{}
}

// discover lists the stream's shards and registers the new ones. At Start
// (initial) with LATEST, open shards get their LATEST iterator now and
// closed ones are skipped; every other new shard is read from TRIM_HORIZON.
func (st *stream) discover(ctx context.Context, initial bool) error {
	var start *string
	for {
		out, err := st.p.cfg.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{
			StreamArn: aws.String(st.arn), ExclusiveStartShardId: start,
		})
		if err != nil {
			return fmt.Errorf("describe stream %s: %w", st.arn, err)
		}
		desc := out.StreamDescription
		for _, s := range desc.Shards {
			id := aws.ToString(s.ShardId)
			if _, known := st.shards[id]; known {
				continue
			}
			sh := &shard{id: id, parent: aws.ToString(s.ParentShardId), done: make(chan struct{})}
			st.shards[id] = sh
			if initial && st.p.m.StartingPosition == string(types.ShardIteratorTypeLatest) {
				if s.SequenceNumberRange != nil && s.SequenceNumberRange.EndingSequenceNumber != nil {
					close(sh.done)
					continue
				}
				it, err := st.p.iterator(ctx, st.arn, id, types.ShardIteratorTypeLatest, "")
				if err != nil {
					return err
				}
				sh.iterator = it
			}
			st.pending = append(st.pending, sh)
		}
		start = desc.LastEvaluatedShardId
		if start == nil {
			return nil
		}
	}
}

// run starts the readers and rediscovers shards until ctx is done, then
// waits for the readers.
func (st *stream) run(ctx context.Context) {
	defer st.wg.Wait()
	every := 10 * st.p.cfg.PollInterval
	for {
		for _, sh := range st.pending {
			st.startShard(ctx, sh)
		}
		st.pending = nil
		if !sleep(ctx, every) {
			return
		}
		if err := st.discover(ctx, false); err != nil && ctx.Err() == nil {
			st.p.cfg.Logger.Warn("stream discovery failed", "stream", st.arn, "error", err)
		}
	}
}

func (st *stream) startShard(ctx context.Context, sh *shard) {
	var parentDone <-chan struct{}
	if parent, ok := st.shards[sh.parent]; ok && sh.parent != "" {
		parentDone = parent.done
	}
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		defer close(sh.done)
		if parentDone != nil {
			select {
			case <-parentDone:
			case <-ctx.Done():
				return
			}
		}
		st.p.readShard(ctx, st.arn, sh)
	}()
}

// iterator returns a shard iterator; after is the sequence number for
// AFTER_SEQUENCE_NUMBER.
func (p *Poller) iterator(ctx context.Context, arn, shardID string, typ types.ShardIteratorType, after string) (*string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shardID), ShardIteratorType: typ}
	if after != "" {
		in.SequenceNumber = aws.String(after)
	}
	out, err := p.cfg.Streams.GetShardIterator(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("get %s iterator of shard %s: %w", typ, shardID, err)
	}
	return out.ShardIterator, nil
}

// readShard reads a shard in order and delivers its matching records in
// batches until the shard is closed and drained, or ctx is done.
func (p *Poller) readShard(ctx context.Context, arn string, sh *shard) {
	log := p.cfg.Logger.With("shard", sh.id)
	iter, lastSeq := sh.iterator, ""
	reposition := iter == nil
	var pending []record
	for ctx.Err() == nil {
		if reposition {
			typ := types.ShardIteratorTypeTrimHorizon
			if lastSeq != "" {
				typ = types.ShardIteratorTypeAfterSequenceNumber
			}
			it, err := p.iterator(ctx, arn, sh.id, typ, lastSeq)
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("shard iterator failed", "error", err)
				}
				sleep(ctx, p.cfg.PollInterval)
				continue
			}
			iter, reposition = it, false
		}
		fetched := 0
		if iter != nil && len(pending) < p.m.BatchSize {
			out, err := p.cfg.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter, Limit: aws.Int32(GetRecordsLimit)})
			if err != nil {
				var expired *types.ExpiredIteratorException
				var trimmed *types.TrimmedDataAccessException
				reposition = errors.As(err, &expired) || errors.As(err, &trimmed)
				if ctx.Err() == nil {
					log.Warn("get records failed", "error", err)
				}
				sleep(ctx, p.cfg.PollInterval)
				continue
			}
			iter, fetched = out.NextShardIterator, len(out.Records)
			for _, raw := range out.Records {
				r, err := toEventRecord(raw, p.m.SourceARN, p.region)
				if err != nil {
					log.Warn("stream record skipped", "error", err)
					continue
				}
				lastSeq = r.sequence()
				ok, err := matches(p.filters, r)
				if err != nil {
					log.Warn("stream record skipped", "error", err)
					continue
				}
				if ok {
					pending = append(pending, r)
				}
			}
		}
		if len(pending) == 0 {
			if iter == nil {
				return
			}
			if fetched == 0 {
				sleep(ctx, p.cfg.PollInterval)
			}
			continue
		}
		n := min(p.m.BatchSize, len(pending))
		p.deliver(ctx, arn, sh.id, pending[:n])
		pending = pending[n:]
	}
}

// retryDelay backs off exponentially from the poll interval, up to 5s.
func (p *Poller) retryDelay(retry int) time.Duration {
	d := p.cfg.PollInterval << min(retry-1, 6)
	return min(d, max(5*time.Second, p.cfg.PollInterval))
}
