package sqsemu

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Options configure a Broker. Zero values take the defaults shown.
type Options struct {
	Region    string // "us-east-1"
	AccountID string // "000000000000"
	Clock     Clock  // SystemClock
	// NewID returns message ids and receipt nonces (uuid.NewString).
	NewID func() string
}

// Broker holds the queues of one account and region. It is safe for
// concurrent use; it serves the SQS JSON protocol through ServeHTTP.
type Broker struct {
	region  string
	account string
	clock   Clock
	newID   func() string

	mu      sync.Mutex
	queues  map[string]*Queue
	deleted map[string]time.Time // queue name -> when DeleteQueue deleted it
}

// NewBroker returns an empty Broker.
func NewBroker(opts Options) *Broker {
	b := &Broker{region: opts.Region, account: opts.AccountID, clock: opts.Clock, newID: opts.NewID,
		queues: map[string]*Queue{}, deleted: map[string]time.Time{}}
	if b.region == "" {
		b.region = "us-east-1"
	}
	if b.account == "" {
		b.account = "000000000000"
	}
	if b.clock == nil {
		b.clock = SystemClock{}
	}
	if b.newID == nil {
		b.newID = uuid.NewString
	}
	return b
}

// Region returns the broker's region.
func (b *Broker) Region() string { return b.region }

// AccountID returns the broker's account id.
func (b *Broker) AccountID() string { return b.account }

// QueueConfig is a queue's configuration: the queue attributes
// VisibilityTimeout, MessageRetentionPeriod, DelaySeconds,
// ReceiveMessageWaitTimeSeconds, MaximumMessageSize, RedrivePolicy, Policy and
// SqsManagedSseEnabled. For Broker.CreateQueue zero values take the SQS
// defaults (visibility 30 s, retention 4 days, delay 0, wait 0, maximum
// message size 256 KiB, SSE-SQS enabled); a VisibilityTimeout of 0 is only
// expressible over the wire (CreateQueue with the attribute "0").
type QueueConfig struct {
	VisibilityTimeout      time.Duration
	MessageRetentionPeriod time.Duration
	Delay                  time.Duration
	ReceiveMessageWaitTime time.Duration
	// MaximumMessageSize is the largest body Send accepts, in bytes (1024 to
	// 1048576). Its default stays 262144, the limit of the template's
	// queues when devstack was written, although new AWS queues now default
	// to 1 MiB.
	MaximumMessageSize int
	RedrivePolicy      *RedrivePolicy
	// Policy is the queue's access policy document. It is stored and
	// reported by GetQueueAttributes but not enforced: devstack does not
	// emulate IAM, so every caller may do everything.
	Policy string
	// SqsManagedSseEnabled is reported as given (default true, as for new
	// queues on AWS); messages are kept in memory either way.
	SqsManagedSseEnabled *bool
}

