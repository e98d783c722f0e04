package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/demo"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// `ichigen demo`: au PAY orders flow by themselves from import through サンクスメール, the status
// fetch, the packer, 発送メール, the ship report and the completion to 受注完了ステータス反映済み,
// each buyer mailed once per template through the demo's relay.
func TestDemoAuPayOrdersCompleteByThemselves(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Start(ctx, testConfig(t, ""), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	d, err := demo.StartSimulators()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.PackAfter, d.PackEvery = 0, 500*time.Millisecond
	if err := d.Setup(ctx, srv.Store); err != nil {
		t.Fatal(err)
	}
	au, ok := d.Sim(aupay.Channel)
	if !ok {
		t.Fatal("no au PAY simulator in the demo")
	}
	go d.PlaceOrders(ctx)
	go d.Pack(ctx, srv.Store, srv.Queue)
	completed := string(aupay.LinkCompleted)
	var page store.OrderPage
	done := func() bool {
		var err error
		if page, err = srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: au.Shop.ID, LinkStatus: &completed, PageSize: 1}); err != nil {
			t.Fatal(err)
		}
		return page.Total >= 10 // the card trades of the first batch
	}
	if storetest.Await(t, 90*time.Second, done, srv.Queue) {
		t.Logf("%d au PAY orders reached 受注完了ステータス反映済み", page.Total)
		checkDemoMails(t, d, page.Total)
		return
	}
	all, _ := srv.Store.SearchOrders(ctx, store.OrderQuery{ShopID: au.Shop.ID, PageSize: 100})
	where := map[string]int{}
	for _, o := range all.Orders {
		where[o.LinkStatus+" "+o.LinkMessage]++
	}
	t.Fatalf("only %d of %d au PAY orders completed: %v", page.Total, all.Total, where)
}

// checkDemoMails: the completed orders' buyers got サンクスメール and 発送メール, none twice.
func checkDemoMails(t *testing.T, d *demo.Demo, completed int64) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range d.Relay.Messages() {
		kind := "サンクスメール"
		if strings.Contains(m.Subject, "発送いたしました") {
			kind = "発送メール"
		}
		seen[kind]++
		seen[kind+" "+strings.Join(m.To, ",")+" "+m.Subject]++
	}
	if seen["サンクスメール"] < int(completed) || seen["発送メール"] < int(completed) {
		t.Errorf("the relay took %d サンクスメール and %d 発送メール for %d completed orders", seen["サンクスメール"], seen["発送メール"], completed)
	}
	for k, n := range seen {
		if n > 1 && strings.Contains(k, "@") {
			t.Errorf("mailed %d times: %s", n, k)
		}
	}
}
