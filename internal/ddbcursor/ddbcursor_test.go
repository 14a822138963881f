package ddbcursor_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/ddbcursor"
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// plain turns a key into plain strings, for cmp.
func plain(t *testing.T, key map[string]types.AttributeValue) map[string]string {
	t.Helper()
	if key == nil {
		return nil
	}
	out := make(map[string]string, len(key))
	for k, v := range key {
		sv, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			t.Fatalf("attribute %s is %T, want a string", k, v)
		}
		out[k] = sv.Value
	}
	return out
}

var errForeign = errors.New("from another list")

// checkUser accepts the keys of partition USER#1 only.
func checkUser(k map[string]string) error {
	if len(k) != 2 || k["pk"] != "USER#1" {
		return errForeign
	}
	return nil
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	item := map[string]types.AttributeValue{
		"pk": s("USER#1"), "sk": s("NOTE#2024-01-01T00:00:00Z#a/b+c=?"),
		"body": s("not part of the key"), "n": &types.AttributeValueMemberN{Value: "7"},
	}
	cursor, err := ddbcursor.Encode(item, "pk", "sk")
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if strings.ContainsAny(cursor, "+/=") {
		t.Errorf("cursor %q is not unpadded base64url", cursor)
	}
	start, err := ddbcursor.Decode(cursor, checkUser)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := map[string]string{"pk": "USER#1", "sk": "NOTE#2024-01-01T00:00:00Z#a/b+c=?"}
	if diff := cmp.Diff(want, plain(t, start)); diff != "" {
		t.Errorf("start key (-want +got):\n%s", diff)
	}
}

func TestDecodeEmptyIsFirstPage(t *testing.T) {
	t.Parallel()
	start, err := ddbcursor.Decode("", func(map[string]string) error { return errForeign })
	if err != nil || start != nil {
		t.Errorf("Decode(\"\") = %v, %v; want nil, nil", start, err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	enc := func(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }
	tests := []struct {
		name   string
		cursor string
		want   error
	}{
		{"not base64", "%%%", ddbcursor.ErrNotBase64},
		{"padded std base64", base64.StdEncoding.EncodeToString([]byte(`{"pk":"U"}`)), ddbcursor.ErrNotBase64},
		{"not json", enc("garbage"), ddbcursor.ErrNotKey},
		{"json array", enc(`["USER#1","NOTE#x"]`), ddbcursor.ErrNotKey},
		{"number attribute", enc(`{"pk":"USER#1","sk":7}`), ddbcursor.ErrNotKey},
		{"tampered partition", enc(`{"pk":"USER#2","sk":"NOTE#x"}`), errForeign},
		{"extra attribute", enc(`{"pk":"USER#1","sk":"NOTE#x","gsi1pk":"y"}`), errForeign},
		{"json null", enc(`null`), errForeign},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start, err := ddbcursor.Decode(tt.cursor, checkUser)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode(%q) error = %v, want %v", tt.cursor, err, tt.want)
			}
			if start != nil {
				t.Errorf("Decode(%q) start = %v, want nil", tt.cursor, start)
			}
		})
	}
}

func TestEncodeRefusesMissingOrNonString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		item map[string]types.AttributeValue
	}{
		{"number", map[string]types.AttributeValue{"pk": s("USER#1"), "sk": &types.AttributeValueMemberN{Value: "1"}}},
		{"binary", map[string]types.AttributeValue{"pk": s("USER#1"), "sk": &types.AttributeValueMemberB{Value: []byte("x")}}},
		{"missing", map[string]types.AttributeValue{"pk": s("USER#1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cursor, err := ddbcursor.Encode(tt.item, "pk", "sk")
			if err == nil || !strings.Contains(err.Error(), "item has no string sk") {
				t.Errorf("Encode = %q, %v; want the error naming sk", cursor, err)
			}
		})
	}
}

func TestTrim(t *testing.T) {
	t.Parallel()
	item := func(id string) map[string]types.AttributeValue { return map[string]types.AttributeValue{"pk": s(id)} }
	lastEvaluated := item("stopped")
	tests := []struct {
		name          string
		items         []map[string]types.AttributeValue
		lastEvaluated map[string]types.AttributeValue
		wantPage      []string
		wantLast      string // "" for none
	}{
		{"one more than the page", []map[string]types.AttributeValue{item("a"), item("b"), item("c")}, item("c"), []string{"a", "b"}, "b"},
		{"exactly the page, end", []map[string]types.AttributeValue{item("a"), item("b")}, nil, []string{"a", "b"}, ""},
		{"short page, end", []map[string]types.AttributeValue{item("a")}, nil, []string{"a"}, ""},
		{"stopped at 1 MB", []map[string]types.AttributeValue{item("a")}, lastEvaluated, []string{"a"}, "stopped"},
		{"empty", nil, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, last := ddbcursor.Trim(tt.items, tt.lastEvaluated, 2)
			var got []string
			for _, it := range page {
				got = append(got, plain(t, it)["pk"])
			}
			if diff := cmp.Diff(tt.wantPage, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
			gotLast := plain(t, last)["pk"]
			if gotLast != tt.wantLast {
				t.Errorf("last = %q, want %q", gotLast, tt.wantLast)
			}
		})
	}
}
