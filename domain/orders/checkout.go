package orders

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
)

// Limits of a checkout request.
const (
	// MaxIdempotencyKeyLen bounds an Idempotency-Key, in bytes.
	MaxIdempotencyKeyLen = 64
	// MaxPaymentTokenLen bounds a payment token, in bytes.
	MaxPaymentTokenLen = 255
)

// CheckoutRequest is a user's checkout: the products and units wanted
// (priced by the catalog), the payment token handed to the saga, and the
// shipping address, under the user's Idempotency-Key.
type CheckoutRequest struct {
	UserID         string
	IdempotencyKey string
	Items          []Item
	PaymentToken   string
	Shipping       Address
}

// CheckoutResult is the order a checkout created, or created earlier when
// Replayed (same key, same request).
type CheckoutResult struct {
	Order    Order
	Replayed bool
}

// Checkout places an order: it validates the request, prices its items
// from the catalog, records the PENDING order with the idempotency record
// and the OrderCreated event in one write, then starts the checkout saga.
//
// It is idempotent per (user, key): the same request again returns the
// order created first (Replayed) and, while the order is PENDING, starts
// its saga again (a no-op when it runs already), which heals a crash
// between the write and the start. The same key with another request is
// ErrIdempotencyKeyReused. Concurrent identical requests create one order.
//
// Errors: ErrInvalidIdempotencyKey, ErrInvalidID, ErrInvalidLines,
// ErrInvalidProductID, ErrInvalidQuantity, ErrInvalidPaymentToken,
// *AddressError, ErrInvalidCountry, *UnknownProductError,
// ErrMixedCurrencies, ErrIdempotencyKeyReused, ErrConflict, and
// ErrSagaNotStarted (with the result: the order is recorded).
func (s *Service) Checkout(ctx context.Context, req CheckoutRequest) (CheckoutResult, error) {
	if !validIdempotencyKey(req.IdempotencyKey) {
		return CheckoutResult{}, ErrInvalidIdempotencyKey
	}
	if !ValidID(req.UserID) {
		return CheckoutResult{}, fmt.Errorf("%w: user %q", ErrInvalidID, req.UserID)
	}
	items, err := mergeItems(req.Items)
	if err != nil {
		return CheckoutResult{}, err
	}
	if n := len(req.PaymentToken); n == 0 || n > MaxPaymentTokenLen || !printable(req.PaymentToken) || strings.TrimSpace(req.PaymentToken) != req.PaymentToken {
		return CheckoutResult{}, ErrInvalidPaymentToken
	}
	addr, err := NewAddress(req.Shipping)
	if err != nil {
		return CheckoutResult{}, err
	}
	req.Items, req.Shipping = items, addr
	requestHash := hashRequest(req)

	var (
		res   CheckoutResult
		lines []Line
	)
	err = s.retry.Do(ctx, ErrConflict, func() error {
		idem, err := s.repo.Idempotency(ctx, req.UserID, req.IdempotencyKey)
		switch {
		case err == nil:
			res, err = s.replay(ctx, idem, requestHash)
			return err
		case !errors.Is(err, ErrIdempotencyNotFound):
			return err
		}
		if lines == nil {
			if lines, err = s.price(ctx, items); err != nil {
				return err
			}
		}
		res, err = s.create(ctx, req, lines, requestHash)
		if errors.Is(err, ErrIdempotencyKeyExists) {
			// A concurrent request with the key won: the next try reads it.
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return err
	})
	if err != nil {
		return CheckoutResult{}, fmt.Errorf("checkout for %s: %w", req.UserID, err)
	}
	if res.Order.Status() != StatusPending {
		return res, nil
	}
	if err := s.startSaga(ctx, res.Order, req.PaymentToken); err != nil {
		return res, err
	}
	return res, nil
}

func (s *Service) replay(ctx context.Context, idem Idempotency, requestHash string) (CheckoutResult, error) {
	if idem.RequestHash != requestHash {
		return CheckoutResult{}, ErrIdempotencyKeyReused
	}
	o, err := s.repo.Get(ctx, idem.OrderID)
	if err != nil {
		return CheckoutResult{}, fmt.Errorf("order %s of idempotency key: %w", idem.OrderID, err)
	}
	return CheckoutResult{Order: o, Replayed: true}, nil
}

func (s *Service) create(ctx context.Context, req CheckoutRequest, lines []Line, requestHash string) (CheckoutResult, error) {
	names, err := s.repo.UserNames(ctx, []string{req.UserID})
	if err != nil {
		return CheckoutResult{}, err
	}
	now := s.now()
	o, err := NewOrder(s.newID(), NewOrderParams{
		UserID: req.UserID, UserName: names[req.UserID], Lines: lines, Shipping: req.Shipping,
	}, now)
	if err != nil {
		return CheckoutResult{}, err
	}
	idem := Idempotency{
		UserID: req.UserID, Key: req.IdempotencyKey, RequestHash: requestHash, OrderID: o.ID(), CreatedAt: o.CreatedAt(),
	}
	if err := s.repo.Create(ctx, o, idem); err != nil {
		return CheckoutResult{}, err
	}
	return CheckoutResult{Order: o}, nil
}

// price returns the lines of items with the catalog's names and prices.
func (s *Service) price(ctx context.Context, items []Item) ([]Line, error) {
	if s.catalog == nil {
		return nil, errors.New("no catalog configured")
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ProductID
	}
	products, err := s.catalog.Lookup(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("%w: catalog lookup: %w", ErrCatalogUnavailable, err)
	}
	byID := make(map[string]CatalogProduct, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	lines := make([]Line, len(items))
	for i, it := range items {
		p, ok := byID[it.ProductID]
		if !ok {
			return nil, &UnknownProductError{ProductID: it.ProductID}
		}
		if p.Price.Currency() != byID[items[0].ProductID].Price.Currency() {
			return nil, fmt.Errorf("%w: %s and %s", ErrMixedCurrencies, byID[items[0].ProductID].Price.Currency(), p.Price.Currency())
		}
		lines[i] = Line{ProductID: it.ProductID, Name: p.Name, Quantity: it.Quantity, UnitPrice: p.Price}
	}
	return lines, nil
}

func (s *Service) startSaga(ctx context.Context, o Order, token string) error {
	if s.saga == nil {
		return fmt.Errorf("%w: no saga starter configured", ErrSagaNotStarted)
	}
	in := SagaInput{OrderID: o.ID(), UserID: o.UserID(), Total: o.Total(), PaymentToken: token}
	for _, l := range o.Lines() {
		in.Lines = append(in.Lines, SagaLine{ProductID: l.ProductID, Quantity: l.Quantity})
	}
	if err := s.saga.Start(ctx, in); err != nil {
		return fmt.Errorf("%w: order %s: %w", ErrSagaNotStarted, o.ID(), err)
	}
	return nil
}

// mergeItems validates items and merges those naming the same product into
// the first of them.
func mergeItems(items []Item) ([]Item, error) {
	if len(items) == 0 || len(items) > MaxLines {
		return nil, fmt.Errorf("%w: %d items, want 1 to %d", ErrInvalidLines, len(items), MaxLines)
	}
	merged := make([]Item, 0, len(items))
	index := make(map[string]int, len(items))
	for _, it := range items {
		if !ValidID(it.ProductID) {
			return nil, fmt.Errorf("%w: %q", ErrInvalidProductID, it.ProductID)
		}
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			return nil, fmt.Errorf("%w: %d units of %s, want 1 to %d", ErrInvalidQuantity, it.Quantity, it.ProductID, MaxQuantity)
		}
		i, seen := index[it.ProductID]
		if !seen {
			index[it.ProductID] = len(merged)
			merged = append(merged, it)
			continue
		}
		merged[i].Quantity += it.Quantity
		if merged[i].Quantity > MaxQuantity {
			return nil, fmt.Errorf("%w: %d units of %s in all, want at most %d", ErrInvalidQuantity, merged[i].Quantity, it.ProductID, MaxQuantity)
		}
	}
	return merged, nil
}

func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > MaxIdempotencyKeyLen {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// hashRequest is the SHA-256 (hex) of the canonical form of a validated
// request: its merged items sorted by product id, the payment token and the
// normalized address, each field length-prefixed so no two requests share
// an encoding. The user and key are not part of it: they address the
// record.
func hashRequest(req CheckoutRequest) string {
	h := sha256.New()
	items := slices.Clone(req.Items)
	slices.SortFunc(items, func(a, b Item) int { return strings.Compare(a.ProductID, b.ProductID) })
	field(h, "v1")
	field(h, strconv.Itoa(len(items)))
	for _, it := range items {
		field(h, it.ProductID)
		field(h, strconv.Itoa(it.Quantity))
	}
	field(h, req.PaymentToken)
	a := req.Shipping
	for _, v := range []string{a.Name, a.Line1, a.Line2, a.City, a.PostalCode, a.Country} {
		field(h, v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func field(h hash.Hash, v string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(v)))
	h.Write(n[:])
	h.Write([]byte(v))
}
