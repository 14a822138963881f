// Package resilience is where goshop keeps its fault-tolerance patterns for
// calls to remote dependencies (the payment gateway, the catalog-lookup
// function, any HTTP API): a deadline Budget that never outlives the
// Lambda invocation, Retry with capped exponential backoff and full
// jitter, a Bulkhead bounding the calls in flight, and a Guard that
// composes them with a circuit Breaker so that a call site reads as one
// line:
//
//	guard := resilience.NewGuard("payment-gateway", resilience.GuardOptions{...})
//	err := guard.Do(ctx, func(ctx context.Context) error { ... })
//
// # Order
//
// Guard.Do applies, from the outside in:
//
//	Budget(Timeout, Reserve)        the whole call, waits included, ends Reserve before ctx's deadline
//	  Bulkhead                      one slot per call, held across its retries
//	    Retry                       attempts spaced by full-jitter backoff
//	      Breaker                   asked before each attempt, told each outcome
//	        Budget(AttemptTimeout)  each attempt's own deadline, cut from what is left
//	          op
//
// Why this order:
//
//   - The call's budget frames everything, so neither a wait for a
//     bulkhead slot nor a backoff can eat the time the caller keeps to
//     answer (Reserve: record the outcome, reply to API Gateway or Step
//     Functions). The Lambda context carries the invocation's deadline;
//     work past it is lost, and an answer past it is a timeout.
//   - The bulkhead is outside the retries: a call keeps its slot while it
//     backs off, so the limit bounds the calls in flight to the
//     dependency, and a refused caller is refused once, fast, rather than
//     queueing again between attempts. The price is a slot held idle
//     during a backoff, which is what shedding load from a struggling
//     dependency wants anyway. A refusal never reaches the breaker: a full
//     bulkhead says this process is busy, not that the dependency failed.
//   - The retries are outside the breaker, so each attempt is one
//     observation of what the dependency did: the breaker trips after
//     its threshold of failed attempts (not threshold × attempts), a
//     half-open trial is one attempt rather than a burst, and once the
//     breaker opens the next attempt is refused and the retry loop stops
//     at once instead of backing off against an open circuit (an
//     *OpenError is never retried).
//   - Each attempt has its own timeout inside the breaker, so a hung
//     attempt ends as context.DeadlineExceeded, counts as a failure of
//     the dependency, and leaves time for another attempt. The timeout is
//     cut from what is left of the call's budget, so the last attempt
//     never outlives the call.
//
// # Which errors count
//
// Retry stops for good on an error marked Permanent, on context.Canceled,
// on an *OpenError and on ErrNoTime, and as soon as its context is done;
// Policy.Retryable narrows what else is retried. An attempt that timed
// out on its own deadline (context.DeadlineExceeded while the call still
// has time) is retried.
//
// What the breaker counts as a failure is the caller's decision, because
// only the caller knows that a declined card is the gateway's answer, not
// its failure. Mark such answers Permanent in op (they are then neither
// retried nor, with the settings below, counted), and leave a caller that
// gave up (context.Canceled) out of the count.
//
// State lives in the process: each Lambda execution environment has its
// own bulkheads and breakers, so a limit bounds one instance's calls (the
// function's reserved concurrency bounds the instances) and a breaker
// opens in an instance once that instance has seen enough failures.
//
// # Why it is written here
//
// Standard library and internal/backoff only. Budget, Retry and Bulkhead
// are a few dozen lines each and must agree on one rule that no library
// shares: nothing outlives the invocation's deadline less the time kept to
// answer. Retry libraries served on the project's module proxy
// (cenkalti/backoff/v5, avast/retry-go/v4) would add a dependency for a
// loop that is shorter to read than to configure, and the project's
// full-jitter helper is internal/backoff.
//
// The circuit breaker is not written here. github.com/sony/gobreaker/v2
// (v2.4.0, no dependencies outside its tests, widely used and maintained)
// does it; NewBreaker configures its TwoStepCircuitBreaker the project's
// way (consecutive failures to open, a cooldown, one trial call when
// half-open, answers such as a declined card not counted) and registers it
// so a health check can report it (Breakers). A wiring package builds one
// breaker and one guard per dependency, for example:
//
//	breaker := resilience.NewBreaker("payment-gateway", resilience.BreakerOptions{
//		FailureThreshold: 5,
//		Cooldown:         30 * time.Second,
//		OnStateChange:    resilience.ReportStateChanges(logger, recorder),
//	})
//	guard := resilience.NewGuard("payment-gateway", resilience.GuardOptions{
//		Reserve:        time.Second,
//		AttemptTimeout: 2 * time.Second,
//		Retry:          resilience.Policy{Attempts: 3, Base: 100 * time.Millisecond, Max: time.Second},
//		Breaker:        breaker,
//		Bulkhead:       resilience.NewBulkhead("payment-gateway", 16, 50*time.Millisecond),
//	})
//
// ReportStateChanges logs each change and counts it as the metrics
// BreakerStateChanged and BreakerOpened (internal/metrics).
package resilience
