package shop_test

import (
	"fmt"
	"testing"
)

// TestReservedConcurrencyIsOptIn checks that reservations are off by
// default (a new account cannot reserve any) and that, turned on, only the
// functions that declare one get it: payments-process, whose instances
// bound the charges in flight.
func TestReservedConcurrencyIsOptIn(t *testing.T) {
	for id, res := range load(t).resources("AWS::Lambda::Function") {
		if v, ok := props(res)["ReservedConcurrentExecutions"]; ok {
			t.Errorf("%s: reserved concurrency %v by default", id, v)
		}
	}
	s := synthesizeWith(t, map[string]interface{}{"reservedConcurrency": "true"})
	names := functionNames(t, s)
	reserved := map[string]string{}
	for id, res := range s.resources("AWS::Lambda::Function") {
		if v, ok := props(res)["ReservedConcurrentExecutions"]; ok {
			reserved[names[id]] = fmt.Sprint(v)
		}
	}
	if len(reserved) != 1 || reserved["payments-process"] != "10" {
		t.Errorf("reserved concurrency %v, want payments-process: 10 alone", reserved)
	}
}
