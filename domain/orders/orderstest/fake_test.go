package orderstest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	orderstest.RunRepositoryContract(t, func(*testing.T) orders.Repository {
		return orderstest.NewRepository()
	})
}
