package app

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
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
	b.srv, b.others = startInstances(t, db, instances, b.inbox, WithClock(b.sim.Sim.Clock.Now), WithAsyncSettle(5*time.Second))
	secret, key := b.sim.Credentials()
	var err error
	if b.shop, err = b.srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Channel(rakuten.Name), Name: "楽天テスト店",
		Credentials: shop.Credentials{"serviceSecret": secret, "licenseKey": key, "endpoint": b.simURL}}); err != nil {
		t.Fatal(err)
	}
	b.phases = phasesByName(t, b.srv.Store, b.shop.ID)
	return b
}

// startInstances starts instances of ichigen on the database db (SQLite in a temporary
// directory when empty; several instances need PostgreSQL), e-mailing to inbox.
func startInstances(t testing.TB, db string, instances int, inbox *notifytest.Inbox, opts ...Option) (first *Server, others []*Server) {
	t.Helper()
	for i := range instances {
		cfg := testConfig(t, db)
		cfg.SMTPAddr, cfg.SMTPFrom, cfg.NotifyTo = inbox.Addr, "ichigen@example.jp", "ops@example.jp"
		srv, err := Start(context.Background(), cfg, quietLogger(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Shutdown() })
		if i == 0 {
			first = srv
		} else {
			others = append(others, srv)
		}
	}
	return first, others
}

// phasesByName returns a shop's phase ids by name.
func phasesByName(t testing.TB, st store.Store, shopID int64) map[string]int64 {
	t.Helper()
	phases, err := st.ListPhases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := make(map[string]int64, len(phases))
	for _, p := range phases {
		ids[p.Name] = p.ID
	}
	return ids
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

// onEachEngine runs fn as a parallel subtest on SQLite (db "") and on PostgreSQL (db a schema of
// its own; skipped, saying so, when no server answers and ICHIGEN_REQUIRE_POSTGRES is unset).
func onEachEngine(t *testing.T, fn func(t *testing.T, db string)) {
	t.Helper()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := ""
			if engine == "postgres" {
				db = storetest.PostgresSchemaURL(t)
			}
			fn(t, db)
		})
	}
}
