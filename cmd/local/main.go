// Command local serves the whole API of goshop in one process on
// http://127.0.0.1:3000 (-port or PORT to change), against a DynamoDB Local
// it starts and stops itself. Every route runs the handler its Lambda runs,
// behind the same token check the Lambda authorizer makes; the orders'
// routes, which need the checkout saga, are left out. It creates the
// tables, an admin account (ADMIN_EMAIL, ADMIN_PASSWORD) and a small sample
// catalog, prints the base URL, and stops cleanly on Ctrl-C.
//
// It is a quick way to try the API; devstack runs the synthesized CDK
// template with real function processes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/ddblocal"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
)

// Defaults for the local admin account, documented in the README.
const (
	defaultAdminEmail    = "admin@goshop.local"
	defaultAdminPassword = "admin-password"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

type options struct {
	port          int
	ddbEndpoint   string
	adminEmail    string
	adminPassword string
}

func parseOptions() (options, error) {
	port := 3000
	if p := os.Getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return options{}, fmt.Errorf("PORT %q is not a number", p)
		}
		port = n
	}
	o := options{adminEmail: envOr("ADMIN_EMAIL", defaultAdminEmail), adminPassword: envOr("ADMIN_PASSWORD", defaultAdminPassword)}
	flag.IntVar(&o.port, "port", port, "port to serve the API on")
	flag.StringVar(&o.ddbEndpoint, "dynamodb-endpoint", "", "use this DynamoDB endpoint instead of starting DynamoDB Local")
	flag.Parse()
	return o, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context) error {
	opts, err := parseOptions()
	if err != nil {
		return err
	}
	logger := logging.ForService("local")

	endpoint := opts.ddbEndpoint
	if endpoint == "" {
		fmt.Println("starting DynamoDB Local ...")
		srv, err := ddblocal.Start(ctx, ddblocal.Options{})
		if err != nil {
			return err
		}
		defer srv.Stop()
		endpoint = srv.Endpoint
	}

	app, err := newApp(ctx, ddblocal.Client(endpoint), logger, opts.adminEmail)
	if err != nil {
		return err
	}
	if err := app.seed(ctx, opts.adminEmail, opts.adminPassword); err != nil {
		return err
	}

	handler, err := app.router()
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	server := &http.Server{Handler: httpapi.Middleware(logger, nil, httpapi.CORS("*", handler)), ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- server.Serve(listener) }()

	fmt.Printf("goshop API on http://%s (admin %s); Ctrl-C stops it\n", listener.Addr(), opts.adminEmail)
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	fmt.Println("stopping ...")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// router mounts every route of the catalogue on its handler, with the
// authorizer's token check in front of the authenticated ones. The routes
// of the functions that need the full local runtime are left out, and
// said so.
func (a *app) router() (http.Handler, error) {
	handlers := a.handlers()
	rt := httpapi.NewRouter()
	var skipped []string
	for _, r := range routes.All {
		h, ok := handlers[r.Function]
		if !ok && needsRuntime(r.Function) {
			skipped = append(skipped, r.Pattern())
			continue
		}
		if !ok {
			return nil, fmt.Errorf("no handler for function %s (%s)", r.Function, r.Pattern())
		}
		if r.Access == routes.Authenticated {
			h = requireToken(a.tokens, h)
		}
		rt.Handle(r.Pattern(), h)
	}
	if len(skipped) > 0 {
		fmt.Printf("not served: %s (they need the full local runtime, devstack)\n", strings.Join(skipped, ", "))
	}
	return rt, nil
}

// requireToken does what the Lambda authorizer does in AWS: it refuses a
// request without a valid token and hands the identity to the handler.
func requireToken(tokens *auth.Tokens, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := tokens.Authenticate(r)
		if err != nil {
			httpapi.LoggerFrom(r.Context()).InfoContext(r.Context(), "authorizer refused", slog.String("path", r.URL.Path))
			httpapi.Fail(w, r, httpapi.Unauthorized("a valid bearer token is required"))
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithIdentity(r.Context(), id)))
	})
}
