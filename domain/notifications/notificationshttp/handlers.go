// Package notificationshttp serves the notifications' API route: a plain
// net/http handler over a notifications.Service, with the response shape of
// the API.
package notificationshttp

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns the notifications' handlers keyed by their function
// names in internal/routes.
func Handlers(svc *notifications.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"notifications-list": List(svc),
	}
}

// notificationResponse is one message of the list.
type notificationResponse struct {
	ID        string `json:"id"`
	EventType string `json:"eventType"`
	Channel   string `json:"channel"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Status    string `json:"status"`
	CreatedAt string `json:"createdAt"`
}

// listResponse is a page of messages.
type listResponse struct {
	Items      []notificationResponse `json:"items"`
	NextCursor string                 `json:"nextCursor,omitempty"`
}

func toListResponse(page notifications.Page) listResponse {
	resp := listResponse{Items: make([]notificationResponse, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, m := range page.Items {
		resp.Items = append(resp.Items, notificationResponse{
			ID: m.ID(), EventType: m.EventType(), Channel: string(m.Channel()),
			Subject: m.Subject(), Body: m.Body(), Status: string(m.Status()),
			CreatedAt: m.CreatedAt().UTC().Format(time.RFC3339Nano),
		})
	}
	return resp
}

var errUserNotFound = httpapi.NotFound("user_not_found", "no user has this id")

// List serves GET /users/{id}/notifications?limit=&cursor=: the caller's
// own notifications, or anyone's for an admin, newest first; 200 with
// {items, nextCursor?}. Another user's id answers 404, like an unknown one.
func List(svc *notifications.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		id := r.PathValue("id")
		if !caller.CanAccessUser(id) {
			httpapi.Fail(w, r, errUserNotFound)
			return
		}
		limit, err := httpapi.Limit(r, notifications.DefaultLimit, notifications.MaxLimit)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		page, err := svc.List(r.Context(), notifications.Query{UserID: id, Limit: limit, Cursor: r.URL.Query().Get("cursor")})
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toListResponse(page))
	})
}

// apiError returns the *httpapi.Error for a known error of List, or err
// itself for httpapi.Fail to log and answer with a 500.
func apiError(err error) error {
	switch {
	case errors.Is(err, notifications.ErrInvalidUserID):
		return errUserNotFound
	case errors.Is(err, notifications.ErrInvalidLimit):
		return httpapi.BadRequest("invalid_limit", fmt.Sprintf("limit must be an integer from 1 to %d", notifications.MaxLimit))
	case errors.Is(err, notifications.ErrInvalidCursor):
		return httpapi.BadRequest("invalid_cursor", "cursor is not a cursor of this list; start again without it")
	}
	return err
}
