package ddbtx_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/ddbtx"
)

func canceled(codes ...string) *types.TransactionCanceledException {
	reasons := make([]types.CancellationReason, len(codes))
	for i, c := range codes {
		reasons[i] = types.CancellationReason{Code: aws.String(c)}
	}
	return &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

func codes(reasons []types.CancellationReason) []string {
	var out []string
	for _, r := range reasons {
		out = append(out, aws.ToString(r.Code))
	}
	return out
}

func TestReasons(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		want   []string
		wantOK bool
	}{
		{"nil", nil, nil, false},
		{"other error", errors.New("throttled"), nil, false},
		{"condition failed outside a transaction", &types.ConditionalCheckFailedException{}, nil, false},
		{"cancelled", canceled(ddbtx.None, ddbtx.ConditionalCheckFailed), []string{"None", "ConditionalCheckFailed"}, true},
		{"wrapped", fmt.Errorf("create: %w", canceled(ddbtx.TransactionConflict)), []string{"TransactionConflict"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reasons, ok := ddbtx.Reasons(tt.err)
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, codes(reasons)); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReasonIsAndAnyReason(t *testing.T) {
	t.Parallel()
	reasons := canceled(ddbtx.None, ddbtx.ConditionalCheckFailed, "").CancellationReasons
	reasons = append(reasons, types.CancellationReason{}) // no code at all
	tests := []struct {
		name string
		i    int
		code string
		want bool
	}{
		{"matching code", 1, ddbtx.ConditionalCheckFailed, true},
		{"other code", 0, ddbtx.ConditionalCheckFailed, false},
		{"None", 0, ddbtx.None, true},
		{"past the end", 4, ddbtx.ConditionalCheckFailed, false},
		{"negative", -1, ddbtx.None, false},
		{"nil code reads as empty", 3, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ddbtx.ReasonIs(reasons, tt.i, tt.code); got != tt.want {
				t.Errorf("ReasonIs(%d, %q) = %v, want %v", tt.i, tt.code, got, tt.want)
			}
		})
	}
	if !ddbtx.AnyReason(reasons, ddbtx.ConditionalCheckFailed) {
		t.Error("AnyReason(ConditionalCheckFailed) = false, want true")
	}
	if ddbtx.AnyReason(reasons, ddbtx.TransactionConflict) {
		t.Error("AnyReason(TransactionConflict) = true, want false")
	}
	if ddbtx.AnyReason(nil, ddbtx.None) {
		t.Error("AnyReason(nil) = true, want false")
	}
}
