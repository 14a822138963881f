package carttest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	carttest.RunRepositoryContract(t, func(*testing.T) cart.Repository { return carttest.NewRepository() })
}
