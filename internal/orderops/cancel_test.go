package orderops_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// cancelQueue records the cancellations queued.
type cancelQueue struct{ queued []string }

func (q *cancelQueue) QueueCancel(_ context.Context, shopID, orderID int64, reason, actor string) error {
	q.queued = append(q.queued, strings.Join([]string{i64(shopID), i64(orderID), reason, actor}, "/"))
	return nil
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// TestCancelOnlyWhatTheMarketplaceAllows: a Rakuten order is cancelled only at 注文確認待ち,
// 楽天処理中 or 発送待ち, with one of RMS's reasons, and not when bundled, split, waiting for a
// ship report's outcome or already cancelled, each refusal saying what to do; the bulk plan takes
// the rest of a selection, always asks for the count to be confirmed, says why it leaves each
// order out, and queues a job per order.
func TestCancelOnlyWhatTheMarketplaceAllows(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "cancel")
			orders := storetest.MakeOrders(1, 7, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
			statuses := []order.MarketplaceStatus{order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingShipment,
				order.StatusShipped, order.StatusCancelPending, order.StatusAwaitingShipment, order.StatusAwaitingShipment}
			for i := range orders {
				orders[i].MarketplaceStatus = statuses[i]
			}
			got := seed(t, st, sh.ID, phases["新規受付"].ID, orders...)
			ids := make([]int64, len(got))
			for i, o := range got {
				ids[i] = o.ID
			}
			if err := st.SetLinkStatus(ctx, ids[5:6], store.Link{Status: string(rakuten.LinkShipReporting), Ref: "req-1"}); err != nil {
				t.Fatal(err)
			}
			if err := st.SetManagement(ctx, ids[6], got[6].Version, store.Management{Class: order.Split}); err != nil {
				t.Fatal(err)
			}
			q := &cancelQueue{}
			for i, want := range map[int]string{
				3: "「発送済み」の注文はキャンセルできません。RMSでAPIからキャンセルできるのは注文確認待ち・楽天処理中・発送待ちの注文だけです。",
				4: "モールでキャンセル済み(キャンセル確定待ち)です",
				5: "モールへの送信結果を待っている注文(発送完了報告中)はキャンセルできません",
				6: "分割した注文はキャンセルできません",
			} {
				if _, err := orderops.CancelOne(ctx, st, q, ids[i], "8", "op"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), want) {
					t.Errorf("order %d: %v, want %q", i, err, want)
				}
			}
			if _, err := orderops.CancelOne(ctx, st, q, ids[0], "99", "op"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "キャンセル理由を選んでください") {
				t.Errorf("unknown reason: %v", err)
			}
			if _, err := orderops.CancelOne(ctx, st, q, ids[0], "8", "op"); err != nil || len(q.queued) != 1 || q.queued[0] != i64(sh.ID)+"/"+i64(ids[0])+"/8/op" {
				t.Fatalf("cancel one: %v, queued %v", err, q.queued)
			}

			p, err := orderops.PlanCancelOrders(ctx, st, ids, "1")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.IDs, ids[:3]) || p.Cancel.Refused != 4 || !p.NeedsConfirm() {
				t.Fatalf("plan: %v (want %v), refused %d, confirm %v", p.IDs, ids[:3], p.Cancel.Refused, p.NeedsConfirm())
			}
			for _, want := range []string{"3件の注文をモールでキャンセルします(取り消せません)。", "4件はキャンセルできないため含めません。", "(1件: モールのステータスが「発送済み」"} {
				if !strings.Contains(p.Text(), want) {
					t.Errorf("preview %q lacks %q", p.Text(), want)
				}
			}
			q.queued = nil
			done, err := orderops.CancelOrders(ctx, st, q, p, "op")
			if err != nil || !slices.Equal(done, ids[:3]) || len(q.queued) != 3 {
				t.Fatalf("queued %v (%v), %v", q.queued, done, err)
			}
			if _, err := orderops.PlanCancelOrders(ctx, st, ids[3:], "1"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "キャンセルできる注文がありません") {
				t.Errorf("none to cancel: %v", err)
			}
		})
	}
}
