// Package health answers a service's health check, GET /health/<service>:
// its checks (its table reachable, ...) run concurrently, each within its
// own short timeout, and the circuit breakers of the process
// (resilience.Breakers), in one JSON report:
//
//	{"service":"orders","status":"ok","probe":"ready",
//	 "checks":[{"name":"table","status":"ok","durationMs":3}],
//	 "breakers":[{"name":"catalog-lookup","state":"closed","consecutiveFailures":0}]}
//
// The answer is 200 when every check passed and no breaker is open, else
// 503 with "status":"fail" and, for each failing check, a short message
// safe to show (never an ARN, a table name or a credential; the error
// itself is logged with the request's ids).
//
// # Breakers
//
// An open breaker fails the report: the process refuses calls to that
// dependency, so the requests needing it fail fast. A half-open breaker is
// listed but is not a failure: its cooldown has passed and it lets a trial
// call through to find out whether the dependency is back. Failing the
// report then would tell whoever polls it to keep traffic away, and without
// traffic no trial call is made, so the breaker would never close again.
//
// Breakers live in the process that makes the calls (each Lambda execution
// environment has its own). A health function is its own process and calls
// no dependency, so in AWS its list is empty, or all closed: the breakers of
// the functions serving traffic are watched through the BreakerOpened metric
// (resilience.ReportStateChanges). Where one process serves every route (the
// local server, cmd/local), the report shows the breakers that matter.
//
// # Liveness and readiness
//
// A Lambda function has no long-lived process for a platform to restart,
// and no load balancer to take an instance out of: Lambda starts and
// replaces execution environments itself. What is left of the two probes:
//
//   - ready (GET /health/<service>, or ?probe=ready): the service can serve
//     requests now. Every check runs (each a real call to a dependency,
//     such as a read of the service's own table) and the breakers are
//     judged. A deployment gate, a synthetic canary or a DNS failover check
//     polls it.
//   - live (?probe=live): the function was deployed, started and loaded its
//     configuration (a function whose configuration is missing fails to
//     start, and API Gateway answers 502). No dependency is called and the
//     breakers are listed but not judged, so it costs nothing beyond the
//     invocation and can be polled often; the answer is always 200.
package health
