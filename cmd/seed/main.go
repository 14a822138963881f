// Command seed prepares a running goshop API for trying it out: it waits
// until the API answers, registers the admin account (ADMIN_EMAIL,
// ADMIN_PASSWORD), logs in, and creates the sample catalog through the
// admin routes. Accounts and products that exist already are left as they
// are, so it can run again. `make run` starts it beside devstack.
//
// The admin role comes from the stack's admin list (the adminEmails
// context at synthesis), never from this command.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/goshop-dev/goshop/internal/apiclient"
	"github.com/goshop-dev/goshop/internal/samplecatalog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("seed", flag.ContinueOnError)
	api := flags.String("api", "http://127.0.0.1:3000/dev", "base URL of the API, stage included")
	wait := flags.Duration("wait", 15*time.Minute, "how long to wait for the API to answer")
	email := flags.String("admin-email", envOr("ADMIN_EMAIL", "admin@goshop.local"), "admin account")
	password := flags.String("admin-password", envOr("ADMIN_PASSWORD", "admin-password"), "admin password")
	if err := flags.Parse(args); err != nil {
		return err
	}
	c := &client{apiclient.New(*api)}
	if err := c.waitReady(ctx, *wait); err != nil {
		return err
	}
	token, err := c.admin(ctx, *email, *password)
	if err != nil {
		return err
	}
	products, err := samplecatalog.Products()
	if err != nil {
		return err
	}
	created := 0
	for _, p := range products {
		status, body, err := c.call(ctx, "POST", "/products", token, map[string]any{
			"sku": p.SKU, "name": p.Name, "description": p.Description, "category": p.Category,
			"price": p.Price, "initialStock": p.Stock,
		})
		switch {
		case err != nil:
			return err
		case status == http.StatusCreated:
			created++
		case status == http.StatusConflict:
		default:
			return fmt.Errorf("create %s: %d %s", p.SKU, status, body)
		}
	}
	fmt.Printf("seed: admin %s ready; %d sample products created, %d there already\n", *email, created, len(products)-created)
	return nil
}

// client is the API client with the seed's shorthand call.
type client struct{ *apiclient.Client }

func (c *client) call(ctx context.Context, method, path, token string, body any) (int, []byte, error) {
	return c.Call(ctx, method, path, token, body, nil)
}

// waitReady polls the API's OpenAPI document until it answers 200.
func (c *client) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		status, _, err := c.call(ctx, "GET", "/openapi.json", "", nil)
		if err == nil && status == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("API at %s not ready after %s (last: %d %v)", c.Base(), limit, status, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// admin registers the admin account if needed and returns its token,
// checking that the stack grants it the admin role.
func (c *client) admin(ctx context.Context, email, password string) (string, error) {
	status, body, err := c.call(ctx, "POST", "/users/register", "", map[string]string{"email": email, "password": password, "name": "Administrator"})
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated && status != http.StatusConflict {
		return "", fmt.Errorf("register %s: %d %s", email, status, body)
	}
	status, body, err = c.call(ctx, "POST", "/users/login", "", map[string]string{"email": email, "password": password})
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("login %s: %d %s (is ADMIN_PASSWORD the one it was registered with?)", email, status, body)
	}
	var login struct {
		Token string `json:"token"`
		User  struct {
			Role string `json:"role"`
		} `json:"user"`
	}
	if err := json.Unmarshal(body, &login); err != nil {
		return "", fmt.Errorf("login answer: %w", err)
	}
	if login.User.Role != "admin" {
		return "", fmt.Errorf("%s is not an admin of this stack: synthesize it with -c adminEmails=%s", email, email)
	}
	return login.Token, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
