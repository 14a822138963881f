package paymentswire_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/wire/paymentswire"
)

func TestServiceFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		table   string
		timeout string
		wantErr string
	}{
		{"no table", "", "", "PAYMENTS_TABLE"},
		{"bad timeout", "payments", "soon", "PAYMENT_GATEWAY_TIMEOUT"},
		{"ok", "payments", "3s", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PAYMENTS_TABLE", tt.table)
			t.Setenv("PAYMENT_GATEWAY_TIMEOUT", tt.timeout)
			t.Setenv("AWS_REGION", "us-east-1")
			svc, err := paymentswire.ServiceFromEnv(context.Background())
			if tt.wantErr == "" {
				if err != nil || svc == nil {
					t.Errorf("ServiceFromEnv = %v, %v; want a service", svc, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one naming %s", err, tt.wantErr)
			}
		})
	}
}
