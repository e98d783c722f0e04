package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// slipsPath prints the 納品書 of several orders, one A4 page each: the ticked orders (ids=1,2,3,
// which the list's script adds to the link) or every result of the list's filter.
const slipsPath = "/orders/slips"

// slipMax bounds one print of slips: a day's parcels, not the whole store.
const slipMax = 500

// orderSlip prints one order's 納品書.
func (h *Handler) orderSlip(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSlips(w, r, []int64{id})
}

// printSlips prints the slips of the orders ids=1,2,3 names, or else of every order the list's
// filter finds, up to slipMax.
func (h *Handler) printSlips(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	err := checkParams(qv, "ids", "enc")
	var ids []int64
	switch {
	case err != nil:
	case qv.Get("ids") != "":
		ids, err = slipIDs(qv.Get("ids"))
	default:
		var q store.OrderQuery
		if q, err = readFilter(qv).query(); err == nil {
			ids, err = h.deps.Store.OrderIDs(r.Context(), q, slipMax+1)
		}
		if err == nil && len(ids) == 0 {
			err = apperror.New(apperror.Invalid, "条件に合う注文がありません。一覧で注文を選んでから納品書を印刷してください。")
		}
	}
	if err == nil && len(ids) > slipMax {
		err = apperror.New(apperror.Invalid, "納品書は一度に%d件まで印刷できます。条件で絞り込むか、一覧で注文を選んでから印刷してください。", slipMax)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSlips(w, r, ids)
}

// unfixedPostage counts the slips that would print their postage as 未確定 (Rakuten's -9999):
// a slip the buyer should not receive so.
func unfixedPostage(slips []packing.Slip) int {
	n := 0
	for _, s := range slips {
		if s.ShowAmounts && !s.Amounts.Postage.Fixed() {
			n++
		}
	}
	return n
}

// slipIDs reads ids=1,2,3.
func slipIDs(raw string) ([]int64, error) {
	parts := strings.Split(raw, ",")
	if len(parts) > slipMax {
		return nil, apperror.New(apperror.Invalid, "納品書は一度に%d件まで印刷できます。条件で絞り込むか、一覧で注文を選んでから印刷してください。", slipMax)
	}
	ids := make([]int64, 0, len(parts))
	for _, s := range parts {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 {
			return nil, apperror.New(apperror.Invalid, "注文の指定「%s」が読めません。一覧で選び直してから印刷してください。", s)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// renderSlips builds and shows the slips of ids, in that order.
func (h *Handler) renderSlips(w http.ResponseWriter, r *http.Request, ids []int64) {
	slips, err := h.buildSlips(r.Context(), ids)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, slipsPage(slips, h.deps.Now()))
}

// buildSlips reads the orders, their shops' senders and the origins of split children.
func (h *Handler) buildSlips(ctx context.Context, ids []int64) ([]packing.Slip, error) {
	orders, err := h.deps.Store.GetOrders(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, apperror.New(apperror.NotFound, "注文が見つかりません。一覧を再読み込みしてから選び直してください。")
	}
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	senders := map[int64]shop.Sender{}
	logos := map[int64]string{}
	origins := map[int64]order.Order{}
	slips := make([]packing.Slip, 0, len(orders))
	orders, notes, err := h.withBundled(ctx, orders)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		s, ok := senders[o.ShopID]
		if !ok {
			if s, err = h.deps.Store.ShopSender(ctx, o.ShopID); err != nil {
				return nil, err
			}
			senders[o.ShopID] = s
			if logos[o.ShopID], err = h.slipLogo(ctx, o.ShopID); err != nil {
				return nil, err
			}
		}
		var origin order.Order
		if id := o.SplitFromID; id != 0 {
			if origin, ok = origins[id]; !ok {
				if origin, err = h.deps.Store.GetOrder(ctx, id); err != nil {
					return nil, err
				}
				origins[id] = origin
			}
		}
		slip := packing.NewSlip(o, cat.shopName(o.ShopID), s, origin)
		slip.Logo = logos[o.ShopID]
		if note := notes[o.ID]; note != "" {
			slip.Note = note
		}
		slips = append(slips, slip)
	}
	return slips, nil
}

// withBundled puts after each bundle parent the children bundled into it (同梱), which travel in
// the same parcel, each with its own slip since each is paid on its own; notes says so on the
// parent's slip.
func (h *Handler) withBundled(ctx context.Context, orders []order.Order) ([]order.Order, map[int64]string, error) {
	seen := map[int64]bool{}
	for _, o := range orders {
		seen[o.ID] = true
	}
	notes := map[int64]string{}
	out := make([]order.Order, 0, len(orders))
	for _, o := range orders {
		out = append(out, o)
		if o.ManagementClass != order.BundleParent {
			continue
		}
		m, err := h.loadManagement(ctx, o)
		if err != nil {
			return nil, nil, err
		}
		var ids []int64
		numbers := make([]string, 0, len(m.Children))
		for _, c := range m.Children {
			numbers = append(numbers, c.Number)
			if !seen[c.ID] {
				ids, seen[c.ID] = append(ids, c.ID), true
			}
		}
		if len(numbers) > 0 {
			notes[o.ID] = "ご注文 " + strings.Join(numbers, "、") + " の商品を同じ荷物でお届けします(納品書は注文ごとに同封しています)。"
		}
		if len(ids) > 0 {
			children, err := h.deps.Store.GetOrders(ctx, ids)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, children...)
		}
	}
	if len(out) > slipMax {
		return nil, nil, apperror.New(apperror.Invalid, "同梱した注文を含めると納品書が%d件を超えます。条件で絞り込むか、選び直してください。", slipMax)
	}
	return out, notes, nil
}

// slipLogo is the address of a shop's logo for its slips, with the time it was saved so that a
// new logo is not hidden by the browser's cache; empty when the shop has none.
func (h *Handler) slipLogo(ctx context.Context, shopID int64) (string, error) {
	l, err := h.deps.Store.ShopLogo(ctx, shopID)
	if apperror.Is(err, apperror.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return shopLogoPath(shopID) + "?v=" + strconv.FormatInt(l.UpdatedAt.Unix(), 10), nil
}
