package shop

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctionstasks"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

// SagaTasks are the functions of the checkout saga's steps.
type SagaTasks struct {
	Reserve, Process, Confirm awslambda.IFunction // the forward steps
	Refund, Release, Cancel   awslambda.IFunction // their compensations
}

// lambdaTransient are the errors of the Lambda service itself, always worth
// retrying.
var lambdaTransient = []string{
	"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
	"Lambda.TooManyRequestsException", "Lambda.Unknown",
}

// NewCheckoutSaga builds the checkout saga as a Standard state machine
// (JSONPath): ReserveInventory -> ProcessPayment -> ConfirmOrder, with each
// failure compensated in reverse order:
//
//	out of stock             -> CancelOrder
//	reservation failed       -> ReleaseInventory -> CancelOrder
//	payment declined         -> ReleaseInventory -> CancelOrder
//	payment failed           -> RefundPayment -> ReleaseInventory -> CancelOrder
//	confirmation failed      -> RefundPayment -> ReleaseInventory -> CancelOrder
//
// Transient errors (sagatask.ErrTransient and the Lambda service's own) are
// retried with exponential backoff and full jitter; business errors are
// caught at once and never retried. Compensations retry every error for
// longer, since they must finish; if one still fails the execution fails
// with CompensationFailed, which the execution-failure alarm reports. Every
// task is idempotent on the order id, so a retried or replayed step never
// reserves, charges or refunds twice. Execution data is not logged: the
// input carries the payment token.
func NewCheckoutSaga(scope constructs.Construct, id string, cfg Config, t SagaTasks) awsstepfunctions.StateMachine {
	c := constructs.NewConstruct(scope, jsii.String(id))
	errorPath := jsii.String("$.error")

	forward := func(name string, fn awslambda.IFunction, payload map[string]interface{}, resultPath string, selector map[string]interface{}, attempts float64) awsstepfunctionstasks.LambdaInvoke {
		task := awsstepfunctionstasks.NewLambdaInvoke(c, jsii.String(name), &awsstepfunctionstasks.LambdaInvokeProps{
			LambdaFunction:           fn,
			Payload:                  awsstepfunctions.TaskInput_FromObject(&payload),
			ResultSelector:           &selector,
			ResultPath:               jsii.String(resultPath),
			RetryOnServiceExceptions: jsii.Bool(false), // the Retry below covers them, with jitter
			TaskTimeout:              awsstepfunctions.Timeout_Duration(awscdk.Duration_Seconds(jsii.Number(30))),
		})
		task.AddRetry(&awsstepfunctions.RetryProps{
			Errors:         jsii.Strings(append([]string{sagatask.ErrTransient, "States.Timeout"}, lambdaTransient...)...),
			Interval:       awscdk.Duration_Seconds(jsii.Number(1)),
			BackoffRate:    jsii.Number(2),
			MaxAttempts:    jsii.Number(attempts),
			MaxDelay:       awscdk.Duration_Seconds(jsii.Number(10)),
			JitterStrategy: awsstepfunctions.JitterType_FULL,
		})
		return task
	}
	compensation := func(name string, fn awslambda.IFunction, payload map[string]interface{}, resultPath string) awsstepfunctionstasks.LambdaInvoke {
		task := awsstepfunctionstasks.NewLambdaInvoke(c, jsii.String(name), &awsstepfunctionstasks.LambdaInvokeProps{
			LambdaFunction:           fn,
			Payload:                  awsstepfunctions.TaskInput_FromObject(&payload),
			ResultSelector:           &map[string]interface{}{"status.$": "$.Payload.status"},
			ResultPath:               jsii.String(resultPath),
			RetryOnServiceExceptions: jsii.Bool(false),
			TaskTimeout:              awsstepfunctions.Timeout_Duration(awscdk.Duration_Seconds(jsii.Number(30))),
		})
		task.AddRetry(&awsstepfunctions.RetryProps{
			Errors:         jsii.Strings("States.ALL"),
			Interval:       awscdk.Duration_Seconds(jsii.Number(2)),
			BackoffRate:    jsii.Number(2),
			MaxAttempts:    jsii.Number(10),
			MaxDelay:       awscdk.Duration_Seconds(jsii.Number(60)),
			JitterStrategy: awsstepfunctions.JitterType_FULL,
		})
		return task
	}
	ids := map[string]interface{}{"orderId.$": "$.orderId", "correlationId.$": "$.correlationId"}
	with := func(extra map[string]interface{}) map[string]interface{} {
		out := map[string]interface{}{}
		for k, v := range ids {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}

	reserve := forward("ReserveInventory", t.Reserve, with(map[string]interface{}{"lines.$": "$.lines"}),
		"$.reservation", map[string]interface{}{"status.$": "$.Payload.status", "lines.$": "$.Payload.lines"}, 4)
	process := forward("ProcessPayment", t.Process, with(map[string]interface{}{"userId.$": "$.userId", "amount.$": "$.total", "paymentToken.$": "$.paymentToken"}),
		"$.payment", map[string]interface{}{"paymentId.$": "$.Payload.paymentId", "status.$": "$.Payload.status"}, 3)
	confirm := forward("ConfirmOrder", t.Confirm, with(map[string]interface{}{"paymentId.$": "$.payment.paymentId"}),
		"$.confirmation", map[string]interface{}{"status.$": "$.Payload.status"}, 4)

	refund := compensation("RefundPayment", t.Refund, with(nil), "$.refund")
	release := compensation("ReleaseInventory", t.Release, with(nil), "$.release")
	cancel := compensation("CancelOrder", t.Cancel, with(map[string]interface{}{"reason.$": "$.cancelReason"}), "$.cancellation")

	compensationFailed := awsstepfunctions.NewFail(c, jsii.String("CompensationFailed"), &awsstepfunctions.FailProps{
		Error: jsii.String("CompensationFailed"),
		Cause: jsii.String("a compensation kept failing after its retries; see the execution history"),
	})
	for _, task := range []awsstepfunctionstasks.LambdaInvoke{refund, release, cancel} {
		task.AddCatch(compensationFailed, &awsstepfunctions.CatchProps{Errors: jsii.Strings("States.ALL"), ResultPath: errorPath})
	}
	refund.Next(release)
	release.Next(cancel)
	cancel.Next(awsstepfunctions.NewSucceed(c, jsii.String("Cancelled"), &awsstepfunctions.SucceedProps{
		Comment: jsii.String("the order is CANCELLED and every step before the failure is undone"),
	}))

	reason := func(name, why string, next awsstepfunctions.IChainable) awsstepfunctions.Pass {
		p := awsstepfunctions.NewPass(c, jsii.String(name), &awsstepfunctions.PassProps{
			Result:     awsstepfunctions.Result_FromString(jsii.String(why)),
			ResultPath: jsii.String("$.cancelReason"),
		})
		p.Next(next)
		return p
	}
	reserve.AddCatch(reason("OutOfStock", events.ReasonOutOfStock, cancel), &awsstepfunctions.CatchProps{Errors: jsii.Strings(sagatask.ErrOutOfStock), ResultPath: errorPath})
	reserve.AddCatch(reason("ReservationFailed", events.ReasonReservationFailed, release), &awsstepfunctions.CatchProps{Errors: jsii.Strings("States.ALL"), ResultPath: errorPath})
	process.AddCatch(reason("PaymentDeclined", events.ReasonPaymentDeclined, release), &awsstepfunctions.CatchProps{Errors: jsii.Strings(sagatask.ErrPaymentDeclined), ResultPath: errorPath})
	process.AddCatch(reason("PaymentFailed", events.ReasonPaymentFailed, refund), &awsstepfunctions.CatchProps{Errors: jsii.Strings("States.ALL"), ResultPath: errorPath})
	confirm.AddCatch(reason("ConfirmFailed", events.ReasonConfirmFailed, refund), &awsstepfunctions.CatchProps{Errors: jsii.Strings("States.ALL"), ResultPath: errorPath})

	definition := reserve.Next(process).Next(confirm).Next(awsstepfunctions.NewSucceed(c, jsii.String("Confirmed"), &awsstepfunctions.SucceedProps{
		Comment: jsii.String("stock reserved, payment taken, order CONFIRMED"),
	}))

	logs := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{Retention: cfg.LogRetention, RemovalPolicy: cfg.RemovalPolicy})
	sm := awsstepfunctions.NewStateMachine(c, jsii.String("StateMachine"), &awsstepfunctions.StateMachineProps{
		Comment:          jsii.String("goshop checkout saga: reserve stock, take payment, confirm; compensate in reverse on failure"),
		DefinitionBody:   awsstepfunctions.DefinitionBody_FromChainable(definition),
		StateMachineType: awsstepfunctions.StateMachineType_STANDARD,
		QueryLanguage:    awsstepfunctions.QueryLanguage_JSON_PATH,
		Timeout:          awscdk.Duration_Minutes(jsii.Number(30)),
		TracingEnabled:   jsii.Bool(true),
		Logs: &awsstepfunctions.LogOptions{
			Destination:          logs,
			Level:                awsstepfunctions.LogLevel_ALL,
			IncludeExecutionData: jsii.Bool(false),
		},
	})
	suppress(sm, "AwsSolutions-IAM5",
		"CDK grants lambda:InvokeFunction on each task function and on its versions (<arn>:*), and the "+
			"log delivery and X-Ray actions that support no resource-level permissions.",
		`/^Resource::<.*\.Arn>:\*$/`, "Resource::*")
	return sm
}
