package orderops

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Bundle merges orders of one shop, one buyer and one ship-to (同梱): the oldest becomes the
// parent (同梱親), the others its children (同梱子). Only the parent is ever reported to the
// marketplace, under its own number; a child is never sent. Seed 003 confirms orders before
// bundling them, so orders already confirmed or reviewed (the channel's Bundlable statuses) are
// bundled as well as blank ones, and are not confirmed again. Orders already bundled or split,
// cancelled, or already shipped or reported are refused with the reason and what to do.
func Bundle(ctx context.Context, st store.Store, ids []int64, actor string) (order.Order, error) {
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) < 2 {
		return order.Order{}, apperror.New(apperror.Invalid, "同梱するには注文を2件以上選択してください。")
	}
	orders := make([]order.Order, 0, len(ids))
	for _, id := range ids {
		o, err := st.GetOrder(ctx, id)
		if err != nil {
			return order.Order{}, err
		}
		if slices.ContainsFunc(orders, func(p order.Order) bool { return p.ID == o.ID }) {
			continue
		}
		orders = append(orders, o)
	}
	slices.SortFunc(orders, func(a, b order.Order) int {
		if c := a.OrderedAt.Compare(b.OrderedAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	parent := orders[0]
	sh, err := st.GetShop(ctx, parent.ShopID)
	if err != nil {
		return order.Order{}, err
	}
	for _, o := range orders {
		switch {
		case o.ShopID != parent.ShopID:
			return order.Order{}, apperror.New(apperror.Invalid, "同梱できるのは同じ店舗の注文だけです(注文 %s と %s)。", parent.Number, o.Number)
		case o.ManagementClass != order.Normal && o.ManagementClass != "":
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s は管理区分が「%s」のため同梱できません。先に同梱・分割を解除してください。", o.Number, o.ManagementClass.Label())
		case o.MarketplaceStatus.Cancelled():
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s はキャンセルされているため同梱できません。", o.Number)
		case !sh.Channel.Bundlable(workflow.LinkStatus(o.LinkStatus)):
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s は既にモールと連携済み(%s)のため同梱できません。同梱できるのは出荷を連携する前(空欄・注文確認済みなど)の注文です。この注文は同梱せずに出荷してください。", o.Number, linkLabel(o))
		case !sameBuyer(parent, o):
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s と %s は注文者が異なるため同梱できません。", parent.Number, o.Number)
		case !sameShipTo(parent, o):
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s と %s はお届け先が異なるため同梱できません。", parent.Number, o.Number)
		}
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetManagement(ctx, parent.ID, parent.Version, store.Management{Class: order.BundleParent}); err != nil {
			return err
		}
		events := []order.Event{{OrderID: parent.ID, Kind: order.EventUpdated, Actor: actor, Message: fmt.Sprintf("同梱親になりました(同梱子: %s)", numbers(orders[1:]))}}
		for _, c := range orders[1:] {
			if err := tx.SetManagement(ctx, c.ID, c.Version, store.Management{Class: order.BundleChild, BundleParentID: parent.ID}); err != nil {
				return err
			}
			events = append(events, order.Event{OrderID: c.ID, Kind: order.EventUpdated, Actor: actor, Message: fmt.Sprintf("注文 %s に同梱しました", parent.Number)})
		}
		return tx.AddOrderEvents(ctx, events)
	})
	if err != nil {
		return order.Order{}, err
	}
	return st.GetOrder(ctx, parent.ID)
}

// Unbundle undoes a bundle: the parent and its children are orders of their own again. A bundle
// whose parent was already shipped or reported stays, since the marketplace holds the report; a
// confirmed one may be undone (nothing is shipped).
func Unbundle(ctx context.Context, st store.Store, parentID int64, actor string) error {
	parent, err := st.GetOrder(ctx, parentID)
	if err != nil {
		return err
	}
	if parent.ManagementClass != order.BundleParent {
		return apperror.New(apperror.Invalid, "注文 %s は同梱親ではありません。同梱を解除するには同梱親の注文を選んでください。", parent.Number)
	}
	sh, err := st.GetShop(ctx, parent.ShopID)
	if err != nil {
		return err
	}
	if !sh.Channel.Bundlable(workflow.LinkStatus(parent.LinkStatus)) {
		return apperror.New(apperror.Invalid, "同梱親 %s は既にモールと連携済み(%s)のため同梱を解除できません。同梱したまま出荷してください。", parent.Number, linkLabel(parent))
	}
	children, err := childrenOf(ctx, st, store.OrderQuery{ShopID: parent.ShopID, BundleParentID: parent.ID})
	if err != nil {
		return err
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetManagement(ctx, parent.ID, parent.Version, store.Management{Class: order.Normal}); err != nil {
			return err
		}
		events := []order.Event{{OrderID: parent.ID, Kind: order.EventUpdated, Actor: actor, Message: "同梱を解除しました"}}
		for _, c := range children {
			if err := tx.SetManagement(ctx, c.ID, c.Version, store.Management{Class: order.Normal}); err != nil {
				return err
			}
			events = append(events, order.Event{OrderID: c.ID, Kind: order.EventUpdated, Actor: actor, Message: fmt.Sprintf("注文 %s との同梱を解除しました", parent.Number)})
		}
		return tx.AddOrderEvents(ctx, events)
	})
}

