package jobs_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestErrorMailGoesToTheSavedNotifyAddresses: while no notification address is saved the
// error e-mail goes to --notify-to (NotifyTo); once addresses are saved in the settings, the
// next e-mail of the same running instance goes to them instead, and after they are cleared
// to --notify-to again. The e-mails are an expired Rakuten key's, refused by the simulator,
// delivered to a real SMTP server.
func TestErrorMailGoesToTheSavedNotifyAddresses(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			inbox := notifytest.StartInbox(t)
			sim := rakutensim.New(rakutensim.Config{})
			simServer := httptest.NewServer(sim.Handler())
			t.Cleanup(simServer.Close)
			secret, key := sim.Credentials()
			sim.ExpireKey()

			sh, _ := storetest.NewShop(t, st, "tea")
			rule, err := st.SaveRule(ctx, workflow.Rule{ShopID: sh.ID, Kind: workflow.JobImport, Interval: time.Hour, Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			quiet := slog.New(slog.DiscardHandler)
			deps := jobs.Deps{Store: st, NotifyTo: []string{"fallback@example.jp"}, Logger: quiet,
				Mailer: &notify.Mailer{Addr: inbox.Addr, From: "ichigen@example.jp"},
				Fetcher: func(sh shop.Shop) (jobs.Fetcher, error) {
					return &rakuten.Client{BaseURL: simServer.URL, ServiceSecret: secret, LicenseKey: key, ShopID: sh.ID}, nil
				}}
			q := storetest.StartQueue(t, st, jobs.Config{Workers: jobs.NewWorkers(deps), FetchPollInterval: 100 * time.Millisecond, Logger: quiet})

			// importFails runs the import, which the expired key stops, and returns the
			// recipients of the e-mail it sends. The shop is put back to work first: an auth
			// error e-mails once, when the shop stops.
			mailed := 0
			importFails := func() []string {
				t.Helper()
				if err := st.SetShopStatus(ctx, sh.ID, shop.Active, ""); err != nil {
					t.Fatal(err)
				}
				// The last import may still be finishing after its e-mail went out; until River marks
				// it done, an import of the same rule is skipped as a duplicate.
				storetest.AwaitIdle(t, 20*time.Second, q)
				if _, err := q.Client().Insert(ctx, jobs.ImportArgs{RuleID: rule.ID}, nil); err != nil {
					t.Fatal(err)
				}
				storetest.Await(t, 20*time.Second, func() bool { return len(inbox.Messages()) > mailed }, q)
				msgs := inbox.Messages()
				if len(msgs) != mailed+1 {
					t.Fatalf("%d e-mails after import %d, want one more", len(msgs), mailed+1)
				}
				mailed++
				return msgs[len(msgs)-1].To
			}

			if to := importFails(); !slices.Equal(to, []string{"fallback@example.jp"}) {
				t.Fatalf("with nothing saved the e-mail went to %q, want --notify-to's address", to)
			}
			saved := []string{"ops@example.jp", "boss@example.jp"}
			if _, err := st.SetNotifyAddresses(ctx, saved, "taro"); err != nil {
				t.Fatal(err)
			}
			if to := importFails(); !slices.Equal(to, saved) {
				t.Fatalf("after saving %q the e-mail went to %q", saved, to)
			}
			if _, err := st.SetNotifyAddresses(ctx, nil, "taro"); err != nil {
				t.Fatal(err)
			}
			if to := importFails(); !slices.Equal(to, []string{"fallback@example.jp"}) {
				t.Fatalf("after clearing the saved addresses the e-mail went to %q, want --notify-to's address", to)
			}

			// The administrators (a group with update on every menu) get it too, once each even when
			// also a notification address; a disabled one, one without an address and a user of
			// another group do not.
			admins, err := st.CreateGroup(ctx, user.Group{Name: "管理者", Permissions: user.AdminPermissions()})
			if err != nil {
				t.Fatal(err)
			}
			staff, err := st.CreateGroup(ctx, user.Group{Name: "スタッフ", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []user.User{
				{Login: "boss", Email: "社長 <Boss@example.jp>", GroupID: admins.ID},
				{Login: "admin2", Email: "admin2@example.jp", GroupID: admins.ID},
				{Login: "gone", Email: "gone@example.jp", GroupID: admins.ID},
				{Login: "nomail", GroupID: admins.ID},
				{Login: "staff", Email: "staff@example.jp", GroupID: staff.ID},
			} {
				u.PasswordHash = "x"
				made, err := st.CreateUser(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				if u.Login == "gone" {
					if err := st.SetUserDisabled(ctx, made.ID, true); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := st.SetNotifyAddresses(ctx, saved, "taro"); err != nil {
				t.Fatal(err)
			}
			if to, want := importFails(), []string{"ops@example.jp", "boss@example.jp", "admin2@example.jp"}; !slices.Equal(to, want) {
				t.Fatalf("with administrators the e-mail went to %q, want %q", to, want)
			}
		})
	}
}
