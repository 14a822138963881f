// Package dashboardhttp serves the dashboard's API route: GET /dashboard,
// a plain net/http handler over a dashboard.Service, with the response
// shape of the API.
package dashboardhttp

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns the dashboard's handlers keyed by their function names
// in internal/routes.
func Handlers(svc *dashboard.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"dashboard-get": Get(svc),
	}
}

type moneyResponse struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// profileResponse is the caller's profile; only userId when the replica
// does not know the caller yet.
type profileResponse struct {
	UserID     string   `json:"userId"`
	Name       string   `json:"name,omitempty"`
	Categories []string `json:"categories,omitempty"`
}

type orderResponse struct {
	ID        string        `json:"id"`
	Status    string        `json:"status"`
	Total     moneyResponse `json:"total"`
	Items     int           `json:"items"`
	CreatedAt string        `json:"createdAt"`
}

type recommendationResponse struct {
	ProductID string `json:"productId"`
	Name      string `json:"name"`
	Category  string `json:"category,omitempty"`
}

// dashboardResponse is the dashboard; a degraded part is named in
// Degraded (always a list) and is null, unless it is given its last good
// value and named in Stale too (always a list).
type dashboardResponse struct {
	Profile         *profileResponse         `json:"profile"`
	RecentOrders    []orderResponse          `json:"recentOrders"`
	Recommendations []recommendationResponse `json:"recommendations"`
	Degraded        []string                 `json:"degraded"`
	Stale           []string                 `json:"stale"`
}

func toResponse(v dashboard.View) dashboardResponse {
	null := map[dashboard.Part]bool{} // degraded and not stale
	resp := dashboardResponse{Degraded: []string{}, Stale: []string{}}
	for _, part := range v.Degraded() {
		null[part] = true
		resp.Degraded = append(resp.Degraded, string(part))
	}
	for _, part := range v.Stale {
		null[part] = false
		resp.Stale = append(resp.Stale, string(part))
	}
	if v.Profile != nil {
		resp.Profile = &profileResponse{UserID: v.Profile.UserID, Name: v.Profile.Name, Categories: v.Profile.Categories}
	}
	if !null[dashboard.PartRecentOrders] {
		resp.RecentOrders = make([]orderResponse, 0, len(v.RecentOrders))
		for _, o := range v.RecentOrders {
			resp.RecentOrders = append(resp.RecentOrders, orderResponse{
				ID: o.ID(), Status: string(o.Status()), Items: o.Items(),
				Total:     moneyResponse{Amount: o.Total().Amount(), Currency: o.Total().Currency()},
				CreatedAt: o.CreatedAt().UTC().Format(time.RFC3339Nano),
			})
		}
	}
	if !null[dashboard.PartRecommendations] {
		resp.Recommendations = make([]recommendationResponse, 0, len(v.Recommendations))
		for _, p := range v.Recommendations {
			resp.Recommendations = append(resp.Recommendations, recommendationResponse{ProductID: p.ProductID, Name: p.Name, Category: p.Category})
		}
	}
	return resp
}

// Get serves GET /dashboard: the caller's profile, five most recent
// orders and recommended products, each read within its own time budget.
// 200 with {profile, recentOrders, recommendations, degraded, stale}; a
// part that failed or ran out of time is named in degraded and is null,
// or its last good value when it is named in stale too; the answer is
// still 200, even with every part degraded. 401 without a caller.
func Get(svc *dashboard.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		v, err := svc.Dashboard(r.Context(), caller.UserID)
		if errors.Is(err, dashboard.ErrInvalidUserID) {
			httpapi.Fail(w, r, httpapi.NotFound("user_not_found", "no user has this id"))
			return
		}
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		logger := httpapi.LoggerFrom(r.Context())
		for _, f := range v.Failures {
			logger.WarnContext(r.Context(), "dashboard part degraded", slog.String("part", string(f.Part)),
				slog.Bool("stale", slices.Contains(v.Stale, f.Part)), slog.String("error", f.Err.Error()))
		}
		httpapi.Respond(w, http.StatusOK, toResponse(v))
	})
}
