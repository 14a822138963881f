package notificationstest_test

import (
	"testing"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	notificationstest.RunRepositoryContract(t, func(*testing.T) notifications.Repository {
		return notificationstest.NewRepository()
	})
}
