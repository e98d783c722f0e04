package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// relatedOrder is an order the page links to: a bundle's parent or children, a split's origin
// or children.
type relatedOrder struct {
	ID     int64
	Number string
}

// management is what the order page shows under 管理区分.
type management struct {
	Parent   *relatedOrder  // the bundle parent of a bundle child
	Origin   *relatedOrder  // the order a split child came from
	Children []relatedOrder // a bundle parent's children, or a split order's children
}

// loadManagement finds the orders an order's 管理区分 refers to. Children are found the way
// orderops finds them: among the shop's orders of the same buyer.
func (h *Handler) loadManagement(ctx context.Context, o order.Order) (management, error) {
	var m management
	ref := func(id int64) (*relatedOrder, error) {
		p, err := h.deps.Store.GetOrder(ctx, id)
		if apperror.Is(err, apperror.NotFound) {
			return &relatedOrder{ID: id, Number: "#" + i64toa(id)}, nil
		}
		if err != nil {
			return nil, err
		}
		return &relatedOrder{ID: p.ID, Number: p.Number}, nil
	}
	var err error
	switch {
	case o.ManagementClass == order.BundleChild && o.BundleParentID != 0:
		m.Parent, err = ref(o.BundleParentID)
		return m, err
	case o.SplitFromID != 0:
		m.Origin, err = ref(o.SplitFromID)
		return m, err
	case o.ManagementClass == order.BundleParent:
		m.Children, err = h.children(ctx, o, order.BundleChild, func(c order.Order) bool { return c.BundleParentID == o.ID })
	case o.ManagementClass == order.Split:
		m.Children, err = h.children(ctx, o, order.Split, func(c order.Order) bool { return c.SplitFromID == o.ID })
	}
	return m, err
}

func (h *Handler) children(ctx context.Context, o order.Order, class order.ManagementClass, keep func(order.Order) bool) ([]relatedOrder, error) {
	var out []relatedOrder
	for page := 1; ; page++ {
		found, err := h.deps.Store.SearchOrders(ctx, store.OrderQuery{ShopID: o.ShopID, Keyword: o.Buyer.Name, ManagementClass: class,
			Sort: store.SortNumber, Ascending: true, Page: page, PageSize: store.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, c := range found.Orders {
			if c.ID != o.ID && keep(c) {
				out = append(out, relatedOrder{ID: c.ID, Number: c.Number})
			}
		}
		if len(found.Orders) < store.MaxPageSize {
			return out, nil
		}
	}
}

// canSplit reports whether the page offers 分割: an order that is not bundled, not itself a
// split child, and not yet reported (a status its channel calls splittable, such as Rakuten's
// 注文確認済み, still splits). orderops.Split checks
// again, with its message.
func (v orderView) canSplit() bool {
	o := v.Order
	return o.SplitFromID == 0 && o.ManagementClass != order.BundleParent && o.ManagementClass != order.BundleChild && len(o.Lines) > 0 &&
		v.Shop.Channel.Splittable(workflow.LinkStatus(o.LinkStatus)) && !o.MarketplaceStatus.Cancelled()
}

// unbundleOne is 同梱解除 on a bundle parent's page.
func (h *Handler) unbundleOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := orderops.Unbundle(r.Context(), h.deps.Store, id, stateOf(r.Context()).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, "同梱を解除しました。同梱されていた注文はそれぞれ通常の注文に戻りました。")
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// splitOne is 分割: the quantities entered per line move to a new child order. Where the
// channel warns of splitting (au PAY keeps one tracking number), the form must carry the
// operator's confirmation of the warning.
func (h *Handler) splitOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, ok := byPath(h, w, r, h.deps.Store.GetOrder)
	if !ok {
		return
	}
	id := o.ID
	sh, err := h.deps.Store.GetShop(ctx, o.ShopID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if warning := sh.Channel.SplitWarning(); warning != "" && r.PostFormValue("accept_warning") != "1" {
		h.orderFail(w, r, id, apperror.New(apperror.Invalid, "%s 分割するには、この注意を確認したことをチェックしてから実行してください。", warning))
		return
	}
	var moves []orderops.LineMove
	for i, raw := range r.PostForm["qty"] {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			h.orderFail(w, r, id, apperror.New(apperror.Invalid, "%d行目の分割する数量「%s」が読めません。半角数字で入力してください。", i+1, raw))
			return
		}
		moves = append(moves, orderops.LineMove{Line: i, Quantity: n})
	}
	child, err := orderops.Split(ctx, h.deps.Store, id, moves, stateOf(ctx).user.Login)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, fmt.Sprintf("注文 %s を分割し、注文 %s を作成しました。", o.Number, child.Number))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// unsplitOne is 分割解除, from the original or from a split child: the children's lines go back
// to the original and the children are deleted.
func (h *Handler) unsplitOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, ok := byPath(h, w, r, h.deps.Store.GetOrder)
	if !ok {
		return
	}
	id := o.ID
	origin := id
	if o.SplitFromID != 0 {
		origin = o.SplitFromID // the child is deleted: come back to the original
	}
	if err := orderops.Unsplit(ctx, h.deps.Store, id, stateOf(ctx).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, "分割を解除しました。分割した商品を元の注文に戻しました。")
	http.Redirect(w, r, idPath(origin), http.StatusSeeOther)
}
