package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAttentionSaysWhyAShopsCallsFail: a shop whose calls fail for its endpoint shows on 要対応
// the newest failure's words (the DNS error), not only 「失敗: 2回」; a later 429, retried by
// itself, does not hide it.
func TestAttentionSaysWhyAShopsCallsFail(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		now := time.Now()
		for _, c := range []channel.Call{
			{At: now.Add(-20 * time.Minute), Operation: "searchOrder", Outcome: channel.OutcomeRetry, ErrorMessage: "楽天RMSに接続できませんでした: connection refused"},
			{At: now.Add(-10 * time.Minute), Operation: "searchOrder", Outcome: channel.OutcomeRetry, ErrorMessage: "楽天RMSに接続できませんでした: lookup rms.invalid: no such host"},
			{At: now.Add(-5 * time.Minute), Operation: "searchOrder", Outcome: channel.OutcomeRetry, HTTPStatus: 429, ErrorMessage: "呼び出し上限"},
		} {
			c.ShopID = b.shop.ID
			if _, err := b.st.RecordCall(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		page := htmlOf(b.loginAs(t, user.AdminPermissions()), "/attention")
		if !strings.Contains(page, "失敗: 2回") || !strings.Contains(page, "searchOrder): 楽天RMSに接続できませんでした: lookup rms.invalid: no such host") {
			t.Fatalf("要対応 does not say why the calls fail:\n%s", page)
		}
		if strings.Contains(page, "connection refused") || strings.Contains(page, "): 呼び出し上限") {
			t.Fatal("要対応 shows an older failure or the 429 as the last failure")
		}
	})
}
