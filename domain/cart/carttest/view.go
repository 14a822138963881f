package carttest

import (
	"time"

	"github.com/goshop-dev/goshop/domain/cart"
)

// CartView is a cart as plain exported fields, for cmp.Diff.
type CartView struct {
	UserID string
	Items  []ItemView
	Saved  []SavedView
}

// ItemView is an active item as plain fields.
type ItemView struct {
	ProductID string
	Name      string
	Amount    int64
	Currency  string
	Quantity  int
	AddedAt   time.Time
	UpdatedAt time.Time
}

// SavedView is a saved item as plain fields.
type SavedView struct {
	ProductID string
	Name      string
	Amount    int64
	Currency  string
	SavedAt   time.Time
}

// View returns c as a CartView; its lists are never nil.
func View(c *cart.Cart) CartView {
	v := CartView{UserID: c.UserID(), Items: []ItemView{}, Saved: []SavedView{}}
	for _, it := range c.Items() {
		v.Items = append(v.Items, ItemView{
			ProductID: it.ProductID(), Name: it.Name(),
			Amount: it.UnitPrice().Amount(), Currency: it.UnitPrice().Currency(),
			Quantity: it.Quantity(), AddedAt: it.AddedAt(), UpdatedAt: it.UpdatedAt(),
		})
	}
	for _, s := range c.Saved() {
		v.Saved = append(v.Saved, SavedView{
			ProductID: s.ProductID(), Name: s.Name(),
			Amount: s.UnitPrice().Amount(), Currency: s.UnitPrice().Currency(),
			SavedAt: s.SavedAt(),
		})
	}
	return v
}
