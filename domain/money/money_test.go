package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/goshop-dev/goshop/domain/money"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		amount   int64
		currency string
		wantErr  bool
	}{
		{"valid", 1999, "USD", false},
		{"zero", 0, "EUR", false},
		{"negative", -1, "USD", true},
		{"lower case", 1, "usd", true},
		{"short", 1, "US", true},
		{"empty", 1, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := money.New(tt.amount, tt.currency)
			if tt.wantErr {
				if !errors.Is(err, money.ErrInvalid) {
					t.Fatalf("New(%d, %q) error = %v, want ErrInvalid", tt.amount, tt.currency, err)
				}
				return
			}
			if err != nil || m.Amount() != tt.amount || m.Currency() != tt.currency {
				t.Fatalf("New(%d, %q) = %v, %v", tt.amount, tt.currency, m, err)
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	t.Parallel()
	a, _ := money.New(250, "USD")
	b, _ := money.New(100, "USD")
	e, _ := money.New(100, "EUR")
	sum, err := a.Add(b)
	if err != nil || sum.Amount() != 350 {
		t.Fatalf("Add = %v, %v; want 350 USD", sum, err)
	}
	if _, err := a.Add(e); !errors.Is(err, money.ErrCurrencyMismatch) {
		t.Fatalf("Add across currencies error = %v, want ErrCurrencyMismatch", err)
	}
	tripled, err := a.Times(3)
	if err != nil || tripled.Amount() != 750 {
		t.Fatalf("Times(3) = %v, %v; want 750 USD", tripled, err)
	}
	big, _ := money.New(math.MaxInt64/2+1, "USD")
	if _, err := big.Times(2); !errors.Is(err, money.ErrInvalid) {
		t.Fatalf("overflowing Times error = %v, want ErrInvalid", err)
	}
	if _, err := big.Add(big); !errors.Is(err, money.ErrInvalid) {
		t.Fatalf("overflowing Add error = %v, want ErrInvalid", err)
	}
}
