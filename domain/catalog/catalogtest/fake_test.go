package catalogtest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	catalogtest.RunRepositoryContract(t, func(*testing.T) catalog.Repository {
		return catalogtest.NewRepository()
	})
}
