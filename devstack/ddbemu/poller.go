package ddbemu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/goshop-dev/goshop/devstack/template"
)

// Invoker invokes the mapping's function synchronously. functionError is
// true when the function returned or raised an error (or timed out); err is
// for an invocation that did not happen. Both count as a failed batch.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) (response []byte, functionError bool, err error)
}

// Destination receives the on-failure document of a discarded batch, e.g.
// by sending it to the template's SQS queue.
type Destination interface {
	Send(ctx context.Context, body []byte) error
}

// DescribeTableAPI finds a table's stream.
type DescribeTableAPI interface {
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// StreamsAPI is the part of the DynamoDB Streams client the Poller uses.
type StreamsAPI interface {
	DescribeStream(ctx context.Context, in *dynamodbstreams.DescribeStreamInput, optFns ...func(*dynamodbstreams.Options)) (*dynamodbstreams.DescribeStreamOutput, error)
	GetShardIterator(ctx context.Context, in *dynamodbstreams.GetShardIteratorInput, optFns ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *dynamodbstreams.GetRecordsInput, optFns ...func(*dynamodbstreams.Options)) (*dynamodbstreams.GetRecordsOutput, error)
}

// DefaultPollInterval is how often an idle shard is read.
const DefaultPollInterval = 100 * time.Millisecond

// StreamRetention is how long DynamoDB Streams keeps a record; with
// MaximumRetryAttempts -1 a failing record is retried until it is this old.
const StreamRetention = 24 * time.Hour

// Config wires a Poller for one DynamoDB stream event source mapping.
type Config struct {
	// Mapping is a template mapping of SourceKind SourceDynamoDBStream.
	Mapping *template.EventSourceMapping
	// TableName is the name of the table whose stream the mapping reads
	// (the template table with logical id Mapping.SourceLogicalID).
	TableName string
	DynamoDB  DescribeTableAPI
	Streams   StreamsAPI
	Invoker   Invoker
	// OnFailure receives discarded batches; required when the mapping has
	// an on-failure destination, and then the only place they go.
	OnFailure Destination
	// PollInterval is the idle read interval and the first retry delay;
	// default DefaultPollInterval.
	PollInterval time.Duration
	// Logger gets discarded batches and read errors; default slog.Default().
	Logger *slog.Logger
	// Now is the clock for record age; default time.Now.
	Now func() time.Time
}

// Poller is a DynamoDB stream event source mapping: it reads the table's
// stream from DynamoDB Local and invokes the function as Lambda does (see
// the package documentation). Start it once; Close stops it.
type Poller struct {
	cfg     Config
	m       *template.EventSourceMapping
	region  string
	filters []*filter

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// NewPoller checks the configuration and compiles the mapping's filters,
// refusing filter rules it does not implement with an error naming the
// mapping.
func NewPoller(cfg Config) (*Poller, error) {
	m := cfg.Mapping
	if m == nil {
		return nil, errors.New("stream poller: no mapping")
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("event source mapping %s: "+format, append([]any{m.LogicalID}, args...)...)
	}
	switch {
	case m.SourceKind != template.SourceDynamoDBStream:
		return nil, fail("source %s is not a DynamoDB stream", m.SourceARN)
	case cfg.TableName == "":
		return nil, fail("no table name")
	case cfg.DynamoDB == nil || cfg.Streams == nil || cfg.Invoker == nil:
		return nil, fail("DynamoDB, Streams and Invoker are required")
	case m.OnFailureARN != "" && cfg.OnFailure == nil:
		return nil, fail("on-failure destination %s has no Destination", m.OnFailureARN)
	case m.BatchSize < 1:
		return nil, fail("batch size %d", m.BatchSize)
	case m.StartingPosition != "TRIM_HORIZON" && m.StartingPosition != "LATEST":
		return nil, fail("starting position %q is not TRIM_HORIZON or LATEST", m.StartingPosition)
	case m.MaximumRetryAttempts < -1:
		return nil, fail("maximum retry attempts %d", m.MaximumRetryAttempts)
	}
	p := &Poller{cfg: cfg, m: m, region: arnRegion(m.SourceARN)}
	for i, raw := range m.Filters {
		f, err := compileFilter(raw)
		if err != nil {
			return nil, fail("filter %d: %w", i+1, err)
		}
		p.filters = append(p.filters, f)
	}
	if p.cfg.PollInterval <= 0 {
		p.cfg.PollInterval = DefaultPollInterval
	}
	if p.cfg.Logger == nil {
		p.cfg.Logger = slog.Default()
	}
	if p.cfg.Now == nil {
		p.cfg.Now = time.Now
	}
	p.cfg.Logger = p.cfg.Logger.With("mapping", m.LogicalID, "function", m.FunctionName, "table", cfg.TableName)
	return p, nil
}

// arnRegion is the region field of an ARN (arn:partition:service:region:...).
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[3] == "" {
		return template.DefaultRegion
	}
	return parts[3]
}

// Start finds the table's stream and its shards and starts polling; with
// StartingPosition LATEST the position is taken before Start returns, so
// every change made afterwards is delivered. A disabled mapping polls
// nothing. Polling runs until Close or until ctx is done.
func (p *Poller) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started {
		return fmt.Errorf("event source mapping %s: already started", p.m.LogicalID)
	}
	p.started = true
	if !p.m.Enabled {
		return nil
	}
	out, err := p.cfg.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(p.cfg.TableName)})
	if err != nil {
		return fmt.Errorf("event source mapping %s: describe table %s: %w", p.m.LogicalID, p.cfg.TableName, err)
	}
	streamARN := aws.ToString(out.Table.LatestStreamArn)
	if streamARN == "" {
		return fmt.Errorf("event source mapping %s: table %s has no stream", p.m.LogicalID, p.cfg.TableName)
	}
	st := &stream{p: p, arn: streamARN, shards: map[string]*shard{}}
	if err := st.discover(ctx, true); err != nil {
		return fmt.Errorf("event source mapping %s: %w", p.m.LogicalID, err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel = cancel
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		stop := context.AfterFunc(ctx, cancel)
		defer stop()
		st.run(runCtx)
	}()
	return nil
}

// Close stops polling and waits for in-flight work to end; an invocation in
// progress is cancelled through its context. It is safe to call more than
// once and before Start.
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

// sleep waits d or until ctx is done, reporting whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
