package yahoo_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/channel/yahoo/yahoosim"
)

// keeper is the store's token row as two instances share it.
type keeper struct {
	mu    sync.Mutex
	token string
	exp   time.Time
}

func (k *keeper) Load(context.Context) (string, time.Time, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.token, k.exp, nil
}

func (k *keeper) Save(_ context.Context, token string, exp time.Time) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.token, k.exp = token, exp
	return nil
}

// TestInstancesShareOneAccessToken: a second instance (a process without the first one's
// tokens) uses the access token the first kept in the store instead of refreshing its own; once
// Yahoo calls it expired, one refresh replaces it for both.
func TestInstancesShareOneAccessToken(t *testing.T) {
	sim := yahoosim.New(yahoosim.Config{})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	creds := sim.Credentials()
	creds["endpoint"] = srv.URL
	shared := &keeper{}
	client := func() *yahoo.Client {
		c, err := yahoo.NewClient(channel.Account{ShopID: 1, Credentials: creds, BaseURL: srv.URL, Tokens: shared})
		if err != nil {
			t.Fatal(err)
		}
		return c.(*yahoo.Client)
	}
	refreshes := func() int { return sim.Sim.Counters.Snapshot().Operations[yahoo.OpToken] }
	ctx := context.Background()
	if _, err := client().Count(ctx); err != nil {
		t.Fatal(err)
	}
	yahoo.ForgetTokens() // the second instance
	if _, err := client().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := refreshes(); n != 1 || shared.token == "" {
		t.Fatalf("%d refreshes for two instances, want 1 (kept %q)", n, shared.token)
	}
	sim.ExpireAccessTokens()
	if _, err := client().Count(ctx); err != nil {
		t.Fatal(err)
	}
	yahoo.ForgetTokens()
	if _, err := client().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := refreshes(); n != 2 {
		t.Errorf("%d refreshes after the token expired, want one more", n)
	}
}
