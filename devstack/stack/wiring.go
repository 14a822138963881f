package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goshop-dev/goshop/devstack/apigw"
	"github.com/goshop-dev/goshop/devstack/ddbemu"
	"github.com/goshop-dev/goshop/devstack/eventsemu"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/sqsemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// startFunctions builds every function's package and registers it with
// lambdart.
func (r *Running) startFunctions(ctx context.Context, root string) error {
	fns := r.Stack.Functions
	r.progress("building %d functions into %s", len(fns), filepath.Join(root, BuildDir))
	builder := lambdart.NewBuilder(lambdart.DefaultBuildParallelism)
	outDir := filepath.Join(root, BuildDir)
	binaries := make([]string, len(fns))
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	started := time.Now()
	for i, fn := range fns {
		wg.Go(func() {
			if fn.Package == "" {
				errs[i] = fmt.Errorf("function %s (%s): no %s metadata names its Go package", fn.LogicalID, fn.Name, template.MetadataPackage)
				return
			}
			bin, err := builder.Build(ctx, root, fn.Package, outDir)
			if err != nil {
				errs[i] = fmt.Errorf("function %s: %w", fn.Name, err)
				return
			}
			binaries[i] = bin
			r.progress("built %s (%s)", fn.Name, fn.Package)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	r.progress("built %d functions in %s", len(fns), time.Since(started).Round(time.Second))

	r.Lambda = lambdart.New(lambdart.Config{
		Region: r.Stack.Region, AccountID: r.Stack.AccountID, Env: r.EndpointEnv(), Logs: r.logs,
	})
	r.onClose("Lambda", r.Lambda.Close)
	for i, fn := range fns {
		if err := r.Lambda.Register(lambdaFunction(fn, binaries[i])); err != nil {
			return fmt.Errorf("register function %s: %w", fn.Name, err)
		}
	}
	return nil
}

// lambdaFunction is fn as lambdart runs it from binary. A reserved
// concurrency throttles beyond it, and 0 throttles every invocation;
// without one the function is never throttled, as on AWS, where it draws
// from the account's unreserved pool: only lambdart's local instance cap
// applies, which makes invocations wait.
func lambdaFunction(fn *template.Function, binary string) lambdart.Function {
	lf := lambdart.Function{
		Name: fn.Name, ARN: fn.ARN, Binary: binary, Env: maps.Clone(fn.Environment),
		Timeout: fn.Timeout, MemoryMB: fn.MemoryMB,
	}
	if r := fn.ReservedConcurrency; r != nil {
		lf.ReservedConcurrency, lf.Throttled = *r, *r == 0
	}
	return lf
}

// createQueues creates every queue, each dead-letter queue before the
// queues that redrive to it.
func (r *Running) createQueues() (*sqsemu.Broker, error) {
	broker := sqsemu.NewBroker(sqsemu.Options{Region: r.Stack.Region, AccountID: r.Stack.AccountID})
	created := map[string]bool{}
	pending := r.Stack.Queues
	for len(pending) > 0 {
		var next []*template.Queue
		for _, q := range pending {
			cfg := sqsemu.QueueConfig{VisibilityTimeout: q.VisibilityTimeout, MessageRetentionPeriod: q.MessageRetention}
			if q.Redrive != nil {
				if !created[q.Redrive.DeadLetterLogicalID] {
					next = append(next, q)
					continue
				}
				dlq, _ := r.Stack.LookupQueue(q.Redrive.DeadLetterTargetARN)
				cfg.RedrivePolicy = &sqsemu.RedrivePolicy{
					DeadLetterTargetARN: broker.ARN(dlq.Name), MaxReceiveCount: q.Redrive.MaxReceiveCount,
				}
			}
			if _, err := broker.CreateQueue(q.Name, cfg); err != nil {
				return nil, fmt.Errorf("create queue %s: %w", q.Name, err)
			}
			created[q.LogicalID] = true
		}
		if len(next) == len(pending) {
			return nil, fmt.Errorf("queue %s: its dead-letter queue %s is not a queue of the template or redrives in a cycle",
				next[0].LogicalID, next[0].Redrive.DeadLetterLogicalID)
		}
		pending = next
	}
	return broker, nil
}

// createRules creates the buses and the rules, resolving each target's ARN
// to the template resource it names.
func (r *Running) createRules(ctx context.Context, async *sync.WaitGroup, events *eventsemu.Service, broker *sqsemu.Broker) error {
	for _, bus := range r.Stack.EventBuses {
		if bus.Name == "default" {
			continue
		}
		if err := events.CreateBus(bus.Name); err != nil {
			return fmt.Errorf("create event bus %s: %w", bus.Name, err)
		}
	}
	for _, rule := range r.Stack.Rules {
		er := eventsemu.Rule{
			Name: rule.Name, EventBusName: rule.EventBusName, EventPattern: string(rule.EventPattern), Disabled: !rule.Enabled,
		}
		for _, t := range rule.Targets {
			target, err := r.target(ctx, async, t, broker)
			if err != nil {
				return fmt.Errorf("rule %s target %s: %w", rule.LogicalID, t.ID, err)
			}
			rt := eventsemu.RuleTarget{ID: t.ID, ARN: t.ARN, Target: target}
			if t.DeadLetterARN != "" {
				dlq, ok := broker.QueueByARN(t.DeadLetterARN)
				if !ok {
					return fmt.Errorf("rule %s target %s: dead-letter queue %s is not a queue of the template", rule.LogicalID, t.ID, t.DeadLetterARN)
				}
				rt.DeadLetterQueue = dlq
			}
			er.Targets = append(er.Targets, rt)
		}
		if err := events.AddRule(er); err != nil {
			return fmt.Errorf("rule %s: %w", rule.LogicalID, err)
		}
	}
	return nil
}

// newEvents returns the EventBridge service, whose PutTargets resolves
// target ARNs as the template's rules are resolved (see resolveTarget).
func (r *Running) newEvents(ctx context.Context, async *sync.WaitGroup, broker *sqsemu.Broker) *eventsemu.Service {
	return eventsemu.New(eventsemu.Options{
		Region: r.Stack.Region, AccountID: r.Stack.AccountID,
		ResolveTarget: func(arn string) (eventsemu.Target, error) { return r.resolveTarget(ctx, async, arn, broker) },
		ResolveQueue: func(arn string) (*sqsemu.Queue, error) {
			q, ok := broker.QueueByARN(arn)
			if !ok {
				return nil, fmt.Errorf("queue %s does not exist", arn)
			}
			return q, nil
		},
	})
}

// resolveTarget resolves the ARN of a target put at run time: a queue of
// the broker, whether the template or CreateQueue created it, or a function
// or state machine of the template.
func (r *Running) resolveTarget(ctx context.Context, async *sync.WaitGroup, arn string, broker *sqsemu.Broker) (eventsemu.Target, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil, fmt.Errorf("%q is not an ARN", arn)
	}
	kinds := map[string]template.TargetKind{
		"sqs": template.TargetSQS, "lambda": template.TargetLambda, "states": template.TargetStateMachine,
	}
	kind, ok := kinds[parts[2]]
	if !ok {
		return nil, fmt.Errorf("devstack delivers to SQS queues, Lambda functions and Step Functions state machines, not to %s", arn)
	}
	return r.target(ctx, async, template.Target{ARN: arn, Kind: kind}, broker)
}

func (r *Running) target(ctx context.Context, async *sync.WaitGroup, t template.Target, broker *sqsemu.Broker) (eventsemu.Target, error) {
	switch t.Kind {
	case template.TargetSQS:
		q, ok := broker.QueueByARN(t.ARN)
		if !ok {
			return nil, fmt.Errorf("queue %s does not exist", t.ARN)
		}
		return eventsemu.SQSTarget{Queue: q}, nil
	case template.TargetLambda:
		fn, ok := r.Stack.LookupFunction(t.ARN)
		if !ok {
			return nil, fmt.Errorf("function %s is not a function of the template", t.ARN)
		}
		return eventsemu.LambdaTarget{Function: asyncInvoker{
			functionInvoker: functionInvoker{r.Lambda, fn.Name}, ctx: ctx, wg: async, logger: r.logger,
		}}, nil
	case template.TargetStateMachine:
		sm, ok := r.Stack.LookupStateMachine(t.ARN)
		if !ok {
			return nil, fmt.Errorf("state machine %s is not a state machine of the template", t.ARN)
		}
		return eventsemu.StepFunctionsTarget{StateMachine: r.StepFunctions.Starter(sm.ARN)}, nil
	}
	return nil, fmt.Errorf("target kind %q of %s is not supported", t.Kind, t.ARN)
}

// startPollers starts a poller per enabled event source mapping.
func (r *Running) startPollers(ctx context.Context, broker *sqsemu.Broker) error {
	ddb := ddbemu.NewClient(r.DynamoDBURL, r.Stack.Region)
	streams := ddbemu.NewStreamsClient(r.DynamoDBURL, r.Stack.Region)
	for _, m := range r.Stack.EventSourceMappings {
		if !m.Enabled {
			r.progress("event source mapping %s is disabled: not polled", m.LogicalID)
			continue
		}
		fn := functionInvoker{r.Lambda, m.FunctionName}
		switch m.SourceKind {
		case template.SourceSQS:
			q, ok := broker.QueueByARN(m.SourceARN)
			if !ok {
				return fmt.Errorf("event source mapping %s: queue %s is not a queue of the template", m.LogicalID, m.SourceARN)
			}
			p, err := sqsemu.NewPoller(q, sqsInvoker{fn}, m.BatchSize, m.MaximumConcurrency, m.ReportsBatchItemFailures())
			if err != nil {
				return fmt.Errorf("event source mapping %s: %w", m.LogicalID, err)
			}
			if err := p.Start(ctx); err != nil {
				return fmt.Errorf("event source mapping %s: %w", m.LogicalID, err)
			}
			r.onClose("SQS poller "+m.LogicalID, p.Close)
		case template.SourceDynamoDBStream:
			cfg := ddbemu.Config{
				Mapping: m, DynamoDB: ddb, Streams: streams, Invoker: streamInvoker{fn}, Logger: r.logger,
			}
			for _, t := range r.Stack.Tables {
				if t.LogicalID == m.SourceLogicalID {
					cfg.TableName = t.Name
				}
			}
			if m.OnFailureARN != "" {
				q, ok := broker.QueueByARN(m.OnFailureARN)
				if !ok {
					return fmt.Errorf("event source mapping %s: on-failure destination %s is not a queue of the template", m.LogicalID, m.OnFailureARN)
				}
				cfg.OnFailure = queueDestination{q}
			}
			p, err := ddbemu.NewPoller(cfg)
			if err != nil {
				return fmt.Errorf("event source mapping %s: %w", m.LogicalID, err)
			}
			r.onClose("stream poller "+m.LogicalID, p.Close)
			if err := p.Start(ctx); err != nil {
				return fmt.Errorf("event source mapping %s: %w", m.LogicalID, err)
			}
		default:
			return fmt.Errorf("event source mapping %s: source kind %q is not supported", m.LogicalID, m.SourceKind)
		}
	}
	return nil
}

// gateway returns the handler of the template's REST API.
func (r *Running) gateway() (http.Handler, error) {
	switch len(r.Stack.RestAPIs) {
	case 0:
		return http.NotFoundHandler(), nil
	case 1:
	default:
		return nil, fmt.Errorf("the template has %d REST APIs; devstack serves one", len(r.Stack.RestAPIs))
	}
	api := r.Stack.RestAPIs[0]
	g, err := apigw.New(apigw.Config{
		API: api, Invoker: r.Lambda, AccountID: r.Stack.AccountID, Region: r.Stack.Region, Logger: r.logger,
	})
	if err != nil {
		return nil, fmt.Errorf("REST API %s: %w", api.LogicalID, err)
	}
	return g, nil
}

// prefixed returns a writer that writes each line of its input to w with
// prefix; lines are split as they arrive.
func prefixed(w io.Writer, prefix string) io.Writer {
	return &linePrefixer{w: w, prefix: prefix}
}

type linePrefixer struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

func (l *linePrefixer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if _, err := fmt.Fprintf(l.w, "%s%s\n", l.prefix, l.buf[:i]); err != nil {
			return len(p), err
		}
		l.buf = l.buf[i+1:]
	}
}
