// Package catalogtask serves the catalog's steps of the checkout saga:
// ReserveInventory and its compensation ReleaseInventory, as Lambda
// handlers with the JSON shapes the state machine passes (see
// internal/sagatask for the error contract).
package catalogtask

import (
	"context"
	"errors"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

// Line is a product and quantity of the order.
type Line struct {
	ProductID string `json:"productId"`
	Quantity  int    `json:"quantity"`
}

// ReserveInput is the ReserveInventory task's payload.
type ReserveInput struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
	Lines         []Line `json:"lines"`
}

// ReleaseInput is the ReleaseInventory task's payload.
type ReleaseInput struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
}

// Output is what both tasks return: the reservation's state afterwards.
type Output struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
	Lines   []Line `json:"lines"`
}

// Option configures a task handler.
type Option func(*options)

type options struct {
	rec *metrics.Recorder
}

// WithRecorder makes the handler record its metrics into rec.
func WithRecorder(rec *metrics.Recorder) Option {
	return func(o *options) { o.rec = rec }
}

// Reserve returns the ReserveInventory handler. Not enough stock, an
// unknown product, invalid lines, or an order whose reservation was
// already released are OutOfStock: retrying cannot change them.
//
// Given WithRecorder, each of them is counted as
// InventoryReservationFailed with its Reason, except not enough stock:
// that rejection is recorded in the table, and counted where it is written
// (catalogwire.MeteredRepository) so that a replay reading it counts
// nothing. The others are not recorded; the state machine never retries a
// business error, so each is counted once per saga unless an invocation's
// answer is lost. Transient failures are not counted: the state machine
// retries them, and a checkout that gives up is counted as OrderCancelled
// with Reason reservation_failed.
func Reserve(svc *catalog.Service, opts ...Option) func(context.Context, ReserveInput) (Output, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	rec := o.rec
	return func(ctx context.Context, in ReserveInput) (Output, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		lines := make([]catalog.Line, len(in.Lines))
		for i, l := range in.Lines {
			lines[i] = catalog.Line{ProductID: l.ProductID, Quantity: l.Quantity}
		}
		r, err := svc.Reserve(ctx, in.OrderID, lines)
		if err == nil {
			return output(r), nil
		}
		reason, business := rejection(err)
		if !business {
			return Output{}, sagatask.Transient(err)
		}
		if reason != metrics.ReservationOutOfStock {
			rec.Count(ctx, metrics.InventoryReservationFailed, metrics.D(metrics.DimensionReason, reason), metrics.P("orderId", in.OrderID))
		}
		return Output{}, sagatask.Business(sagatask.ErrOutOfStock, "order %s: %v", in.OrderID, err)
	}
}

// rejection returns the InventoryReservationFailed reason of a Reserve
// error that retrying cannot change, and false for any other error.
func rejection(err error) (string, bool) {
	var short *catalog.InsufficientStockError
	var missing *catalog.ProductNotFoundError
	switch {
	case errors.As(err, &short):
		return metrics.ReservationOutOfStock, true
	case errors.As(err, &missing):
		return metrics.ReservationUnknownProduct, true
	case errors.Is(err, catalog.ErrReservationReleased):
		return metrics.ReservationReleased, true
	case errors.Is(err, catalog.ErrInvalidLines), errors.Is(err, catalog.ErrInvalidQuantity),
		errors.Is(err, catalog.ErrInvalidProductID), errors.Is(err, catalog.ErrInvalidOrderID):
		return metrics.ReservationInvalid, true
	}
	return "", false
}

// Release returns the ReleaseInventory handler. Releasing is idempotent;
// every failure is worth retrying.
func Release(svc *catalog.Service) func(context.Context, ReleaseInput) (Output, error) {
	return func(ctx context.Context, in ReleaseInput) (Output, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		r, err := svc.Release(ctx, in.OrderID)
		if err != nil {
			return Output{}, sagatask.Transient(err)
		}
		return output(r), nil
	}
}

func output(r catalog.Reservation) Output {
	out := Output{OrderID: r.OrderID(), Status: string(r.Status()), Lines: []Line{}}
	for _, l := range r.Lines() {
		out.Lines = append(out.Lines, Line{ProductID: l.ProductID, Quantity: l.Quantity})
	}
	return out
}
