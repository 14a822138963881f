package metrics_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

func TestHighCardinalityGuard(t *testing.T) {
	t.Parallel()
	const uuid = "3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b"
	tests := []struct {
		name      string
		field     metrics.Field
		wantDims  map[string]string // besides Service
		wantProps map[string]any    // besides none: the context is empty
		refused   bool
	}{
		{"a reason is a dimension", metrics.D("Reason", "out_of_stock"), map[string]string{"Reason": "out_of_stock"}, nil, false},
		{"a route template is a dimension", metrics.D("Route", "GET /orders/{id}"), map[string]string{"Route": "GET /orders/{id}"}, nil, false},
		{"a short number is a dimension", metrics.D("Attempt", "3"), map[string]string{"Attempt": "3"}, nil, false},
		{"orderId", metrics.D("orderId", "o-1"), nil, map[string]any{"orderId": "o-1"}, true},
		{"UserID", metrics.D("UserID", "u-1"), nil, map[string]any{"UserID": "u-1"}, true},
		{"customer_id", metrics.D("customer_id", "c-1"), nil, map[string]any{"customer_id": "c-1"}, true},
		{"id", metrics.D("ID", "x"), nil, map[string]any{"ID": "x"}, true},
		{"paymentIds", metrics.D("paymentIds", "p-1,p-2"), nil, map[string]any{"paymentIds": "p-1,p-2"}, true},
		{"Email", metrics.D("Email", "a@example.com"), nil, map[string]any{"Email": "a@example.com"}, true},
		{"sku", metrics.D("SKU", "sku-123"), nil, map[string]any{"SKU": "sku-123"}, true},
		{"raw path", metrics.D("Path", "/orders/o-1"), nil, map[string]any{"Path": "/orders/o-1"}, true},
		{"a UUID value", metrics.D("Reason", uuid), nil, map[string]any{"Reason": uuid}, true},
		{"a UUID inside a value", metrics.D("Reason", "order-"+uuid), nil, map[string]any{"Reason": "order-" + uuid}, true},
		{"an epoch timestamp", metrics.D("Reason", "at-1767225600"), nil, map[string]any{"Reason": "at-1767225600"}, true},
		{"a hash", metrics.D("Reason", "sha-9f86d081884c7d65"), nil, map[string]any{"Reason": "sha-9f86d081884c7d65"}, true},
		{"a value past the cap", metrics.D("Reason", strings.Repeat("x", metrics.MaxDimensionValueLen+1)), nil,
			map[string]any{"Reason": strings.Repeat("x", metrics.MaxDimensionValueLen+1)}, true},
		{"a value at the cap", metrics.D("Reason", strings.Repeat("x", metrics.MaxDimensionValueLen)),
			map[string]string{"Reason": strings.Repeat("x", metrics.MaxDimensionValueLen)}, nil, false},
		{"a non-ASCII value", metrics.D("Reason", "épuisé"), nil, map[string]any{"Reason": "épuisé"}, true},
		{"a control character", metrics.D("Reason", "a\nb"), nil, map[string]any{"Reason": "a\nb"}, true},
		{"a blank value", metrics.D("Reason", "   "), nil, map[string]any{"Reason": "   "}, true},
		{"an empty value is dropped", metrics.D("Reason", ""), nil, nil, true},
		{"an invalid name becomes a property", metrics.D("the reason", "x"), nil, map[string]any{"the reason": "x"}, true},
		{"Service is reserved", metrics.D("Service", "payments"), nil, nil, true},
		{"requestId is reserved", metrics.D("requestId", "r-9"), nil, nil, true},
		{"the metric's own name", metrics.D("OrderRejected", "x"), nil, nil, true},
		{"a property named _aws", metrics.P("_aws", "x"), nil, nil, true},
		{"a property named like a context id", metrics.P("correlationId", "x"), nil, nil, true},
		{"a property without a name", metrics.P("", "x"), nil, nil, true},
		{"a property is never a dimension", metrics.P("Reason", "out_of_stock"), nil, map[string]any{"Reason": "out_of_stock"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rec, p := newRecorder(t, &buf)
			rec.Count(context.Background(), "OrderRejected", tt.field)
			got, err := metricstest.Parse(buf.Bytes())
			if err != nil || len(got) != 1 {
				t.Fatalf("Parse = %v, %v; want one metric\n%s", got, err, buf.String())
			}
			wantDims := map[string]string{"Service": "orders"}
			for k, v := range tt.wantDims {
				wantDims[k] = v
			}
			if diff := cmp.Diff(wantDims, got[0].Dims); diff != "" {
				t.Errorf("dimensions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantProps, got[0].Props); diff != "" {
				t.Errorf("properties (-want +got):\n%s", diff)
			}
			errs := p.all()
			switch {
			case tt.refused && (len(errs) != 1 || !errors.Is(errs[0], metrics.ErrFieldRefused)):
				t.Errorf("problems = %v, want one ErrFieldRefused", errs)
			case !tt.refused && len(errs) != 0:
				t.Errorf("problems = %v, want none", errs)
			}
		})
	}
}

func TestDimensionSetLimit(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	rec, p := newRecorder(t, &buf)
	fields := make([]metrics.Field, 0, 35)
	for i := range 35 {
		fields = append(fields, metrics.D("Dim"+strconv.Itoa(i), "v"))
	}
	rec.Count(context.Background(), "Wide", fields...)
	got, err := metricstest.Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	sets := got[0].DimensionSets
	if len(sets) != 2 || len(sets[1]) != metrics.MaxDimensions {
		t.Errorf("dimension sets %v, want [Service] and a set of %d", sets, metrics.MaxDimensions)
	}
	if len(got[0].Props) != 35-(metrics.MaxDimensions-1) {
		t.Errorf("properties %v, want the %d dimensions past the limit", got[0].Props, 35-(metrics.MaxDimensions-1))
	}
	if n := len(p.all()); n != 35-(metrics.MaxDimensions-1) {
		t.Errorf("%d problems, want one per dimension past the limit", n)
	}
}

func TestDuplicateDimensionKeepsTheFirst(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	rec, p := newRecorder(t, &buf)
	rec.Count(context.Background(), "OrderRejected", metrics.D("Reason", "a"), metrics.D("Reason", "b"))
	got, err := metricstest.Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got[0].Dims["Reason"] != "a" || len(got[0].DimensionSets[1]) != 2 {
		t.Errorf("dimensions %v in sets %v, want Reason=a once", got[0].Dims, got[0].DimensionSets)
	}
	if errs := p.all(); len(errs) != 1 || !errors.Is(errs[0], metrics.ErrFieldRefused) {
		t.Errorf("problems = %v, want one ErrFieldRefused", errs)
	}
}
