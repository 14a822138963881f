package notificationshttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationshttp"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// pattern is the route of notifications-list (internal/routes lists it
// once the lead adds it).
const pattern = "GET /users/{id}/notifications"

var (
	epoch    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	admin    = &auth.Identity{UserID: "u-admin", Role: auth.RoleAdmin}
	customer = &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}
)

type item struct {
	ID        string `json:"id"`
	EventType string `json:"eventType"`
	Channel   string `json:"channel"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Status    string `json:"status"`
	CreatedAt string `json:"createdAt"`
}

type listBody struct {
	Items      []item  `json:"items"`
	NextCursor *string `json:"nextCursor"`
}

// server serves the list route on a service that was told about three
// shipped orders of u-1 (two messages each: email and push) at epoch+1s,
// +2s, +3s, and one of u-2.
func server(t *testing.T) http.Handler {
	t.Helper()
	now := epoch
	seq := 0
	svc := notifications.NewService(notificationstest.NewRepository(), notificationssandbox.New(nil).Channels(),
		func() time.Time { return now }, func() string { seq++; return fmt.Sprintf("m-%d", seq) })
	for i, user := range []string{"u-1", "u-1", "u-1", "u-2"} {
		now = epoch.Add(time.Duration(i+1) * time.Second)
		notice := notifications.OrderShipped{OrderID: fmt.Sprintf("o-%d", i+1), UserID: user}
		if err := svc.Notify(context.Background(), fmt.Sprintf("e-%d", i+1), notice); err != nil {
			t.Fatal(err)
		}
	}
	router := httpapi.NewRouter()
	for function, h := range notificationshttp.Handlers(svc) {
		if function != "notifications-list" {
			t.Fatalf("unexpected function %s", function)
		}
		router.Handle(pattern, h)
	}
	return router
}

func get(t *testing.T, h http.Handler, target string, id *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if id != nil {
		req = req.WithContext(auth.WithIdentity(req.Context(), *id))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return v
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	return decode[struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}](t, rec).Error.Code
}

func TestListErrors(t *testing.T) {
	t.Parallel()
	h := server(t)
	tests := []struct {
		name   string
		target string
		id     *auth.Identity
		status int
		code   string
	}{
		{"anonymous", "/users/u-1/notifications", nil, http.StatusUnauthorized, "unauthorized"},
		{"another user's", "/users/u-2/notifications", customer, http.StatusNotFound, "user_not_found"},
		{"admin with a bad id", "/users/u%231/notifications", admin, http.StatusNotFound, "user_not_found"},
		{"admin with a too long id", "/users/" + strings.Repeat("a", 65) + "/notifications", admin, http.StatusNotFound, "user_not_found"},
		{"limit zero", "/users/u-1/notifications?limit=0", customer, http.StatusBadRequest, "invalid_limit"},
		{"limit too big", "/users/u-1/notifications?limit=101", customer, http.StatusBadRequest, "invalid_limit"},
		{"limit not a number", "/users/u-1/notifications?limit=ten", customer, http.StatusBadRequest, "invalid_limit"},
		{"garbage cursor", "/users/u-1/notifications?cursor=%25%25", customer, http.StatusBadRequest, "invalid_cursor"},
		{"json cursor of nothing", "/users/u-1/notifications?cursor=e30", customer, http.StatusBadRequest, "invalid_cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := get(t, h, tt.target, tt.id)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if code := errorCode(t, rec); tt.code != "unauthorized" && code != tt.code {
				t.Errorf("code = %q, want %q", code, tt.code)
			}
		})
	}
}

func TestListPagesNewestFirst(t *testing.T) {
	t.Parallel()
	h := server(t)
	first := get(t, h, "/users/u-1/notifications?limit=4", customer)
	if first.Code != http.StatusOK {
		t.Fatalf("status = %d; body %s", first.Code, first.Body)
	}
	page := decode[listBody](t, first)
	want := []item{
		{ID: "m-6", EventType: "OrderShipped", Channel: "push", Subject: "Your order o-3 has shipped", Body: "Your order o-3 is on its way.", Status: "SENT", CreatedAt: "2026-03-01T12:00:03Z"},
		{ID: "m-5", EventType: "OrderShipped", Channel: "email", Subject: "Your order o-3 has shipped", Body: "Your order o-3 is on its way.", Status: "SENT", CreatedAt: "2026-03-01T12:00:03Z"},
		{ID: "m-4", EventType: "OrderShipped", Channel: "push", Subject: "Your order o-2 has shipped", Body: "Your order o-2 is on its way.", Status: "SENT", CreatedAt: "2026-03-01T12:00:02Z"},
		{ID: "m-3", EventType: "OrderShipped", Channel: "email", Subject: "Your order o-2 has shipped", Body: "Your order o-2 is on its way.", Status: "SENT", CreatedAt: "2026-03-01T12:00:02Z"},
	}
	if diff := cmp.Diff(want, page.Items); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	if page.NextCursor == nil {
		t.Fatal("first page has no nextCursor")
	}
	second := decode[listBody](t, get(t, h, "/users/u-1/notifications?limit=4&cursor="+*page.NextCursor, customer))
	if len(second.Items) != 2 || second.Items[0].ID != "m-2" || second.Items[1].ID != "m-1" || second.NextCursor != nil {
		t.Errorf("second page = %+v, want m-2, m-1 and no cursor", second)
	}
	// The cursor of u-1's list is refused on u-2's.
	rec := get(t, h, "/users/u-2/notifications?cursor="+*page.NextCursor, admin)
	if rec.Code != http.StatusBadRequest || errorCode(t, rec) != "invalid_cursor" {
		t.Errorf("foreign cursor: %d %s, want 400 invalid_cursor", rec.Code, rec.Body)
	}
}

func TestListAdminAndEmpty(t *testing.T) {
	t.Parallel()
	h := server(t)
	page := decode[listBody](t, get(t, h, "/users/u-2/notifications", admin))
	if len(page.Items) != 2 || page.Items[0].Subject != "Your order o-4 has shipped" {
		t.Errorf("admin's view of u-2 = %+v, want its two messages", page.Items)
	}
	rec := get(t, h, "/users/u-admin/notifications", admin)
	if rec.Code != http.StatusOK || rec.Body.String() != "{\"items\":[]}\n" {
		t.Errorf("empty list: %d %q, want 200 {\"items\":[]}", rec.Code, rec.Body)
	}
}

// TestListHidesInternalErrors: a repository failure is a 500 without its
// message.
func TestListHidesInternalErrors(t *testing.T) {
	t.Parallel()
	svc := notifications.NewService(failingRepo{notificationstest.NewRepository()}, notifications.Channels{}, time.Now, func() string { return "x" })
	req := httptest.NewRequest(http.MethodGet, "/users/u-1/notifications", nil)
	req = req.WithContext(auth.WithIdentity(req.Context(), *customer))
	req.SetPathValue("id", "u-1")
	rec := httptest.NewRecorder()
	notificationshttp.List(svc).ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || errorCode(t, rec) == "" {
		t.Fatalf("status = %d, body %s; want a 500 envelope", rec.Code, rec.Body)
	}
	if got := rec.Body.String(); strings.Contains(got, "table on fire") {
		t.Errorf("body leaks the internal error: %s", got)
	}
}

type failingRepo struct{ *notificationstest.Repository }

func (failingRepo) List(context.Context, notifications.Query) (notifications.Page, error) {
	return notifications.Page{}, errors.New("table on fire")
}
