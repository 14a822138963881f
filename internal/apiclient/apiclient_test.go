package apiclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goshop-dev/goshop/internal/apiclient"
)

func TestCall(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"path": r.URL.Path, "auth": r.Header.Get("Authorization"), "key": r.Header.Get("Idempotency-Key"),
			"type": r.Header.Get("Content-Type"), "name": in["name"],
		})
	}))
	defer srv.Close()
	c := apiclient.New(srv.URL + "/dev/")
	status, body, err := c.Call(context.Background(), "POST", "/things", "tok", map[string]string{"name": "x"}, map[string]string{"Idempotency-Key": "k1"})
	if err != nil || status != http.StatusCreated {
		t.Fatalf("Call = %d, %v", status, err)
	}
	var got map[string]string
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"path": "/dev/things", "auth": "Bearer tok", "key": "k1", "type": "application/json", "name": "x"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
