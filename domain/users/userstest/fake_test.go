package userstest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/userstest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	userstest.RunRepositoryContract(t, func(*testing.T) users.Repository { return userstest.NewRepository() })
}
