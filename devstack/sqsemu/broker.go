package sqsemu

import (
	"fmt"
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

	mu     sync.Mutex
	queues map[string]*Queue
}

// NewBroker returns an empty Broker.
func NewBroker(opts Options) *Broker {
	b := &Broker{region: opts.Region, account: opts.AccountID, clock: opts.Clock, newID: opts.NewID,
		queues: map[string]*Queue{}}
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

// QueueConfig is a queue's configuration; zero durations take the SQS
// defaults (visibility 30 s, retention 4 days, delay 0, wait 0); they are the
// queue attributes VisibilityTimeout, MessageRetentionPeriod, DelaySeconds and
// ReceiveMessageWaitTimeSeconds.
type QueueConfig struct {
	VisibilityTimeout      time.Duration
	MessageRetentionPeriod time.Duration
	Delay                  time.Duration
	ReceiveMessageWaitTime time.Duration
	RedrivePolicy          *RedrivePolicy
}

// RedrivePolicy sends a message to the dead-letter queue after it has been
// received MaxReceiveCount times.
type RedrivePolicy struct {
	DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

// CreateQueue creates a queue, validating its configuration against the
// ranges SQS accepts; the dead-letter queue of a redrive policy must exist.
func (b *Broker) CreateQueue(name string, cfg QueueConfig) (*Queue, error) {
	if err := validateQueueName(name); err != nil {
		return nil, err
	}
	if err := b.defaults(&cfg); err != nil {
		return nil, fmt.Errorf("queue %s: %w", name, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.queues[name]; ok {
		return nil, fmt.Errorf("queue %s: already exists", name)
	}
	if rp := cfg.RedrivePolicy; rp != nil {
		if b.byARNLocked(rp.DeadLetterTargetARN) == nil {
			return nil, fmt.Errorf("queue %s: redrive policy: dead letter target %s does not exist", name, rp.DeadLetterTargetARN)
		}
	}
	q := &Queue{broker: b, name: name, arn: b.ARN(name), cfg: cfg, created: b.clock.Now(), changed: make(chan struct{})}
	b.queues[name] = q
	return q, nil
}

func validateQueueName(name string) error {
	if name == "" || len(name) > 80 {
		return fmt.Errorf("queue name %q: must be 1 to 80 characters", name)
	}
	if strings.HasSuffix(name, ".fifo") {
		return fmt.Errorf("queue %s: FIFO queues are not supported by devstack", name)
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("queue name %q: only alphanumeric characters, hyphens and underscores", name)
		}
	}
	return nil
}

func (b *Broker) defaults(cfg *QueueConfig) error {
	if cfg.VisibilityTimeout == 0 {
		cfg.VisibilityTimeout = 30 * time.Second
	}
	if cfg.MessageRetentionPeriod == 0 {
		cfg.MessageRetentionPeriod = 4 * 24 * time.Hour
	}
	checks := []struct {
		name     string
		v        time.Duration
		min, max time.Duration
	}{
		{"VisibilityTimeout", cfg.VisibilityTimeout, 0, 12 * time.Hour},
		{"MessageRetentionPeriod", cfg.MessageRetentionPeriod, time.Minute, 14 * 24 * time.Hour},
		{"Delay", cfg.Delay, 0, 15 * time.Minute},
		{"ReceiveMessageWaitTime", cfg.ReceiveMessageWaitTime, 0, 20 * time.Second},
	}
	for _, c := range checks {
		if c.v < c.min || c.v > c.max {
			return fmt.Errorf("%s %s out of range [%s, %s]", c.name, c.v, c.min, c.max)
		}
	}
	if rp := cfg.RedrivePolicy; rp != nil && (rp.MaxReceiveCount < 1 || rp.MaxReceiveCount > 1000) {
		return fmt.Errorf("redrive policy: maxReceiveCount %d out of range [1, 1000]", rp.MaxReceiveCount)
	}
	return nil
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
