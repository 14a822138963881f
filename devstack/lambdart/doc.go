// Package lambdart runs Go Lambda functions on one machine, without Docker
// or AWS: it builds each function for the host (Builder), starts its
// bootstrap binary as a process on demand, serves it the Lambda Runtime API
// (2018-06-01) and answers invocations the way the Lambda service does
// (Service), including over the Lambda Invoke REST API (NewInvokeAPI), so
// the AWS SDK's Lambda client works against it.
//
// Model, following the provided.al2023 custom runtime:
//
//   - One process is one execution environment ("instance"). Each instance
//     gets its own Runtime API server on a loopback port, passed as
//     AWS_LAMBDA_RUNTIME_API, so a request's instance never has to be
//     guessed from the connection; aws-lambda-go's lambda.Start talks to it
//     because it takes the Runtime API path whenever AWS_LAMBDA_RUNTIME_API
//     is set (its RPC mode needs _LAMBDA_SERVER_PORT, which is never set).
//   - An instance serves one invocation at a time. It becomes free again
//     when its runtime calls /next after answering, as in Lambda; the
//     most recently used free instance is reused (warm start), otherwise a
//     new one is started (cold start) while the function has fewer than
//     MaxConcurrency instances.
//   - Throttling follows the function's reserved concurrency
//     (ReservedConcurrentExecutions in the template). With one, an
//     invocation beyond that many concurrent invocations fails at once
//     with ErrTooManyRequests, like Lambda's 429 TooManyRequestsException
//     for a function at its reserved concurrency: nothing is queued, and
//     callers (pollers, API Gateway) see the throttle AWS would show them.
//     A reserved concurrency of 0 (Function.Throttled) throttles every
//     invocation, as Lambda does. Without one, a function draws on AWS
//     from the account's unreserved pool (1000 by default), which
//     lambdart does not limit: nothing is throttled.
//   - MaxConcurrency (default 10) is a local cap that spares the machine,
//     not a limit AWS applies: an invocation that finds that many
//     instances busy waits for one to become free (or to go, making room
//     for a new one), until its context ends, when Invoke returns the
//     context's error without having started anything. Waiters are woken
//     when an instance is released or removed, not by polling, and are
//     not served in arrival order. With a reserved concurrency above
//     MaxConcurrency, invocations within the reservation wait alike.
//   - The function's Timeout starts when the runtime receives the event.
//     On expiry the process group is killed (SIGKILL, as Lambda does) and
//     the invocation fails with errorType "Sandbox.Timedout" and
//     errorMessage "RequestId: <id> Error: Task timed out after N.NN
//     seconds", which is what Lambda returns for provided.al2023. Step
//     Functions' Lambda integration takes the errorType as the task's Error,
//     so a state machine sees "Sandbox.Timedout" (not States.Timeout, which
//     is only the Task state's own TimeoutSeconds; "Lambda.Unknown" was what
//     it saw before Lambda added an errorType to timeouts). The next
//     invocation cold-starts a new process.
//   - A process that exits during an invocation fails it with
//     "Runtime.ExitError" ("RequestId: <id> Error: Runtime exited with error:
//     exit status N"); a runtime that posts /runtime/init/error fails the
//     invocation with the error it posted, and is killed. Either way the
//     next invocation cold-starts.
//   - Handler errors posted to /invocation/{id}/error are returned as they
//     were posted (the {"errorMessage","errorType"} body), with
//     FunctionError "Unhandled", as the Invoke API's X-Amz-Function-Error.
//   - A process's environment is built afresh, not inherited: the
//     function's variables, then those Lambda defines (AWS_LAMBDA_RUNTIME_API,
//     AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
//     AWS_LAMBDA_FUNCTION_VERSION=$LATEST, AWS_REGION, AWS_DEFAULT_REGION,
//     _HANDLER=bootstrap, LAMBDA_TASK_ROOT, dummy AWS credentials,
//     AWS_XRAY_CONTEXT_MISSING=IGNORE_ERROR, TZ, LANG and the host's PATH),
//     then Config.Env (endpoint URLs), which wins.
//   - Function stdout and stderr go, one line at a time and prefixed with
//     "[function-name] ", to Config.Logs, framed by START, END and REPORT
//     lines like CloudWatch's; REPORT has "Init Duration" on cold starts
//     only (process start to its first /next call) and "Max Memory Used"
//     from the process's peak resident set.
//
// Not provided: the Extensions and Telemetry APIs (their routes answer 404),
// response streaming, asynchronous (Event) invocations over the Invoke API,
// aliases and versions other than $LATEST, and reaping idle instances
// (they live until Close).
//
// It is written here because no maintained library does this without
// Docker: AWS SAM CLI and LocalStack run functions in containers, and the
// Lambda Runtime Interface Emulator serves one function, one invocation at
// a time, inside the function's own container image.
package lambdart
