package app

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// rakutenBundle is ichigen running against a Rakuten simulator, with one shop and e-mail to a
// real SMTP server.
type rakutenBundle struct {
	sim    *rakutensim.Server
	simURL string
	srv    *Server
	others []*Server // more instances on the same database
	shop   shop.Shop
	phases map[string]int64
	inbox  *notifytest.Inbox
}

func setupRakuten(t testing.TB, simCfg rakutensim.Config) *rakutenBundle {
	t.Helper()
	return setupRakutenOn(t, simCfg, "", 1)
}

// setupRakutenOn starts instances of ichigen on the database db (SQLite in a temporary
// directory when empty; several instances need PostgreSQL).
func setupRakutenOn(t testing.TB, simCfg rakutensim.Config, db string, instances int) *rakutenBundle {
	t.Helper()
	ctx := context.Background()
	b := &rakutenBundle{sim: rakutensim.New(simCfg), inbox: notifytest.StartInbox(t), phases: map[string]int64{}}
	simServer := httptest.NewServer(b.sim.Handler())
	t.Cleanup(simServer.Close)
	b.simURL = simServer.URL
	for i := range instances {
		cfg := testConfig(t, db)
		cfg.SMTPAddr, cfg.SMTPFrom, cfg.NotifyTo = b.inbox.Addr, "ichigen@example.jp", "ops@example.jp"
		srv, err := Start(ctx, cfg, quietLogger(), WithClock(b.sim.Sim.Clock.Now), WithAsyncSettle(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Shutdown() })
		if i == 0 {
			b.srv = srv
		} else {
			b.others = append(b.others, srv)
		}
	}
	secret, key := b.sim.Credentials()
	var err error
	if b.shop, err = b.srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Rakuten, Name: "楽天テスト店",
		Credentials: shop.Credentials{"serviceSecret": secret, "licenseKey": key, "endpoint": b.simURL}}); err != nil {
		t.Fatal(err)
	}
	phases, err := b.srv.Store.ListPhases(ctx, b.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phases {
		b.phases[p.Name] = p.ID
	}
	return b
}

// rule starts a rule on the shop.
func (b *rakutenBundle) rule(t testing.TB, r workflow.Rule) workflow.Rule {
	t.Helper()
	r.ShopID, r.Enabled = b.shop.ID, true
	saved, err := b.srv.Store.SaveRule(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}
