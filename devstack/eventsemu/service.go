package eventsemu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"quamina.net/go/quamina"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// RetryPolicy is how many times a delivery is attempted and the wait
// before the first retry, doubled for each further one.
type RetryPolicy struct {
	MaxAttempts int
	Backoff     time.Duration
}

// Options configure a Service. Zero values take the defaults shown.
type Options struct {
	Region    string           // "us-east-1"
	AccountID string           // "000000000000"
	Now       func() time.Time // time.Now; the default event time
	NewID     func() string    // uuid.NewString; event ids
	Retry     RetryPolicy      // 3 attempts, 100 ms backoff
	// ResolveTarget returns the Target of the ARN of a PutTargets entry
	// (an SQS queue, a function, a state machine); an error fails that
	// entry. Nil fails every entry.
	ResolveTarget func(arn string) (Target, error)
	// ResolveQueue returns the queue of the ARN of a PutTargets entry's
	// DeadLetterConfig; an error fails that entry. Nil fails every entry
	// with a dead-letter queue.
	ResolveQueue func(arn string) (*sqsemu.Queue, error)
}

// Service holds the event buses of one account and region and delivers
// events to the targets of matching rules. It is safe for concurrent use;
// ServeHTTP serves PutEvents. The "default" bus always exists.
type Service struct {
	region, account string
	now             func() time.Time
	newID           func() string
	retry           RetryPolicy
	resolveTarget   func(arn string) (Target, error)
	resolveQueue    func(arn string) (*sqsemu.Queue, error)

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	buses    map[string]*bus
	inflight int
	idle     *sync.Cond
	closed   bool
}

// bus is one event bus. A *Rule in rules is never changed once stored:
// PutRule, PutTargets and RemoveTargets store a changed copy, so a delivery
// may read the rule it matched without the lock.
type bus struct {
	name     string
	matcher  *quamina.Quamina
	rules    map[string]*Rule
	patterns map[string]string // rule name -> pattern as given to the matcher
}

// Rule routes the events matching EventPattern on its bus to its targets.
type Rule struct {
	Name         string
	EventBusName string // name or ARN; "" is the default bus
	EventPattern string // JSON
	Disabled     bool
	Description  string
	Targets      []RuleTarget
}

// RuleTarget is one target of a rule.
type RuleTarget struct {
	ID     string
	ARN    string // reported as TARGET_ARN in dead-letter messages
	Target Target
	// DeadLetterQueue receives the event when every attempt failed.
	DeadLetterQueue *sqsemu.Queue
	// RoleARN is reported by ListTargetsByRule and otherwise unused:
	// devstack does not emulate IAM.
	RoleARN string
	// Retry, when not nil, replaces the Service's retry count for this
	// target, as a target's RetryPolicy does on EventBridge.
	Retry *TargetRetryPolicy
}

// TargetRetryPolicy is a target's RetryPolicy: MaximumRetryAttempts
// retries after the first attempt (0 to 185). MaximumEventAge (60 s to 24 h)
// is reported by ListTargetsByRule; devstack's retries, with the Service's
// backoff, end well within it.
type TargetRetryPolicy struct {
	MaximumRetryAttempts int
	MaximumEventAge      time.Duration
}

// New returns a Service with the default bus.
func New(opts Options) *Service {
	s := &Service{region: opts.Region, account: opts.AccountID, now: opts.Now, newID: opts.NewID, retry: opts.Retry,
		resolveTarget: opts.ResolveTarget, resolveQueue: opts.ResolveQueue, buses: map[string]*bus{}}
	if s.resolveTarget == nil {
		s.resolveTarget = func(arn string) (Target, error) {
			return nil, fmt.Errorf("devstack resolves no target ARNs here (Options.ResolveTarget is nil): %s", arn)
		}
	}
	if s.resolveQueue == nil {
		s.resolveQueue = func(arn string) (*sqsemu.Queue, error) {
			return nil, fmt.Errorf("devstack resolves no queue ARNs here (Options.ResolveQueue is nil): %s", arn)
		}
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "000000000000"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = uuid.NewString
	}
	if s.retry.MaxAttempts == 0 {
		s.retry.MaxAttempts = 3
	}
	if s.retry.Backoff == 0 {
		s.retry.Backoff = 100 * time.Millisecond
	}
	s.idle = sync.NewCond(&s.mu)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	_ = s.CreateBus("default")
	return s
}

// BusARN returns the ARN of the bus named name.
func (s *Service) BusARN(name string) string {
	return "arn:aws:events:" + s.region + ":" + s.account + ":event-bus/" + name
}

// RuleARN returns the ARN of a rule; rules on the default bus omit the bus.
func (s *Service) RuleARN(busName, rule string) string {
	if busName == "default" {
		return "arn:aws:events:" + s.region + ":" + s.account + ":rule/" + rule
	}
	return "arn:aws:events:" + s.region + ":" + s.account + ":rule/" + busName + "/" + rule
}

