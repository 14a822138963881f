package users

import (
	"fmt"
	"slices"
	"strings"
)

// Limits of the preferences.
const (
	MaxCategories     = 20
	MaxCategoryLength = 50
)

// Notifications says on which channels the user wants to hear from the shop.
type Notifications struct {
	Email bool
	SMS   bool
	Push  bool
}

// Preferences are a user's shopping and notification preferences. The zero
// value has none set.
type Preferences struct {
	currency      string
	categories    []string
	notifications Notifications
	phone         string
}

// DefaultPreferences are those of a new account: email notifications only,
// nothing else set.
func DefaultPreferences() Preferences {
	return Preferences{notifications: Notifications{Email: true}}
}

// RehydratePreferences rebuilds stored preferences without validating them.
// Only repository adapters call it.
func RehydratePreferences(currency string, categories []string, n Notifications, phone string) Preferences {
	p := Preferences{currency: currency, notifications: n, phone: phone}
	if len(categories) > 0 {
		p.categories = slices.Clone(categories)
	}
	return p
}

// Currency is the preferred ISO 4217 currency, or "" when unset.
func (p Preferences) Currency() string { return p.currency }

// Categories are the catalog category slugs the user is interested in, in
// the order given; the recommendations use them.
func (p Preferences) Categories() []string { return slices.Clone(p.categories) }

// Notifications are the channels the user accepts.
func (p Preferences) Notifications() Notifications { return p.notifications }

// Phone is the E.164 phone number, or "" when unset.
func (p Preferences) Phone() string { return p.phone }

// PreferencesChange is a partial change of Preferences: a nil field is left
// as it is. An empty Currency or Phone, or an empty Categories list, clears
// that preference.
type PreferencesChange struct {
	Currency      *string
	Categories    *[]string
	Notifications *Notifications
	Phone         *string
}

// IsEmpty reports whether c sets nothing.
func (c PreferencesChange) IsEmpty() bool {
	return c.Currency == nil && c.Categories == nil && c.Notifications == nil && c.Phone == nil
}

// apply returns p changed by c, or the first rule c breaks. It never
// modifies p's slices: Users share them between copies.
func (p Preferences) apply(c PreferencesChange) (Preferences, error) {
	if c.Currency != nil {
		cur, err := normalizeCurrency(*c.Currency)
		if err != nil {
			return Preferences{}, err
		}
		p.currency = cur
	}
	if c.Categories != nil {
		cats, err := normalizeCategories(*c.Categories)
		if err != nil {
			return Preferences{}, err
		}
		p.categories = cats
	}
	if c.Notifications != nil {
		p.notifications = *c.Notifications
	}
	if c.Phone != nil {
		phone, err := normalizePhone(*c.Phone)
		if err != nil {
			return Preferences{}, err
		}
		p.phone = phone
	}
	return p, nil
}

func normalizeCurrency(raw string) (string, error) {
	cur := strings.ToUpper(strings.TrimSpace(raw))
	if cur == "" {
		return "", nil
	}
	if !isCurrency(cur) {
		return "", invalid(ErrInvalidCurrency, "currency must be the ISO 4217 code of a circulating currency, such as USD")
	}
	return cur, nil
}

func normalizeCategories(raw []string) ([]string, error) {
	var out []string
	for _, c := range raw {
		if !isSlug(c) {
			return nil, invalid(ErrInvalidCategories, fmt.Sprintf("category %q must be 1 to %d of a-z, 0-9 and '-'", truncate(c, MaxCategoryLength), MaxCategoryLength))
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) > MaxCategories {
		return nil, invalid(ErrInvalidCategories, fmt.Sprintf("at most %d categories", MaxCategories))
	}
	return out, nil
}

func isSlug(s string) bool {
	if s == "" || len(s) > MaxCategoryLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// normalizePhone accepts E.164: '+', a country code not starting with 0, and
// at most 15 digits in all. Spaces are not accepted: clients send the
// canonical form.
func normalizePhone(raw string) (string, error) {
	phone := strings.TrimSpace(raw)
	if phone == "" {
		return "", nil
	}
	if !isE164(phone) {
		return "", invalid(ErrInvalidPhone, "phone must be in E.164 form, such as +15551234567")
	}
	return phone, nil
}

func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncate shortens s for an error message, so a huge input is not echoed.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
