package outboxwire_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/outboxwire"
)

func TestPublisherFromEnvNeedsBus(t *testing.T) {
	t.Setenv("EVENT_BUS_NAME", "")
	_, err := outboxwire.PublisherFromEnv(context.Background(), logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "EVENT_BUS_NAME") {
		t.Errorf("PublisherFromEnv: %v, want one naming EVENT_BUS_NAME", err)
	}
}