// RedrivePolicy sends a message to the dead-letter queue after it has been
// received MaxReceiveCount times.
type RedrivePolicy struct {
	DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

// deletedRecently is how long a name stays unusable after DeleteQueue.
const deletedRecently = time.Minute

// CreateQueue creates a queue, validating its configuration against the
// ranges SQS accepts; the dead-letter queue of a redrive policy must exist.
// A queue of that name must not exist, nor have been deleted in the last 60
// seconds (QueueDeletedRecently); the SQS API's idempotent re-creation is
// the wire action's, not this method's.
func (b *Broker) CreateQueue(name string, cfg QueueConfig) (*Queue, error) {
	applyDefaults(&cfg)
	q, existing, err := b.create(name, cfg)
	if err != nil {
		return nil, err
	}
	if existing {
		return nil, errQueueNameExists(name, "")
	}
	return q, nil
}

// create creates the queue named name with cfg, defaults already applied,
// or returns the existing queue of that name (existing true) when its
// configuration is the same; a different one is QueueNameExists.
func (b *Broker) create(name string, cfg QueueConfig) (q *Queue, existing bool, err error) {
	if err := validateQueueName(name); err != nil {
		return nil, false, err
	}
	if err := validate(cfg); err != nil {
		return nil, false, err
	}
	b.mu.Lock()
	q, existing = b.queues[name]
	if !existing {
		q, err = b.newQueueLocked(name, cfg)
	}
	b.mu.Unlock()
	if !existing {
		return q, false, err
	}
	// Compared outside the broker's lock: take holds a queue's lock while
	// it looks the dead-letter queue up, so the broker's is never held
	// while a queue's is taken.
	if attr := configDiff(q.Config(), cfg); attr != "" {
		return nil, false, errQueueNameExists(name, attr)
	}
	return q, true, nil
}

func (b *Broker) newQueueLocked(name string, cfg QueueConfig) (*Queue, error) {
	now := b.clock.Now()
	if at, ok := b.deleted[name]; ok && now.Sub(at) < deletedRecently {
		return nil, errQueueDeletedRecently()
	}
	if err := b.checkRedriveLocked(cfg.RedrivePolicy); err != nil {
		return nil, err
	}
	q := &Queue{broker: b, name: name, arn: b.ARN(name), cfg: cfg, created: now, modified: now, changed: make(chan struct{})}
	b.queues[name] = q
	return q, nil
}

func (b *Broker) checkRedriveLocked(rp *RedrivePolicy) error {
	if rp != nil && b.byARNLocked(rp.DeadLetterTargetARN) == nil {
		return errInvalidParameter("Value {\"deadLetterTargetArn\":%q,\"maxReceiveCount\":%d} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.",
			rp.DeadLetterTargetARN, rp.MaxReceiveCount)
	}
	return nil
}

// DeleteQueue deletes the queue named name and its messages. Receives
// waiting on it return QueueDoesNotExist, and so does every later call on a
// *Queue still held; the name cannot be reused for 60 seconds, as on AWS.
func (b *Broker) DeleteQueue(name string) error {
	b.mu.Lock()
	q, ok := b.queues[name]
	if ok {
		delete(b.queues, name)
		b.deleted[name] = b.clock.Now()
	}
	b.mu.Unlock()
	if !ok {
		return errQueueDoesNotExist()
	}
	q.markDeleted()
	return nil
}

func validateQueueName(name string) error {
	if name == "" || len(name) > 80 {
		return errInvalidParameter("Value %q for parameter QueueName is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.", name)
	}
	if strings.HasSuffix(name, ".fifo") {
		return errUnsupportedFeature("queue %s: FIFO queues are not supported by devstack", name)
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return errInvalidParameter("Value %q for parameter QueueName is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.", name)
		}
	}
	return nil
}

// defaultConfig is the configuration of a queue created without attributes.
func defaultConfig() QueueConfig {
	var cfg QueueConfig
	applyDefaults(&cfg)
	return cfg
}

func applyDefaults(cfg *QueueConfig) {
	if cfg.VisibilityTimeout == 0 {
		cfg.VisibilityTimeout = 30 * time.Second
	}
	if cfg.MessageRetentionPeriod == 0 {
		cfg.MessageRetentionPeriod = 4 * 24 * time.Hour
	}
	if cfg.MaximumMessageSize == 0 {
		cfg.MaximumMessageSize = defaultMaxMessageSize
	}
	if cfg.SqsManagedSseEnabled == nil {
		cfg.SqsManagedSseEnabled = ptr(true)
	}
}

func ptr[T any](v T) *T { return &v }

