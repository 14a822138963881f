// Package money is the shared kernel for prices: an amount in integer minor
// units (cents for USD) and an ISO 4217 currency code. Floating point never
// touches money.
package money

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalid is returned for a negative amount or a malformed currency.
var ErrInvalid = errors.New("invalid money")

// ErrCurrencyMismatch is returned when amounts in different currencies meet.
var ErrCurrencyMismatch = errors.New("currency mismatch")

// Money is an immutable non-negative amount of one currency.
type Money struct {
	amount   int64
	currency string
}

// New returns amount minor units of currency, a three-letter upper-case
// ISO 4217 code.
func New(amount int64, currency string) (Money, error) {
	if amount < 0 {
		return Money{}, fmt.Errorf("%w: amount %d is negative", ErrInvalid, amount)
	}
	if !validCurrency(currency) {
		return Money{}, fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrInvalid, currency)
	}
	return Money{amount: amount, currency: currency}, nil
}

// Amount is the value in minor units.
func (m Money) Amount() int64 { return m.amount }

// Currency is the ISO 4217 code.
func (m Money) Currency() string { return m.currency }

// IsZero reports whether m is the zero value (no currency).
func (m Money) IsZero() bool { return m.currency == "" }

// Times returns m multiplied by n (n >= 0), refusing overflow.
func (m Money) Times(n int) (Money, error) {
	if n < 0 {
		return Money{}, fmt.Errorf("%w: multiplier %d is negative", ErrInvalid, n)
	}
	if n != 0 && m.amount > math.MaxInt64/int64(n) {
		return Money{}, fmt.Errorf("%w: %d x %d overflows", ErrInvalid, m.amount, n)
	}
	return Money{amount: m.amount * int64(n), currency: m.currency}, nil
}

// Add returns m + o; both must share a currency.
func (m Money) Add(o Money) (Money, error) {
	if m.currency != o.currency {
		return Money{}, fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, m.currency, o.currency)
	}
	if m.amount > math.MaxInt64-o.amount {
		return Money{}, fmt.Errorf("%w: sum overflows", ErrInvalid)
	}
	return Money{amount: m.amount + o.amount, currency: m.currency}, nil
}

func (m Money) String() string { return fmt.Sprintf("%d %s", m.amount, m.currency) }

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}
