package simkit

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestKeyLapsesAfterItsLifetimeAndCanBeExpiredOrRenewed(t *testing.T) {
	t.Parallel()
	s := New(Config{})
	k := s.NewKey("old", 90*24*time.Hour)
	if !k.Valid("old") || k.Valid("other") || k.Valid("") {
		t.Fatal("only the issued key is valid")
	}
	if d := k.ExpiresAt().Sub(s.Clock.Now()); d <= 89*24*time.Hour || d > 90*24*time.Hour {
		t.Fatalf("expires in %v", d)
	}
	s.Clock.Advance(90 * 24 * time.Hour)
	if k.Valid("old") {
		t.Fatal("a key past its lifetime must fail")
	}
	k.Renew("new")
	if k.Valid("old") || !k.Valid("new") {
		t.Fatal("renewal replaces the key")
	}
	k.Expire()
	if k.Valid("new") {
		t.Fatal("an expired key must fail")
	}
	forever := s.NewKey("k", 0)
	s.Clock.Advance(10 * 365 * 24 * time.Hour)
	if !forever.Valid("k") || !forever.ExpiresAt().IsZero() {
		t.Fatal("a key without lifetime never lapses")
	}
}

func TestMountedKeyAndOrderControl(t *testing.T) {
	t.Parallel()
	s := New(Config{})
	k := s.NewKey("key", 0)
	type options struct {
		Count int    `json:"count"`
		Kind  string `json:"kind"`
	}
	var generated []options
	mux := http.NewServeMux()
	MountKey(mux, k)
	MountOrders(mux, func(o options) int { return o.Count }, func(o options) ([]string, error) {
		if o.Kind == "bad" {
			return nil, errors.New("kind must not be bad")
		}
		generated = append(generated, o)
		return []string{"1", "2"}[:o.Count], nil
	}, func(number string) (any, bool) {
		return map[string]string{"number": number}, number == "1"
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out json.RawMessage
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, string(out)
	}
	if status, body := do("POST", "/_sim/orders", `{"count":2}`); status != 200 || body != `{"order_numbers":["1","2"]}` {
		t.Fatalf("generate: %d %s", status, body)
	}
	for _, bad := range []string{`{"count":0}`, `{"count":100001}`, `{"count":1,"kind":"bad"}`, `{"count":1,"unknown":true}`} {
		if status, _ := do("POST", "/_sim/orders", bad); status != http.StatusBadRequest {
			t.Fatalf("%s: %d", bad, status)
		}
	}
	if len(generated) != 1 {
		t.Fatalf("refused options reached the generator: %+v", generated)
	}
	if status, body := do("GET", "/_sim/orders/1", ""); status != 200 || body != `{"number":"1"}` {
		t.Fatalf("lookup: %d %s", status, body)
	}
	if status, _ := do("GET", "/_sim/orders/9", ""); status != http.StatusNotFound {
		t.Fatalf("unknown order: %d", status)
	}
	if status, _ := do("POST", "/_sim/key", `{"renew":"fresh"}`); status != http.StatusNoContent || !k.Valid("fresh") || k.Valid("key") {
		t.Fatalf("renew: %d", status)
	}
	if status, _ := do("POST", "/_sim/key", `{"expire":true}`); status != http.StatusNoContent || k.Valid("fresh") {
		t.Fatalf("expire: %d", status)
	}
}
