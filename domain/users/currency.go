package users

import "strings"

// circulating lists the ISO 4217 codes of circulating currencies (the list
// as of 2025, with XCG and ZWG). Fund codes (such as BOV, USN), precious metals,
// special drawing rights and testing codes are left out: nobody prices
// goods in them.
const circulating = "" +
	"AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB " +
	"BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK " +
	"DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL " +
	"HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
	"KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR " +
	"MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG " +
	"QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC " +
	"SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND " +
	"VED VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"

// isCurrency reports whether code (upper case) is a circulating currency.
func isCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, c := range strings.Fields(circulating) {
		if c == code {
			return true
		}
	}
	return false
}