// LineMove is how much of one of an order's lines (by its index) goes to a split child.
type LineMove struct {
	Line     int
	Quantity int64
}

// Split moves quantities of an order's lines to a new child order (分割), which ships on its
// own: the parent and every child are reported, under the parent's marketplace number. The
// child is numbered "<number>-<n>", sits in the parent's phase and carries no amounts (the
// payment stays whole on the parent). Split again for more children.
func Split(ctx context.Context, st store.Store, orderID int64, moves []LineMove, actor string) (order.Order, error) {
	parent, err := st.GetOrder(ctx, orderID)
	if err != nil {
		return order.Order{}, err
	}
	sh, err := st.GetShop(ctx, parent.ShopID)
	if err != nil {
		return order.Order{}, err
	}
	switch {
	case parent.SplitFromID != 0:
		return order.Order{}, apperror.New(apperror.Invalid, "注文 %s は分割でできた注文です。分割元の注文を分割してください。", parent.Number)
	case parent.ManagementClass == order.BundleParent || parent.ManagementClass == order.BundleChild:
		return order.Order{}, apperror.New(apperror.Invalid, "注文 %s は同梱されているため分割できません。先に同梱を解除してください。", parent.Number)
	case parent.MarketplaceStatus.Cancelled():
		return order.Order{}, apperror.New(apperror.Invalid, "注文 %s はキャンセルされているため分割できません。", parent.Number)
	case !sh.Channel.Splittable(workflow.LinkStatus(parent.LinkStatus)):
		return order.Order{}, apperror.New(apperror.Invalid, "注文 %s は既にモールと連携済み(%s)のため分割できません。", parent.Number, linkLabel(parent))
	}
	kept := slices.Clone(parent.Lines)
	var moved []order.Line
	for _, m := range moves {
		if m.Quantity == 0 {
			continue
		}
		if m.Line < 0 || m.Line >= len(kept) {
			return order.Order{}, apperror.New(apperror.Invalid, "注文 %s に%d行目の商品はありません。", parent.Number, m.Line+1)
		}
		if m.Quantity < 0 || m.Quantity > kept[m.Line].Quantity {
			return order.Order{}, apperror.New(apperror.Invalid, "「%s」を分割できるのは%d個までです。", kept[m.Line].Name, kept[m.Line].Quantity)
		}
		l := kept[m.Line]
		l.Quantity = m.Quantity
		moved = append(moved, l)
		kept[m.Line].Quantity -= m.Quantity
	}
	kept = slices.DeleteFunc(kept, func(l order.Line) bool { return l.Quantity == 0 })
	if len(moved) == 0 {
		return order.Order{}, apperror.New(apperror.Invalid, "分割先へ移す商品と数量を入力してください。")
	}
	if len(kept) == 0 {
		return order.Order{}, apperror.New(apperror.Invalid, "すべての商品を移すと分割元が空になります。分割元に残す商品を1つ以上残してください。")
	}
	existing, err := childrenOf(ctx, st, store.OrderQuery{ShopID: parent.ShopID, SplitFromID: parent.ID})
	if err != nil {
		return order.Order{}, err
	}
	child := order.Order{Number: order.SplitChildNumber(parent.Number, len(existing)+1), OrderedAt: parent.OrderedAt, Buyer: parent.Buyer,
		Packages: parent.Packages, Lines: moved, PaymentMethod: parent.PaymentMethod, Settlement: parent.Settlement,
		MarketplaceStatusRaw: parent.MarketplaceStatusRaw, MarketplaceStatus: parent.MarketplaceStatus, PaymentStatus: parent.PaymentStatus}
	var childID int64
	err = st.InTx(ctx, func(tx store.Tx) error {
		res, err := tx.UpsertOrders(ctx, parent.ShopID, []order.Order{child}, store.UpsertOptions{PhaseID: parent.PhaseID, Actor: actor})
		if err != nil {
			return err
		}
		if len(res.NewIDs) != 1 {
			return apperror.New(apperror.Conflict, "注文番号 %s の注文が既にあります。画面を更新してからもう一度分割してください。", child.Number)
		}
		childID = res.NewIDs[0]
		if err := tx.SetManagement(ctx, childID, 1, store.Management{Class: order.Split, SplitFromID: parent.ID}); err != nil {
			return err
		}
		if err := tx.ReplaceLines(ctx, parent.ID, parent.Version, kept); err != nil {
			return err
		}
		if err := tx.SetManagement(ctx, parent.ID, parent.Version+1, store.Management{Class: order.Split}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{
			{OrderID: parent.ID, Kind: order.EventUpdated, Actor: actor, Message: fmt.Sprintf("注文 %s に分割しました", child.Number)},
			{OrderID: childID, Kind: order.EventUpdated, Actor: actor, Message: fmt.Sprintf("注文 %s から分割しました", parent.Number)},
		})
	})
	if err != nil {
		return order.Order{}, err
	}
	return st.GetOrder(ctx, childID)
}

