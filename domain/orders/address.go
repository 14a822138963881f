package orders

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a shipping address, in characters.
const (
	MaxAddressNameRunes   = 100
	MaxAddressLineRunes   = 200
	MaxAddressCityRunes   = 100
	MaxAddressPostalRunes = 20
)

// Address is where an order ships. Line2 is optional.
type Address struct {
	Name       string
	Line1      string
	Line2      string
	City       string
	PostalCode string
	Country    string // ISO 3166-1 alpha-2, upper case
}

// NewAddress trims the fields of a, upper-cases the country and validates
// them: *AddressError (naming the field) or ErrInvalidCountry.
func NewAddress(a Address) (Address, error) {
	a = Address{
		Name:       strings.TrimSpace(a.Name),
		Line1:      strings.TrimSpace(a.Line1),
		Line2:      strings.TrimSpace(a.Line2),
		City:       strings.TrimSpace(a.City),
		PostalCode: strings.TrimSpace(a.PostalCode),
		Country:    strings.ToUpper(strings.TrimSpace(a.Country)),
	}
	fields := []struct {
		name     string
		value    string
		max      int
		optional bool
	}{
		{"name", a.Name, MaxAddressNameRunes, false},
		{"line1", a.Line1, MaxAddressLineRunes, false},
		{"line2", a.Line2, MaxAddressLineRunes, true},
		{"city", a.City, MaxAddressCityRunes, false},
		{"postalCode", a.PostalCode, MaxAddressPostalRunes, false},
	}
	for _, f := range fields {
		n := utf8.RuneCountInString(f.value)
		if (n == 0 && !f.optional) || n > f.max || !printable(f.value) {
			return Address{}, &AddressError{Field: f.name}
		}
	}
	if !ValidCountry(a.Country) {
		return Address{}, ErrInvalidCountry
	}
	return a, nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// countries holds the officially assigned ISO 3166-1 alpha-2 codes.
const countries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER " +
	"ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE " +
	"IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA " +
	"MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR " +
	"SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU " +
	"WF WS YE YT ZA ZM ZW"

// ValidCountry reports whether c is an assigned ISO 3166-1 alpha-2 code
// (upper case).
func ValidCountry(c string) bool {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	return strings.Contains(countries, c)
}
