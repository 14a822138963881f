package dashboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// MaxOrderLines bounds the distinct products of an order the dashboard
// takes: the sales of one order are written in one transaction.
const MaxOrderLines = 40

// CreatedOrder is what OrderCreated tells the dashboard.
type CreatedOrder struct {
	ID        string
	UserID    string
	Lines     []Line
	Total     money.Money
	CreatedAt time.Time
}

// RecordProfile applies UserRegistered or UserUpdated: p replaces the
// replica unless the replica comes from a newer event. Late, repeated and
// out-of-order events change nothing and are not errors. An invalid p is
// ErrInvalidEvent.
func (s *Service) RecordProfile(ctx context.Context, p Profile) error {
	p, err := normalizeProfile(p)
	if err != nil {
		return fmt.Errorf("record profile: %w", err)
	}
	err = s.repo.PutProfile(ctx, p)
	if err != nil && !errors.Is(err, ErrDuplicateEvent) {
		return fmt.Errorf("record profile of %s: %w", p.UserID, err)
	}
	return nil
}

// RecordOrderCreated applies OrderCreated e: the order's lines (merged by
// product), total and creation time, status PENDING unless a newer status
// arrived first. If the order's OrderConfirmed arrived first, its sales
// are counted now.
func (s *Service) RecordOrderCreated(ctx context.Context, e Event, o CreatedOrder) error {
	if err := validEvent(e, o.UserID, o.ID); err != nil {
		return fmt.Errorf("record order created: %w", err)
	}
	lines, err := mergeLines(o.Lines)
	if err != nil {
		return fmt.Errorf("record order %s created: %w", o.ID, err)
	}
	if o.Total.IsZero() || o.CreatedAt.IsZero() {
		return fmt.Errorf("record order %s created: %w: no total or creation time", o.ID, ErrInvalidEvent)
	}
	return s.applyOrder(ctx, e, OrderKey{UserID: o.UserID, OrderID: o.ID}, func(ord *Order) {
		ord.created(lines, o.Total, o.CreatedAt, e.OccurredAt)
	})
}

// RecordOrderStatus applies OrderConfirmed, OrderCancelled or OrderShipped
// e: the status replaces the one held if e is newer. The first
// OrderConfirmed of a known order adds its lines to the sales counts of
// each product, in the product's catalog category and overall; if the
// order is not known yet, its OrderCreated counts them when it arrives.
func (s *Service) RecordOrderStatus(ctx context.Context, e Event, key OrderKey, status Status) error {
	if err := validEvent(e, key.UserID, key.OrderID); err != nil {
		return fmt.Errorf("record order status: %w", err)
	}
	if status != StatusConfirmed && status != StatusCancelled && status != StatusShipped {
		return fmt.Errorf("record order %s status: %w: status %q", key.OrderID, ErrInvalidEvent, status)
	}
	return s.applyOrder(ctx, e, key, func(o *Order) { o.changeStatus(status, e.OccurredAt) })
}

// applyOrder updates the order with apply and counts the sales it
// releases. The catalog is asked once, however often the update retries.
func (s *Service) applyOrder(ctx context.Context, e Event, key OrderKey, apply func(*Order)) error {
	var products map[string]CatalogProduct
	err := s.repo.UpdateOrder(ctx, e, key, func(o *Order) ([]ProductSales, error) {
		apply(o)
		lines := o.takeSales()
		if len(lines) == 0 {
			return nil, nil
		}
		if products == nil {
			found, err := s.lookup(ctx, lines)
			if err != nil {
				return nil, err
			}
			products = found
		}
		return salesOf(lines, products), nil
	})
	if err != nil && !errors.Is(err, ErrDuplicateEvent) {
		return fmt.Errorf("record event %s of order %s: %w", e.ID, key.OrderID, err)
	}
	return nil
}

func (s *Service) lookup(ctx context.Context, lines []Line) (map[string]CatalogProduct, error) {
	if s.catalog == nil {
		return nil, errors.New("look up products: no catalog")
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	found, err := s.catalog.Products(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("look up products: %w", err)
	}
	products := make(map[string]CatalogProduct, len(found))
	for _, p := range found {
		products[p.ID] = p
	}
	return products, nil
}

// salesOf returns the units of each line under its product's catalog
// category and current name; a product the catalog no longer knows keeps
// its name at checkout and counts only in AllCategories.
func salesOf(lines []Line, products map[string]CatalogProduct) []ProductSales {
	sales := make([]ProductSales, 0, len(lines))
	for _, l := range lines {
		sale := ProductSales{ProductID: l.ProductID, Name: l.Name, Units: int64(l.Quantity)}
		if p, ok := products[l.ProductID]; ok {
			sale.Category = p.Category
			if p.Name != "" {
				sale.Name = p.Name
			}
		}
		sales = append(sales, sale)
	}
	return sales
}

func validEvent(e Event, userID, orderID string) error {
	switch {
	case e.ID == "" || e.OccurredAt.IsZero():
		return fmt.Errorf("%w: event without id or time", ErrInvalidEvent)
	case !ValidID(userID):
		return fmt.Errorf("%w: user %q", ErrInvalidEvent, userID)
	case !ValidID(orderID):
		return fmt.Errorf("%w: order %q", ErrInvalidEvent, orderID)
	}
	return nil
}

// mergeLines merges lines naming the same product, keeping the first
// order, and checks ids and quantities.
func mergeLines(lines []Line) ([]Line, error) {
	if len(lines) == 0 {
		return nil, fmt.Errorf("%w: no lines", ErrInvalidEvent)
	}
	merged := make([]Line, 0, len(lines))
	index := make(map[string]int, len(lines))
	for _, l := range lines {
		if !ValidID(l.ProductID) || l.Quantity < 1 {
			return nil, fmt.Errorf("%w: line %q of quantity %d", ErrInvalidEvent, l.ProductID, l.Quantity)
		}
		if i, ok := index[l.ProductID]; ok {
			merged[i].Quantity += l.Quantity
			continue
		}
		index[l.ProductID] = len(merged)
		merged = append(merged, l)
	}
	if len(merged) > MaxOrderLines {
		return nil, fmt.Errorf("%w: %d products, at most %d", ErrInvalidEvent, len(merged), MaxOrderLines)
	}
	return merged, nil
}
