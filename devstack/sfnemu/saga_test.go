package sfnemu_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sfnemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

// sagaMachine loads the checkout saga from the synthesized template.
func sagaMachine(t *testing.T) *template.StateMachine {
	t.Helper()
	data, err := os.ReadFile("../template/testdata/goshop-dev.template.json")
	if err != nil {
		t.Fatal(err)
	}
	stack, err := template.Load(data, template.Options{StackName: "goshop-dev", AWSEndpoint: "http://127.0.0.1:4566"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, m := range stack.StateMachines {
		if strings.Contains(m.Name, "CheckoutSaga") {
			return m
		}
	}
	t.Fatal("no checkout saga state machine in the template")
	return nil
}

// sagaFunctions answers every saga task successfully, except the
// functions whose name contains a key of failures.
func sagaFunctions(failures map[string]string) *fakeLambda {
	return &fakeLambda{handler: func(_ context.Context, fn string, _ []byte) answer {
		for part, errType := range failures {
			if strings.Contains(fn, part) {
				doc, _ := json.Marshal(obj{"errorMessage": "refused by " + part, "errorType": errType})
				return answer{out: string(doc), errorType: errType, errorMessage: "refused by " + part}
			}
		}
		return answer{out: `{"status":"ok","lines":[{"productId":"p1","quantity":2}],"paymentId":"pay-1"}`}
	}}
}

func TestCheckoutSaga(t *testing.T) {
	t.Parallel()
	input := `{"orderId":"o-1","userId":"u-1","correlationId":"c-1","total":{"amount":1999,"currency":"USD"},` +
		`"paymentToken":"tok_approve","lines":[{"productId":"p1","quantity":2}]}`
	tests := []struct {
		name      string
		failures  map[string]string
		states    []string
		functions []string
		output    obj // fields of the output checked
	}{
		{
			name:      "every step succeeds",
			states:    []string{"ReserveInventory", "ProcessPayment", "ConfirmOrder", "Confirmed"},
			functions: []string{"catalogreserve", "paymentsprocess", "ordersconfirm"},
			output: obj{
				"reservation":  obj{"status": "ok", "lines": arr{obj{"productId": "p1", "quantity": 2.0}}},
				"payment":      obj{"status": "ok", "paymentId": "pay-1"},
				"confirmation": obj{"status": "ok"},
			},
		},
		{
			name:      "out of stock",
			failures:  map[string]string{"catalogreserve": "OutOfStock"},
			states:    []string{"ReserveInventory", "OutOfStock", "CancelOrder", "Cancelled"},
			functions: []string{"catalogreserve", "orderscancel"},
			output: obj{
				"cancelReason": "out_of_stock",
				"cancellation": obj{"status": "ok"},
				"error": obj{"Error": "OutOfStock",
					"Cause": `{"errorMessage":"refused by catalogreserve","errorType":"OutOfStock"}`},
			},
		},
		{
			name:      "payment declined",
			failures:  map[string]string{"paymentsprocess": "PaymentDeclined"},
			states:    []string{"ReserveInventory", "ProcessPayment", "PaymentDeclined", "ReleaseInventory", "CancelOrder", "Cancelled"},
			functions: []string{"catalogreserve", "paymentsprocess", "catalogrelease", "orderscancel"},
			output:    obj{"cancelReason": "payment_declined"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := sagaMachine(t)
			fn := sagaFunctions(tt.failures)
			c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, m))
			name := m.ARN[strings.LastIndexByte(m.ARN, ':')+1:]
			arn := aws.ToString(start(t, c, name, "o-1", input).ExecutionArn)
			out := waitDone(t, c, arn)
			if out.Status != types.ExecutionStatusSucceeded {
				t.Fatalf("status = %s (%s: %s)", out.Status, aws.ToString(out.Error), aws.ToString(out.Cause))
			}
			events := history(t, c, arn)
			if diff := cmp.Diff(tt.states, statesEntered(events)); diff != "" {
				t.Errorf("states entered (-want +got):\n%s", diff)
			}
			for _, errType := range tt.failures {
				if !hasTaskFailed(events, errType) {
					t.Errorf("no TaskFailed %s in the history: %v", errType, eventTypes(events))
				}
			}
			calls, _ := fn.recorded()
			var got []string
			for _, c := range calls {
				got = append(got, functionKind(c.fn))
			}
			if diff := cmp.Diff(tt.functions, got); diff != "" {
				t.Errorf("functions invoked (-want +got):\n%s", diff)
			}
			var output obj
			if err := json.Unmarshal([]byte(aws.ToString(out.Output)), &output); err != nil {
				t.Fatal(err)
			}
			if output["orderId"] != "o-1" {
				t.Errorf("output lost the input: %v", output)
			}
			for k, want := range tt.output {
				if diff := cmp.Diff(want, output[k]); diff != "" {
					t.Errorf("output %s (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}

// functionKind reduces a function ARN of the template to the part naming
// its package, e.g. "catalogreserve".
func functionKind(arn string) string {
	for _, kind := range []string{"catalogreserve", "catalogrelease", "paymentsprocess", "paymentsrefund", "ordersconfirm", "orderscancel"} {
		if strings.Contains(arn, kind) {
			return kind
		}
	}
	return arn
}

// hasTaskFailed tells whether events hold a TaskFailed with this error.
func hasTaskFailed(events []types.HistoryEvent, errName string) bool {
	for _, ev := range events {
		if d := ev.TaskFailedEventDetails; d != nil && aws.ToString(d.Error) == errName {
			return true
		}
	}
	return false
}