// validate checks a configuration, defaults applied, against the ranges
// SQS documents for each attribute.
func validate(cfg QueueConfig) error {
	checks := []struct {
		attr     string
		v        time.Duration
		min, max time.Duration
	}{
		{"VisibilityTimeout", cfg.VisibilityTimeout, 0, 12 * time.Hour},
		{"MessageRetentionPeriod", cfg.MessageRetentionPeriod, time.Minute, 14 * 24 * time.Hour},
		{"DelaySeconds", cfg.Delay, 0, 15 * time.Minute},
		{"ReceiveMessageWaitTimeSeconds", cfg.ReceiveMessageWaitTime, 0, 20 * time.Second},
	}
	for _, c := range checks {
		if c.v < c.min || c.v > c.max || c.v%time.Second != 0 {
			return errInvalidAttributeValue(c.attr, "%s out of range [%d, %d] seconds", c.v, int(c.min.Seconds()), int(c.max.Seconds()))
		}
	}
	if cfg.MaximumMessageSize < 1024 || cfg.MaximumMessageSize > 1048576 {
		return errInvalidAttributeValue("MaximumMessageSize", "%d out of range [1024, 1048576] bytes", cfg.MaximumMessageSize)
	}
	if rp := cfg.RedrivePolicy; rp != nil && (rp.MaxReceiveCount < 1 || rp.MaxReceiveCount > 1000) {
		return errInvalidParameter("Value {\"deadLetterTargetArn\":%q,\"maxReceiveCount\":%d} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: %d, valid values are from 1 to 1000 both inclusive.",
			rp.DeadLetterTargetARN, rp.MaxReceiveCount, rp.MaxReceiveCount)
	}
	return nil
}

// configDiff returns the name of the first attribute whose value differs
// between a and b, or "" when they are the same.
func configDiff(a, b QueueConfig) string {
	switch {
	case a.VisibilityTimeout != b.VisibilityTimeout:
		return "VisibilityTimeout"
	case a.MessageRetentionPeriod != b.MessageRetentionPeriod:
		return "MessageRetentionPeriod"
	case a.Delay != b.Delay:
		return "DelaySeconds"
	case a.ReceiveMessageWaitTime != b.ReceiveMessageWaitTime:
		return "ReceiveMessageWaitTimeSeconds"
	case a.MaximumMessageSize != b.MaximumMessageSize:
		return "MaximumMessageSize"
	case (a.RedrivePolicy == nil) != (b.RedrivePolicy == nil) || a.RedrivePolicy != nil && *a.RedrivePolicy != *b.RedrivePolicy:
		return "RedrivePolicy"
	case a.Policy != b.Policy:
		return "Policy"
	case *a.SqsManagedSseEnabled != *b.SqsManagedSseEnabled:
		return "SqsManagedSseEnabled"
	}
	return ""
}

// ARN returns the ARN of the queue named name.
func (b *Broker) ARN(name string) string {
	return "arn:aws:sqs:" + b.region + ":" + b.account + ":" + name
}

// Queue returns the queue named name.
func (b *Broker) Queue(name string) (*Queue, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	q, ok := b.queues[name]
	return q, ok
}

// QueueByARN returns the queue with that ARN.
func (b *Broker) QueueByARN(arn string) (*Queue, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	q := b.byARNLocked(arn)
	return q, q != nil
}

func (b *Broker) byARNLocked(arn string) *Queue {
	prefix := "arn:aws:sqs:" + b.region + ":" + b.account + ":"
	name, ok := strings.CutPrefix(arn, prefix)
	if !ok {
		return nil
	}
	return b.queues[name]
}

// QueueByURL resolves a queue URL of any host whose path is
// /<account>/<name>, the form QueueURL returns.
func (b *Broker) QueueByURL(url string) (*Queue, bool) {
	i := strings.Index(url, "://")
	if i < 0 {
		return nil, false
	}
	rest := url[i+3:]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return nil, false
	}
	account, name, ok := strings.Cut(strings.Trim(rest[j:], "/"), "/")
	if !ok || account != b.account {
		return nil, false
	}
	return b.Queue(name)
}

// QueueURL returns the URL of the queue named name on the endpoint base
// (scheme and host, e.g. "http://127.0.0.1:4566").
func (b *Broker) QueueURL(base, name string) string {
	return strings.TrimRight(base, "/") + "/" + b.account + "/" + name
}

// Names returns the queue names, sorted.
func (b *Broker) Names() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	names := make([]string, 0, len(b.queues))
	for n := range b.queues {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
