package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// The shop's memo on an order (備考・メモ) is ichigen's own: it survives every import, with or
// without 同一注文を上書きする, while the buyer's remarks (備考欄) come from the marketplace and
// refresh with an overwrite. Each change of the memo is one line in the order's history; the
// same memo again writes nothing; a stale version is refused.
func init() {
	conformanceTests["OrderMemoSurvivesImport"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 1, base)
		orders[0].Remarks = "贈り物です。"
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		id := res.IDs[0]
		o, err := b.st.GetOrder(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Remarks != "贈り物です。" || o.Memo != "" {
			t.Fatalf("a new order has remarks %q, memo %q", o.Remarks, o.Memo)
		}
		if _, err := b.st.SetOrderMemo(ctx, id, o.Version+1, "先に読んだ版ではない", "hanako"); !apperror.Is(err, apperror.Conflict) {
			t.Fatalf("a stale version: %v, want a conflict", err)
		}
		changed, err := b.st.SetOrderMemo(ctx, id, o.Version, "ギフト包装済み\n明細書は入れない", "hanako")
		if err != nil || !changed {
			t.Fatalf("set memo: %v, %v", changed, err)
		}
		if changed, err := b.st.SetOrderMemo(ctx, id, 0, "ギフト包装済み\n明細書は入れない", "taro"); err != nil || changed {
			t.Fatalf("the same memo again: changed %v, %v", changed, err)
		}
		orders[0].Remarks = "贈り物です。のしをお願いします。"
		orders[0].RawPayload = []byte(`{"remarks":"贈り物です。のしをお願いします。"}`) // the marketplace's answer changed
		for _, overwrite := range []bool{false, true} {
			if _, err := b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{Overwrite: overwrite}); err != nil {
				t.Fatal(err)
			}
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Memo != "ギフト包装済み\n明細書は入れない" {
				t.Fatalf("overwrite %v: the memo is %q after the import", overwrite, o.Memo)
			}
			if want := map[bool]string{false: "贈り物です。", true: "贈り物です。のしをお願いします。"}[overwrite]; o.Remarks != want {
				t.Fatalf("overwrite %v: remarks %q, want %q", overwrite, o.Remarks, want)
			}
		}
		if _, err := b.st.SetOrderMemo(ctx, id, 0, "", "taro"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.SetOrderMemo(ctx, 1<<40, 0, "x", "taro"); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("no such order: %v, want not found", err)
		}
		events, err := b.st.ListOrderEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.Kind == order.EventMemo {
				got = append(got, e.Actor+": "+e.Message)
			}
		}
		want := []string{"hanako: メモを変更しました: 「ギフト包装済み…」", "taro: メモを削除しました"}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("memo events %q, want %q", got, want)
		}
	}
}
