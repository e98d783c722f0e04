package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// attentionPath is 要対応; the start page (/) shows it too, to whoever may view orders.
const attentionPath = "/attention"

// attentionView is 要対応: per shop, what needs the operator, and every shop's credentials.
type attentionView struct {
	Report attention.Report
	Now    time.Time
	// CanSeeShops, CanSeeRules and CanSeeHistory say whether the page may link to 店舗設定,
	// 自動処理設定 and 連携履歴.
	CanSeeShops, CanSeeRules, CanSeeHistory bool
}

// attention shows what needs the operator: credentials refused, missing or expiring, stopped
// rules that hold orders up, and the orders in error grouped by cause, each group linking to
// the order list of exactly its orders, where the bulk actions fix and send them again.
func (h *Handler) attention(w http.ResponseWriter, r *http.Request) {
	now := h.deps.Now()
	report, err := attention.Gather(r.Context(), h.deps.Store, now)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g := stateOf(r.Context()).group
	h.render(w, r, http.StatusOK, attentionPage(attentionView{Report: report, Now: now,
		CanSeeShops: g.Allows(user.MenuShops, user.View), CanSeeRules: g.Allows(user.MenuWorkflow, user.View),
		CanSeeHistory: g.Allows(user.MenuHistory, user.View)}))
}

// groupURL is the order list of exactly a group's orders.
func groupURL(g store.LinkErrorGroup) string {
	msg := g.LinkMessage
	if msg == "" {
		msg = linkBlank
	}
	return orderFilter{Shop: i64toa(g.ShopID), Link: g.LinkStatus, Message: msg}.url("/orders")
}

// waitingURL is the order list of the orders waiting in a stopped rule's target phase.
func waitingURL(s attention.StoppedRule) string {
	return orderFilter{Shop: i64toa(s.Rule.ShopID), Phase: i64toa(s.Rule.TargetPhaseID)}.url("/orders")
}

// credentialLabels names credentials as the shop settings do: 「licenseKey」「APIキー」.
func credentialLabels(keys []shop.CredentialKey) string {
	var sb strings.Builder
	for _, k := range keys {
		sb.WriteString("「" + k.Label + "」")
	}
	return sb.String()
}

// expiryDate is the day the shop's credentials expire, in Japan time.
func expiryDate(sh shop.Shop) string {
	return sh.CredentialsExpireAt.In(order.JST).Format("2006/01/02")
}

// countdown is the expiry with the days left: 「2026/12/01 (あと30日)」.
func countdown(ctx context.Context, s attention.Shop) string {
	switch {
	case !s.ExpiryKnown:
		return t(ctx, "不明")
	case s.DaysLeft <= 0:
		return expiryDate(s.Shop) + " " + t(ctx, "(期限切れ)")
	}
	return expiryDate(s.Shop) + " " + tf(ctx, "(あと%d日)", s.DaysLeft)
}

// expiryWarning says the credentials expire soon, or have, and what to do.
func expiryWarning(ctx context.Context, s attention.Shop) string {
	if s.DaysLeft <= 0 {
		return tf(ctx, "認証情報の有効期限(%s)が切れています。新しいキーを発行して保存してください。", expiryDate(s.Shop))
	}
	return tf(ctx, "認証情報の有効期限(%s)まで、あと%d日です。新しいキーを発行して保存してください。", expiryDate(s.Shop), s.DaysLeft)
}

// historyPath is 連携履歴 of one shop.
func historyPath(shopID int64) string { return "/history?shop=" + i64toa(shopID) }
