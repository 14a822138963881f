package dashboardtest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	dashboardtest.RunRepositoryContract(t, func(*testing.T) dashboard.Repository {
		return dashboardtest.NewRepository()
	})
}