// Unsplit undoes a split: the children's lines go back to the order they came from, the
// children are deleted, and the order is 通常 again. Once the parent or a child was reported, the
// split stays, since the marketplace holds the report.
func Unsplit(ctx context.Context, st store.Store, parentID int64, actor string) error {
	parent, err := st.GetOrder(ctx, parentID)
	if err != nil {
		return err
	}
	if parent.SplitFromID != 0 {
		if parent, err = st.GetOrder(ctx, parent.SplitFromID); err != nil {
			return err
		}
	}
	if parent.ManagementClass != order.Split {
		return apperror.New(apperror.Invalid, "注文 %s は分割されていません。", parent.Number)
	}
	children, err := childrenOf(ctx, st, store.OrderQuery{ShopID: parent.ShopID, SplitFromID: parent.ID})
	if err != nil {
		return err
	}
	sh, err := st.GetShop(ctx, parent.ShopID) // the children are the parent's shop's
	if err != nil {
		return err
	}
	lines := slices.Clone(parent.Lines)
	for _, o := range append([]order.Order{parent}, children...) {
		if !sh.Channel.Splittable(workflow.LinkStatus(o.LinkStatus)) {
			return apperror.New(apperror.Invalid, "注文 %s は既にモールと連携済み(%s)のため分割を解除できません。", o.Number, linkLabel(o))
		}
	}
	for _, c := range children {
		for _, l := range c.Lines {
			i := slices.IndexFunc(lines, func(k order.Line) bool {
				return k.PackageKey == l.PackageKey && k.SKU == l.SKU && k.Name == l.Name && k.Options == l.Options && k.UnitPrice == l.UnitPrice
			})
			if i < 0 {
				lines = append(lines, l)
				continue
			}
			lines[i].Quantity += l.Quantity
		}
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		for _, c := range children {
			if err := tx.DeleteOrder(ctx, c.ID); err != nil {
				return err
			}
		}
		if err := tx.ReplaceLines(ctx, parent.ID, parent.Version, lines); err != nil {
			return err
		}
		if err := tx.SetManagement(ctx, parent.ID, parent.Version+1, store.Management{Class: order.Normal}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, []order.Event{{OrderID: parent.ID, Kind: order.EventUpdated, Actor: actor,
			Message: fmt.Sprintf("分割を解除しました(%s を戻しました)", numbers(children))}})
	})
}

// childrenOf reads, with lines and shipments, the bundle or split children q names.
func childrenOf(ctx context.Context, st store.Store, q store.OrderQuery) ([]order.Order, error) {
	var out []order.Order
	q.PageSize = store.MaxPageSize
	for q.Page = 1; ; q.Page++ {
		found, err := st.SearchOrders(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, o := range found.Orders {
			full, err := st.GetOrder(ctx, o.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, full)
		}
		if len(found.Orders) < store.MaxPageSize {
			return out, nil
		}
	}
}

func sameBuyer(a, b order.Order) bool {
	return norm(a.Buyer.Name) == norm(b.Buyer.Name) && (norm(a.Buyer.Phone) == norm(b.Buyer.Phone) || norm(a.Buyer.Email) == norm(b.Buyer.Email))
}

func sameShipTo(a, b order.Order) bool {
	if len(a.Packages) != 1 || len(b.Packages) != 1 {
		return false
	}
	x, y := a.Packages[0].ShipTo, b.Packages[0].ShipTo
	return norm(x.Name) == norm(y.Name) && norm(x.Zip) == norm(y.Zip) && norm(x.Address) == norm(y.Address)
}

// norm compares names and addresses as an operator would: spaces and hyphens of any width do not
// count.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '　', '-', '－', '‐', '\t':
			return -1
		}
		return r
	}, s)
}

func linkLabel(o order.Order) string { return workflow.LinkStatus(o.LinkStatus).Label() }

func numbers(orders []order.Order) string {
	n := make([]string, len(orders))
	for i, o := range orders {
		n[i] = o.Number
	}
	return strings.Join(n, "、")
}
