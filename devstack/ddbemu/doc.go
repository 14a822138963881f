// Package ddbemu runs the DynamoDB side of devstack on DynamoDB Local, AWS's
// official DynamoDB emulator: it starts the emulator (Start), creates the
// template's tables on it (CreateTables), and polls the tables' streams for
// the template's DynamoDB stream event source mappings (Poller), invoking
// functions the way Lambda does.
//
// DynamoDB Local serves tables, transactions, Streams and TTL settings (it
// does not delete expired items), so this package does not emulate DynamoDB
// itself. What no maintained library offers is the other half: the Lambda
// event source mapping for DynamoDB Streams. AWS runs it inside the Lambda
// service; LocalStack re-implements it in Python inside its container; the
// Kinesis Client Library adapters for DynamoDB Streams are Java. None is a Go
// library devstack can drive from the template, so the Poller is written
// here, following the Lambda developer guide:
//
//   - Records are read per shard, in order, from TRIM_HORIZON or LATEST as
//     the mapping says (shards that appear later, and child shards, from
//     TRIM_HORIZON once their parent is drained), and delivered as an
//     events.DynamoDBEvent in batches of up to BatchSize. There is no
//     batching window (MaximumBatchingWindowInSeconds 0, the default): a
//     batch holds what the shard has when the poller reads it.
//   - Filter criteria are evaluated on each record's JSON as the function
//     would receive it; a record no filter matches is dropped and counts as
//     processed. Exact values (strings, numbers, booleans, null) and nested
//     objects are supported; any other filter rule (prefix, anything-but,
//     numeric, exists, ...) is refused by NewPoller, naming the mapping.
//   - A function error retries the batch. With ReportBatchItemFailures the
//     response {"batchItemFailures":[{"itemIdentifier": sequenceNumber}]}
//     is honoured: an empty or null list (or response) is success; otherwise
//     Lambda checkpoints before the lowest reported sequence number and
//     retries from there; an empty, null or unknown itemIdentifier, or a
//     response that is not such a JSON object, fails the whole batch.
//   - With BisectBatchOnFunctionError a batch that fails as a whole is split
//     in two halves, retried separately, first half first; a split is not
//     counted as a retry, so a poison record is isolated whatever the batch
//     size.
//   - MaximumRetryAttempts bounds the retries of a batch (0 means none);
//     when they are exhausted the batch is discarded and, with an on-failure
//     destination, its metadata (the DDBStreamBatchInfo document Lambda
//     sends, condition RetryAttemptsExhausted) goes to the destination, and
//     the shard moves on. -1 retries until the record is older than the
//     stream's 24-hour retention (condition RecordAgeExceeded).
//   - After a partial failure the retried batch is the remainder of the
//     failed batch; AWS may top it up with later records, which nothing the
//     function can rely on distinguishes.
//
// Every record's eventSourceARN is the mapping's EventSourceArn (the
// template's stream ARN), not the label DynamoDB Local invents: the stream is
// found through DescribeTable's LatestStreamArn.
package ddbemu
