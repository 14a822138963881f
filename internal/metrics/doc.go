// Package metrics records business and technical metrics (orders created,
// payments declined, handler latency) as CloudWatch embedded metric format
// (EMF) documents: one JSON object per line on the function's standard
// output, which CloudWatch Logs turns into metrics without any API call.
//
// The format is specified at
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
//
// # Why it is written by hand
//
// No Go EMF library can be fetched from the module proxy this project
// builds from, and the format does not need one: a document is a single
// JSON object with an "_aws" member (Timestamp in epoch milliseconds and a
// CloudWatchMetrics array of {Namespace, Dimensions, Metrics}) plus one
// top-level member per dimension and per metric value. Encoding it by hand,
// without reflection, costs about a microsecond and no allocation per
// metric, and puts the project's own rules (below) where every metric
// passes.
//
// # One document per call
//
// Count, Add and Duration each write one complete document at once, in a
// single Write. Nothing is buffered: a Lambda may be frozen, or never
// thawed, as soon as it has answered, so a batch flushed "later" is a batch
// lost whenever a handler forgets to flush or panics. A document is 300 to
// 400 bytes, and a function records a handful per invocation, so batching
// would save little log volume for that risk.
//
// # Dimensions and what they cost
//
// Every document carries the dimension Service (the function's service,
// given to New). A metric recorded with dimensions, say
// D("Reason", "out_of_stock"), is published under two dimension sets,
// [Service] and [Service, Reason]: the first gives the total across
// reasons, the second one series per reason. CloudWatch bills every unique
// combination of namespace, metric name and dimension values as a separate
// custom metric, so a metric whose Reason takes k values costs 1+k custom
// metrics (with several dimensions: 1 plus the value combinations seen).
// The subsets of several dimensions ([Service, A], [Service, B], ...) are
// deliberately not published: their number grows as 2^n. Record a second
// metric when another cut is needed.
//
// For the same reason a dimension must have few values. Identifiers (order,
// user, request and correlation ids, e-mail addresses, SKUs, timestamps)
// never become dimensions: a dimension whose name looks like one (orderId,
// user_id, Email, ...), whose value is longer than MaxDimensionValueLen,
// holds non-printable or non-ASCII characters, or looks like an identifier
// (a UUID, a long run of digits or of hexadecimal) is refused. A refused
// dimension is written as a property instead, so the value stays on the log
// line, and the refusal is reported (see below). The guard is a heuristic:
// it catches the usual mistakes, not every high-cardinality value.
//
// # Properties
//
// Properties are top-level members that are neither dimensions nor
// metrics: CloudWatch ignores them when it extracts metrics, and Logs
// Insights can search them. Every document carries the requestId,
// lambdaRequestId and correlationId that logging.WithIDs stored in the
// context (the same keys as the log lines), and any property the caller
// passes with P, such as P("orderId", id).
//
// # Names
//
// Metric and dimension names are ASCII identifiers: a letter, then
// letters, digits, '_', '.' or '-'; metric names up to 255 bytes, dimension
// names up to 250. This is stricter than CloudWatch needs and keeps names
// usable in Logs Insights queries and alarms without quoting. Names used by
// the document itself (Service and the context ids) are reserved.
//
// # Errors
//
// Metrics are best-effort: no method returns an error or panics on bad
// input. A metric with an invalid name, unit or value is not written
// (ErrInvalidMetric), a refused dimension or property is reported with
// ErrFieldRefused, and a failed Write is reported with the writer's error.
// Problems go to the function set by OnError; by default LogOnce logs the
// first problem of each of these three kinds at warn level and drops the
// rest, so a bug shows once in the logs without flooding them. Every
// problem, logged or not, is counted by Recorder.Problems.
//
// A Recorder is safe for concurrent use; a nil *Recorder records nothing.
package metrics