// CreateBus creates a custom event bus.
func (s *Service) CreateBus(name string) error {
	if name == "" || strings.ContainsAny(name, "/ ") {
		return fmt.Errorf("event bus name %q is not valid", name)
	}
	q, err := quamina.New()
	if err != nil {
		return fmt.Errorf("event bus %s: %w", name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buses[name]; ok {
		return fmt.Errorf("event bus %s already exists", name)
	}
	s.buses[name] = &bus{name: name, matcher: q, rules: map[string]*Rule{}, patterns: map[string]string{}}
	return nil
}

// busName resolves a bus name or ARN.
func (s *Service) busName(nameOrARN string) string {
	if nameOrARN == "" {
		return "default"
	}
	if name, ok := strings.CutPrefix(nameOrARN, "arn:aws:events:"+s.region+":"+s.account+":event-bus/"); ok {
		return name
	}
	return nameOrARN
}

// AddRule adds a rule. A pattern using an operator quamina lacks is an
// *UnsupportedPatternError naming the rule and the operator.
func (s *Service) AddRule(r Rule) error {
	if r.Name == "" {
		return fmt.Errorf("rule without a name")
	}
	pattern, err := checkPattern(r.Name, r.EventPattern)
	if err != nil {
		return err
	}
	for _, t := range r.Targets {
		if t.Target == nil {
			return fmt.Errorf("rule %s: target %s has no implementation", r.Name, t.ID)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buses[s.busName(r.EventBusName)]
	if !ok {
		return fmt.Errorf("rule %s: event bus %s does not exist", r.Name, r.EventBusName)
	}
	if _, ok := b.rules[r.Name]; ok {
		return fmt.Errorf("rule %s already exists on bus %s", r.Name, b.name)
	}
	if err := b.matcher.AddPattern(r.Name, pattern); err != nil {
		return fmt.Errorf("rule %s: event pattern: %w", r.Name, err)
	}
	r.EventBusName = b.name
	r.Targets = slices.Clone(r.Targets)
	b.rules[r.Name] = &r
	b.patterns[r.Name] = pattern
	return nil
}

// rebuildLocked gives b a matcher holding the patterns of its rules: quamina
// cannot replace a pattern, and deleting needs a matcher built for it.
func (b *bus) rebuildLocked() error {
	m, err := quamina.New()
	if err != nil {
		return fmt.Errorf("event bus %s: %w", b.name, err)
	}
	for name, p := range b.patterns {
		if err := m.AddPattern(name, p); err != nil {
			return fmt.Errorf("rule %s: event pattern: %w", name, err)
		}
	}
	b.matcher = m
	return nil
}

// Entry is one PutEvents entry.
type Entry struct {
	Source       string
	DetailType   string
	Detail       string
	EventBusName string // name or ARN; "" is the default bus
	Resources    []string
	Time         time.Time // zero means now
}

// Result is the outcome of one entry: an EventID, or an ErrorCode and
// ErrorMessage.
type Result struct {
	EventID      string
	ErrorCode    string
	ErrorMessage string
}

// event is the shape EventBridge delivers, fields in its order.
type event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// PutEvents accepts entries one by one, as EventBridge does, and starts
// the delivery of each accepted event to the targets of the matching rules.
func (s *Service) PutEvents(entries []Entry) []Result {
	results := make([]Result, len(entries))
	for i, e := range entries {
		results[i] = s.put(e)
	}
	return results
}

func (s *Service) put(e Entry) Result {
	switch {
	case e.Source == "":
		return Result{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument."}
	case e.DetailType == "":
		return Result{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument."}
	case e.Detail == "":
		return Result{ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument."}
	case strings.HasPrefix(e.Source, "aws."):
		return Result{ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source."}
	}
	var detail map[string]json.RawMessage
	if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil || detail == nil {
		return Result{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."}
	}
	name := s.busName(e.EventBusName)
	s.mu.Lock()
	b, ok := s.buses[name]
	s.mu.Unlock()
	if !ok {
		return Result{ErrorCode: "ResourceNotFoundException", ErrorMessage: fmt.Sprintf("Event bus %s does not exist.", name)}
	}
	at := e.Time
	if at.IsZero() {
		at = s.now()
	}
	resources := e.Resources
	if resources == nil {
		resources = []string{}
	}
	ev := event{Version: "0", ID: s.newID(), DetailType: e.DetailType, Source: e.Source, Account: s.account,
		Time: at.UTC().Format(time.RFC3339), Region: s.region, Resources: resources, Detail: compact(e.Detail)}
	body, err := json.Marshal(ev)
	if err != nil {
		return Result{ErrorCode: "InternalFailure", ErrorMessage: "Internal failure."}
	}
	for _, r := range s.match(b, body) {
		for _, t := range r.Targets {
			s.deliver(r, t, body)
		}
	}
	return Result{EventID: ev.ID}
}

// compact removes insignificant space from a detail already checked to be
// a JSON object.
func compact(detail string) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(detail)); err != nil {
		return json.RawMessage(detail)
	}
	return buf.Bytes()
}

// match returns the enabled rules of b whose pattern matches the event.
func (s *Service) match(b *bus, body []byte) []*Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	names, err := b.matcher.MatchesForEvent(body)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var rules []*Rule
	for _, x := range names {
		name, _ := x.(string)
		if r, ok := b.rules[name]; ok && !r.Disabled && !seen[name] {
			seen[name] = true
			rules = append(rules, r)
		}
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].Name < rules[j].Name })
	return rules
}
