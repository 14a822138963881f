package notifications

import (
	"fmt"

	"github.com/goshop-dev/goshop/domain/money"
)

// FormatMoney writes m in major units with its currency code: "12.99 USD",
// "1200 JPY", "1.500 KWD", using the currency's ISO 4217 minor unit.
func FormatMoney(m money.Money) string {
	digits := minorDigits(m.Currency())
	amount := m.Amount()
	if digits == 0 {
		return fmt.Sprintf("%d %s", amount, m.Currency())
	}
	unit := int64(1)
	for range digits {
		unit *= 10
	}
	return fmt.Sprintf("%d.%0*d %s", amount/unit, digits, amount%unit, m.Currency())
}

// minorDigits is the ISO 4217 minor unit of currency: 2 unless listed.
func minorDigits(currency string) int {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}
