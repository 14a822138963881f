// Command bench measures a running goshop stack (started with `make run`)
// and prints the figures the README reports:
//
//   - the overhead of the local runtime on one request: GET /openapi.json
//     through API Gateway, the Lambda runtime and back, against the same
//     handler called in process;
//   - checkout latency: from POST /checkout to the order reading CONFIRMED.
//
// It sends its requests one at a time to the loopback address it is given,
// a bounded number of times, and stops by itself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/internal/apiclient"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/logging"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	base := flags.String("api", "http://127.0.0.1:3000/dev", "base URL of a running stack (loopback only)")
	requests := flags.Int("requests", 500, "requests per overhead measurement")
	checkouts := flags.Int("checkouts", 30, "checkouts to time")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if !strings.HasPrefix(*base, "http://127.0.0.1:") && !strings.HasPrefix(*base, "http://localhost:") {
		return errors.New("bench only targets a stack on this machine (http://127.0.0.1:PORT)")
	}
	c := &client{apiclient.New(*base)}

	// Warm the function once, so the figures are of warm requests.
	if _, _, err := c.call(ctx, "GET", "/openapi.json", "", nil, nil); err != nil {
		return err
	}
	viaStack, err := measure(*requests, func() error {
		status, _, err := c.call(ctx, "GET", "/openapi.json", "", nil, nil)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("status %d", status)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("through the stack: %w", err)
	}
	handler := httpapi.Middleware(logging.Discard(), nil, api.Handler())
	inProcess, err := measure(*requests, func() error {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
		if rec.Code != http.StatusOK {
			return fmt.Errorf("status %d", rec.Code)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("in process: %w", err)
	}
	fmt.Printf("GET /openapi.json, %d requests each\n", *requests)
	fmt.Printf("  through API Gateway + Lambda runtime: p50 %s  p99 %s\n", viaStack.p(50), viaStack.p(99))
	fmt.Printf("  same handler in process:              p50 %s  p99 %s\n", inProcess.p(50), inProcess.p(99))
	fmt.Printf("  overhead:                             p50 %s  p99 %s\n", viaStack.p(50)-inProcess.p(50), viaStack.p(99)-inProcess.p(99))

	lat, err := c.checkoutLatency(ctx, *checkouts)
	if err != nil {
		return fmt.Errorf("checkout: %w", err)
	}
	fmt.Printf("POST /checkout to CONFIRMED, %d checkouts: p50 %s  p99 %s  max %s\n", *checkouts, lat.p(50), lat.p(99), lat.p(100))
	return nil
}

type samples []time.Duration

func measure(n int, op func() error) (samples, error) {
	out := make(samples, 0, n)
	for range n {
		start := time.Now()
		if err := op(); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	slices.Sort(out)
	return out, nil
}

// p returns the q-th percentile (nearest rank) of sorted samples.
func (s samples) p(q int) time.Duration {
	if len(s) == 0 {
		return 0
	}
	i := (q*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))].Round(10 * time.Microsecond)
}

// checkoutLatency registers a buyer and times n checkouts of one unit of a
// sample product, each until its order reads CONFIRMED.
func (c *client) checkoutLatency(ctx context.Context, n int) (samples, error) {
	email := "bench-" + uuid.NewString()[:8] + "@example.com"
	if status, body, err := c.call(ctx, "POST", "/users/register", "", map[string]string{"email": email, "password": "bench-password", "name": "Bench"}, nil); err != nil || status != http.StatusCreated {
		return nil, fmt.Errorf("register: %d %s %v", status, body, err)
	}
	var login struct{ Token string }
	if _, body, err := c.call(ctx, "POST", "/users/login", "", map[string]string{"email": email, "password": "bench-password"}, nil); err != nil || json.Unmarshal(body, &login) != nil || login.Token == "" {
		return nil, fmt.Errorf("login: %s %v", body, err)
	}
	var found struct {
		Items []struct{ ID string } `json:"items"`
	}
	if _, body, err := c.call(ctx, "GET", "/products/search?q=d", "", nil, nil); err != nil || json.Unmarshal(body, &found) != nil || len(found.Items) == 0 {
		return nil, fmt.Errorf("no sample product found (was the stack seeded?): %s %v", body, err)
	}
	product := found.Items[0].ID
	return measure(n, func() error {
		start := time.Now()
		order := map[string]any{
			"items":        []map[string]any{{"productId": product, "quantity": 1}},
			"paymentToken": "tok_visa",
			"shippingAddress": map[string]string{
				"name": "Bench", "line1": "1 Loop Road", "city": "Cambridge", "postalCode": "CB1 1AA", "country": "GB",
			},
		}
		status, body, err := c.call(ctx, "POST", "/checkout", login.Token, order, map[string]string{"Idempotency-Key": uuid.NewString()})
		if err != nil || status != http.StatusAccepted {
			return fmt.Errorf("checkout: %d %s %v", status, body, err)
		}
		var placed struct{ OrderID string }
		if err := json.Unmarshal(body, &placed); err != nil {
			return err
		}
		for time.Since(start) < 30*time.Second {
			_, body, err := c.call(ctx, "GET", "/orders/"+placed.OrderID, login.Token, nil, nil)
			if err != nil {
				return err
			}
			var o struct{ Status, FailureReason string }
			if err := json.Unmarshal(body, &o); err != nil {
				return err
			}
			switch o.Status {
			case "CONFIRMED":
				return nil
			case "CANCELLED":
				return fmt.Errorf("order %s cancelled: %s", placed.OrderID, o.FailureReason)
			}
			time.Sleep(10 * time.Millisecond)
		}
		return fmt.Errorf("order %s not confirmed within 30 s", placed.OrderID)
	})
}

type client struct{ *apiclient.Client }

func (c *client) call(ctx context.Context, method, path, token string, body any, headers map[string]string) (int, []byte, error) {
	return c.Call(ctx, method, path, token, body, headers)
}
