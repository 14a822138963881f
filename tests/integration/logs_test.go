package integration

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The functions' logs are readable when the target writes them to a file
// (devstack: GOSHOP_LOG_FILE, which make test-integration sets). On
// LocalStack and AWS they are in CloudWatch Logs; the tests that read them
// say so and stop.
func logFile() string { return os.Getenv("GOSHOP_LOG_FILE") }

// secrets are the values the suite sent that no log line may hold:
// passwords, bearer tokens and payment card tokens.
var secrets struct {
	sync.Mutex
	values map[string]string // value -> what it is
}

// secret records a value no log line may contain.
func secret(what, value string) {
	if len(value) < 6 {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	if secrets.values == nil {
		secrets.values = map[string]string{}
	}
	secrets.values[value] = what
}

// scanLogs reads the whole log of the run and reports every line holding a
// secret the suite sent, a bearer token of any kind, or what looks like a
// full card number (13 to 19 digits passing the Luhn check).
func scanLogs(path string) error {
	secrets.Lock()
	values := maps.Clone(secrets.values)
	secrets.Unlock()
	if len(values) == 0 {
		return fmt.Errorf("no secret was recorded: the scan would prove nothing")
	}
	found, lines, err := scan(path, values)
	if err != nil {
		return err
	}
	if lines == 0 {
		return fmt.Errorf("%s is empty: the scan would prove nothing", path)
	}
	if len(found) > 0 {
		return fmt.Errorf("%d of %d log lines hold secrets:\n%s", len(found), lines, strings.Join(found, "\n"))
	}
	fmt.Fprintf(os.Stderr, "integration: %d log lines scanned for %d secrets, tokens and card numbers: none found\n", lines, len(values))
	return nil
}

// scan returns a description of every line of the file at path that holds
// one of values, a JWT or a card number, and the number of lines read.
func scan(path string, values map[string]string) (found []string, lines int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("open the log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		lines++
		for value, what := range values {
			if strings.Contains(line, value) {
				found = append(found, fmt.Sprintf("line %d holds a %s: %.300s", lines, what, line))
			}
		}
		if jwtPattern.MatchString(line) {
			found = append(found, fmt.Sprintf("line %d holds a JWT: %.300s", lines, line))
		}
		for _, digits := range panPattern.FindAllString(emfTimestamp.ReplaceAllString(line, ""), -1) {
			if luhn(digits) {
				found = append(found, fmt.Sprintf("line %d holds a card number: %.300s", lines, line))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, lines, fmt.Errorf("read the log: %w", err)
	}
	return found, lines, nil
}

// TestLogScanFindsWhatItLooksFor checks the scanner itself on planted
// lines, so a clean scan of the run means something.
func TestLogScanFindsWhatItLooksFor(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log")
	planted := strings.Join([]string{
		`{"msg":"login","password":"hunter2-hunter2"}`,
		`{"msg":"auth","header":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"}`,
		`{"msg":"charge","card":"4111111111111111"}`,
		`{"_aws":{"Timestamp":1795816414779},"OrderCreated":1}`,
		`{"msg":"event handled","eventId":"7c37a502-bfcc-4bb6-bae6-e543bdd84ef8","durationMs":1795816414}`,
	}, "\n")
	if err := os.WriteFile(path, []byte(planted), 0o600); err != nil {
		t.Fatal(err)
	}
	found, lines, err := scan(path, map[string]string{"hunter2-hunter2": "password"})
	if err != nil || lines != 5 {
		t.Fatalf("scan = %d lines, %v", lines, err)
	}
	if len(found) != 3 || !strings.Contains(found[0], "password") || !strings.Contains(found[1], "JWT") || !strings.Contains(found[2], "card number") {
		t.Errorf("found %d:\n%s\nwant the password, the JWT and the card number alone", len(found), strings.Join(found, "\n"))
	}
}

var (
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)
	// Card numbers of the networks in use start with 2 to 6; an epoch in
	// milliseconds (13 digits, starting with 1) never matches, and the
	// Timestamp of metric lines is left out.
	panPattern   = regexp.MustCompile(`\b[2-6]\d{12,18}\b`)
	emfTimestamp = regexp.MustCompile(`"Timestamp":\d+`)
)

// luhn reports whether digits pass the Luhn check card numbers carry.
func luhn(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// logLines returns the lines of the run's log that contain s.
func logLines(t *testing.T, s string) []string {
	t.Helper()
	b, err := os.ReadFile(logFile())
	if err != nil {
		t.Fatalf("read the log: %v", err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return out
}

// TestCorrelationIDFollowsACheckout sends a checkout with its own
// X-Correlation-Id and finds that id in every event the checkout caused and
// in the log lines of every function that handled it.
func TestCorrelationIDFollowsACheckout(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 5)
	correlation := "it-" + unique("corr")
	res := call(t, request{method: "POST", path: "/checkout", token: u.Token, body: checkoutBody("tok_visa", line{p.ID, 1}),
		headers: map[string]string{"Idempotency-Key": unique("key"), "X-Correlation-Id": correlation}})
	want(t, "checkout", res, 202)
	if got := res.header.Get("X-Correlation-Id"); got != correlation {
		t.Errorf("X-Correlation-Id answered %q, want %q", got, correlation)
	}
	var a struct{ OrderID string }
	res.decode(t, &a)
	if o := settled(t, u, a.OrderID); o.Status != "CONFIRMED" {
		t.Fatalf("order %s = %s (%s)", a.OrderID, o.Status, o.FailureReason)
	}
	for _, typ := range []string{"OrderCreated", "InventoryReserved", "PaymentSucceeded", "OrderConfirmed"} {
		e := events.waitFor(t, 60*time.Second, typ+" of "+a.OrderID, orderEvent(typ, a.OrderID))
		if e.Detail.CorrelationID != correlation {
			t.Errorf("%s carries correlation id %q, want %q", typ, e.Detail.CorrelationID, correlation)
		}
	}

	if logFile() == "" {
		t.Logf("the %s target's logs are in CloudWatch Logs; search them for %s", stack.name, correlation)
		return
	}
	// Every function the checkout went through, as devstack prefixes its
	// lines ("[goshop-dev-OrdersorderscheckoutFunction...]").
	handled := []string{
		"orders-checkout", "catalog-lookup", "catalog-reserve", "payments-process", "orders-confirm",
		"orders-outbox", "catalog-outbox", "payments-outbox", "notifications-consumer", "dashboard-consumer",
	}
	eventually(t, 30*time.Second, "log lines with "+correlation+" from every function", func() (bool, string) {
		lines := logLines(t, correlation)
		var missing []string
		for _, fn := range handled {
			tag := strings.ReplaceAll(fn, "-", "")
			if !containsFunc(lines, func(l string) bool { return strings.Contains(strings.ToLower(prefix(l)), tag) }) {
				missing = append(missing, fn)
			}
		}
		return len(missing) == 0, fmt.Sprintf("no line from %v among %d lines", missing, len(lines))
	})
}

// prefix is the "[function]" tag devstack puts before a function's lines.
func prefix(line string) string {
	if !strings.HasPrefix(line, "[") {
		return ""
	}
	end := strings.Index(line, "]")
	if end < 0 {
		return ""
	}
	return line[1:end]
}

func containsFunc(lines []string, f func(string) bool) bool {
	for _, l := range lines {
		if f(l) {
			return true
		}
	}
	return false
}
