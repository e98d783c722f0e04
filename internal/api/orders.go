package api

import (
	"context"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// linkNone is the filter value of 空欄(未処理), and of no link message; an empty value does not
// filter.
const linkNone = "none"

// OrderFilter is a search of the order list, the same filters as the UI's: as query parameters
// of the search, or as the filter of a bulk operation ("every result of this search").
type OrderFilter struct {
	Shop              int64  `query:"shop" json:"shop,omitempty" minimum:"1" doc:"店舗ID"`
	Channel           string `query:"channel" json:"channel,omitempty" enum:"rakuten,aupay,yahoo,amazon,ownshop,csvshop" doc:"チャネル"`
	Phase             int64  `query:"phase" json:"phase,omitempty" minimum:"1" doc:"処理フェーズID"`
	LinkStatus        string `query:"link_status" json:"link_status,omitempty" doc:"連携ステータスのコード。none は 空欄(未処理)"`
	LinkMessage       string `query:"link_message" json:"link_message,omitempty" maxLength:"4000" doc:"連携メッセージ (全体が一致するもの)。none は メッセージなし。GET /attention のエラーのまとまりの filter がこの注文を指します"`
	MarketplaceStatus string `query:"marketplace_status" json:"marketplace_status,omitempty" enum:"unconfirmed,in_review,awaiting_payment,awaiting_shipment,changing,shipped,completed,on_hold,cancel_pending,cancelled,unknown" doc:"モールステータス"`
	PaymentStatus     string `query:"payment_status" json:"payment_status,omitempty" enum:"unpaid,paid,card_authorized,card_captured,card_cancelled,card_expired,card_failed,card_unsettled" doc:"入金状況・カード決済ステータス (card_authorized 仮売上 / card_captured 決済完了 / card_cancelled 注文キャンセル / card_expired 仮売上期限切れ / card_failed 決済失敗 / card_unsettled 要確認)"`
	ManagementClass   string `query:"management_class" json:"management_class,omitempty" enum:"normal,bundle_parent,bundle_child,split" doc:"管理区分"`
	OrderedFrom       string `query:"ordered_from" json:"ordered_from,omitempty" format:"date" doc:"注文日の開始 (日本時間、この日を含む)"`
	OrderedTo         string `query:"ordered_to" json:"ordered_to,omitempty" format:"date" doc:"注文日の終了 (日本時間、この日を含む)"`
	Keyword           string `query:"q" json:"q,omitempty" maxLength:"200" doc:"注文番号・購入者名の一部、または配送番号"`
	Postage           string `query:"postage" json:"postage,omitempty" enum:"unfixed" doc:"送料。unfixed は 未確定 (楽天の-9999)"`
	Prime             bool   `query:"prime" json:"prime,omitempty" doc:"true: モールが速い配送を約束した注文 (Amazon Prime) だけ"`
	ShipBy            string `query:"ship_by" json:"ship_by,omitempty" format:"date" doc:"出荷期限 (Amazon の LatestShipDate) がこの日 (日本時間、この日を含む) までの注文。出荷期限のない注文は含まれません"`

	// Date is a day range read on the day the search runs (issue 20 item 3); a saved search
	// keeps the range, not the days.
	Date string `query:"date" json:"date,omitempty" enum:"today,yesterday,last7,last30,thismonth,lastmonth" doc:"注文日を検索する日から数えて指定 (日本時間): today 今日 / yesterday 昨日 / last7 過去7日 (今日を含む) / last30 過去30日 / thismonth 今月 / lastmonth 先月。保存した検索条件では開くたびにその日から数えます。ordered_from・ordered_to とは一緒に使えません"`
}

// query turns the filter into a store query, with the message of the first field it cannot
// read.
func (f OrderFilter) query() (store.OrderQuery, error) {
	q := store.OrderQuery{ShopID: f.Shop, Channel: shop.Channel(f.Channel), PhaseID: f.Phase, Keyword: strings.TrimSpace(f.Keyword),
		MarketplaceStatus: order.MarketplaceStatus(f.MarketplaceStatus), PaymentStatus: order.PaymentStatus(f.PaymentStatus),
		ManagementClass: order.ManagementClass(f.ManagementClass)}
	q.LinkStatus, q.LinkMessage = store.Exactly(f.LinkStatus, linkNone), store.Exactly(f.LinkMessage, linkNone)
	q.PostageUnfixed = f.Postage == postageUnfixed
	q.Prime = f.Prime
	var err error
	if q.ShipBy, err = order.ParseDay(f.ShipBy, "出荷期限"); err != nil {
		return q, err
	}
	if !q.ShipBy.IsZero() {
		q.ShipBy = q.ShipBy.AddDate(0, 0, 1) // the day is included
	}
	if q.OrderedWithin, err = order.ParseDayRange(f.Date, "注文日(date)"); err != nil {
		return q, err
	}
	if f.Date != "" && (f.OrderedFrom != "" || f.OrderedTo != "") {
		return q, apperror.New(apperror.Invalid, "注文日は date (今日・過去7日など) か ordered_from・ordered_to (日付) のどちらか一方で指定してください。")
	}
	if q.OrderedFrom, err = order.ParseDay(f.OrderedFrom, "注文日(開始)"); err != nil {
		return q, err
	}
	if q.OrderedTo, err = order.ParseDay(f.OrderedTo, "注文日(終了)"); err != nil {
		return q, err
	}
	if !q.OrderedTo.IsZero() {
		q.OrderedTo = q.OrderedTo.AddDate(0, 0, 1) // the last day is included
	}
	return q, nil
}

// sortColumns maps the API's sort names to the store's.
var sortColumns = map[string]store.OrderSort{
	"ordered_at": store.SortOrderedAt, "number": store.SortNumber, "buyer": store.SortBuyer, "total": store.SortTotal,
	"phase": store.SortPhase, "link_status": store.SortLinkStatus, "marketplace_status": store.SortMarketplaceStatus,
	"updated_at": store.SortUpdatedAt, "ship_by": store.SortShipBy,
}

type searchOrdersInput struct {
	OrderFilter
	Sort     string `query:"sort" default:"ordered_at" enum:"ordered_at,number,buyer,total,phase,link_status,marketplace_status,updated_at,ship_by" doc:"並べ替える列 (total は未確定が先、ship_by は出荷期限)"`
	Order    string `query:"order" default:"desc" enum:"asc,desc" doc:"asc: 小さい順、desc: 大きい (新しい) 順"`
	Page     int    `query:"page" default:"1" minimum:"1"`
	PageSize int    `query:"page_size" default:"50" minimum:"1" maximum:"1000"`
}

// OrderSummary is one order of a search: what the order list shows.
type OrderSummary struct {
	ID                     int64     `json:"id"`
	ShopID                 int64     `json:"shop_id"`
	ShopName               string    `json:"shop_name"`
	Channel                string    `json:"channel"`
	Number                 string    `json:"number" doc:"注文番号 (分割した注文は <番号>-<n>)"`
	OrderedAt              time.Time `json:"ordered_at"`
	BuyerName              string    `json:"buyer_name"`
	Total                  Amount    `json:"total" doc:"合計金額"`
	PhaseID                int64     `json:"phase_id"`
	PhaseName              string    `json:"phase_name"`
	LinkStatus             string    `json:"link_status" doc:"連携ステータスのコード。空文字は 空欄(未処理)"`
	LinkStatusLabel        string    `json:"link_status_label" example:"発送完了報告エラー"`
	LinkMessage            string    `json:"link_message" doc:"連携エラーのメッセージ"`
	MarketplaceStatus      string    `json:"marketplace_status"`
	MarketplaceStatusLabel string    `json:"marketplace_status_label"`
	PaymentStatus          string    `json:"payment_status"`
	PaymentStatusLabel     string    `json:"payment_status_label"`
	ManagementClass        string    `json:"management_class"`
	ManagementClassLabel   string    `json:"management_class_label"`
	Prime                  bool      `json:"prime,omitempty" doc:"モールが速い配送を約束した注文 (Amazon Prime)"`
	LatestShipDate         time.Time `json:"latest_ship_date,omitzero" doc:"モールが求める出荷期限 (Amazon の LatestShipDate)。ないときは省略"`
	Version                int64     `json:"version" doc:"更新のたびに増える版。出荷情報の保存で送り返す"`
	UpdatedAt              time.Time `json:"updated_at"`
}

func summaryOf(o order.Order, c *catalog) OrderSummary {
	class := o.ManagementClass
	if class == "" {
		class = order.Normal
	}
	sh := c.shop[o.ShopID]
	return OrderSummary{ID: o.ID, ShopID: o.ShopID, ShopName: sh.Name, Channel: string(sh.Channel), Number: o.Number, OrderedAt: o.OrderedAt,
		BuyerName: o.Buyer.Name, Total: amountOf(o.Amounts.Total), PhaseID: o.PhaseID, PhaseName: c.phase[o.PhaseID].Name,
		LinkStatus: o.LinkStatus, LinkStatusLabel: workflow.LinkStatus(o.LinkStatus).Label(), LinkMessage: o.LinkMessage,
		MarketplaceStatus: string(o.MarketplaceStatus), MarketplaceStatusLabel: o.MarketplaceStatus.Label(),
		PaymentStatus: string(o.PaymentStatus), PaymentStatusLabel: o.PaymentStatus.Label(),
		ManagementClass: string(class), ManagementClassLabel: class.Label(), Prime: o.Prime, LatestShipDate: o.LatestShipDate,
		Version: o.Version, UpdatedAt: o.UpdatedAt}
}

// OrderPage is one page of a search.
type OrderPage struct {
	Orders   []OrderSummary `json:"orders"`
	Total    int64          `json:"total" doc:"条件に当てはまる注文の件数 (10,000件を超えるときは10,000で、total_cappedがtrue)"`
	Capped   bool           `json:"total_capped" doc:"当てはまる注文が10,000件を超える"`
	Page     int            `json:"page"`
	PageSize int            `json:"page_size"`
}

type orderPageOutput struct{ Body OrderPage }

func (h *Handler) searchOrders(ctx context.Context, in *searchOrdersInput) (*orderPageOutput, error) {
	q, err := in.query()
	if err != nil {
		return nil, err
	}
	q.Sort, q.Ascending, q.Page, q.PageSize = sortColumns[in.Sort], in.Order == "asc", in.Page, in.PageSize
	return h.orderPage(ctx, q)
}

// orderPage is one page of a store query: GET /orders and a saved search's orders.
func (h *Handler) orderPage(ctx context.Context, q store.OrderQuery) (*orderPageOutput, error) {
	res, err := h.deps.Store.SearchOrders(ctx, q)
	if err != nil {
		return nil, err
	}
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	out := &orderPageOutput{Body: OrderPage{Orders: make([]OrderSummary, len(res.Orders)), Total: min(res.Total, store.CountCap), Capped: store.Capped(res.Total), Page: res.Page, PageSize: res.PageSize}}
	for i, o := range res.Orders {
		out.Body.Orders[i] = summaryOf(o, c)
	}
	return out, nil
}

// PhaseCount is one phase of the side bar: every shop's orders of the search in it, and each
// shop's share (the phases are every shop's).
type PhaseCount struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Count  int64       `json:"count" doc:"全店舗の件数 (10,000件を超えるときは10,000で、cappedがtrue)"`
	Capped bool        `json:"capped"`
	Shops  []ShopCount `json:"shops" doc:"店舗ごとの内訳 (注文のある店舗だけ、店舗の順)"`
}

// ShopCount is one shop's orders in a phase.
type ShopCount struct {
	ShopID   int64  `json:"shop_id"`
	ShopName string `json:"shop_name"`
	Count    int64  `json:"count" doc:"件数 (10,000件を超えるときは10,000で、cappedがtrue)"`
	Capped   bool   `json:"capped"`
}

type phaseCountsOutput struct {
	Body struct {
		Phases []PhaseCount `json:"phases"`
	}
}

func (h *Handler) countOrdersByPhase(ctx context.Context, in *struct{ OrderFilter }) (*phaseCountsOutput, error) {
	q, err := in.query()
	if err != nil {
		return nil, err
	}
	counts, err := h.deps.Store.CountOrdersByPhase(ctx, q)
	if err != nil {
		return nil, err
	}
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	out := &phaseCountsOutput{}
	out.Body.Phases = []PhaseCount{}
	for _, p := range c.phaseList {
		n := counts.Total(p.ID)
		pc := PhaseCount{ID: p.ID, Name: p.Name, Count: min(n, store.CountCap), Capped: store.Capped(n), Shops: []ShopCount{}}
		for _, sh := range c.shops {
			if m := counts[p.ID][sh.ID]; m > 0 {
				pc.Shops = append(pc.Shops, ShopCount{ShopID: sh.ID, ShopName: sh.Name, Count: min(m, store.CountCap), Capped: store.Capped(m)})
			}
		}
		out.Body.Phases = append(out.Body.Phases, pc)
	}
	return out, nil
}

// Line is one ordered item.
type Line struct {
	Index      int    `json:"index" doc:"行番号 (0から)。分割で指定する"`
	PackageKey string `json:"package_key"`
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	Options    string `json:"options"`
	UnitPrice  int64  `json:"unit_price" doc:"税込単価 (円)"`
	Quantity   int64  `json:"quantity"`
	TaxRate    int64  `json:"tax_rate" doc:"税率 (%)"`
}

// Amounts are the order's money fields.
type Amounts struct {
	Goods      Amount `json:"goods" doc:"商品合計"`
	Tax        Amount `json:"tax" doc:"消費税"`
	Postage    Amount `json:"postage" doc:"送料"`
	PaymentFee Amount `json:"payment_fee" doc:"決済手数料"`
	Discount   Amount `json:"discount" doc:"値引き"`
	Points     Amount `json:"points" doc:"利用ポイント"`
	Total      Amount `json:"total" doc:"合計金額"`
	Requested  Amount `json:"requested" doc:"請求金額"`
}

// Shipment is one parcel's ship date, carrier and tracking number.
type Shipment struct {
	PackageKey     string `json:"package_key" doc:"送付先 (楽天の送付先) のキー"`
	ShipDate       string `json:"ship_date" format:"date" doc:"発送日 (日本時間)"`
	Carrier        string `json:"carrier" doc:"配送会社コード (1001 ヤマト運輸、1002 佐川急便、1003 日本郵便 など)"`
	CarrierName    string `json:"carrier_name"`
	TrackingNumber string `json:"tracking_number" doc:"配送番号 (お問い合せ番号)"`
	MarketplaceRef string `json:"marketplace_ref,omitempty" doc:"モール側の発送ID (楽天の shippingDetailId)。そのまま送り返す"`
}

// Event is one line of the order's history.
type Event struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	Kind        string    `json:"kind"`
	Actor       string    `json:"actor" doc:"ユーザーのログインID、または system:<処理>"`
	ActorLabel  string    `json:"actor_label" doc:"画面の表示: ユーザーのログインID、または 自動処理「注文確認」"`
	FromPhaseID int64     `json:"from_phase_id,omitempty" doc:"移動元の処理フェーズ (削除された処理フェーズでは省略し、名前だけを返します)"`
	ToPhaseID   int64     `json:"to_phase_id,omitempty" doc:"移動先の処理フェーズ (削除された処理フェーズでは省略し、名前だけを返します)"`
	// FromPhase and ToPhase name the phases, a deleted one by the name the event kept.
	FromPhase string `json:"from_phase,omitempty" doc:"移動元の処理フェーズ名"`
	ToPhase   string `json:"to_phase,omitempty" doc:"移動先の処理フェーズ名"`
	Text      string `json:"text" doc:"画面と同じ説明"`
}

// OrderDetail is everything about one order: what 注文個別確認 shows.
type OrderDetail struct {
	OrderSummary
	MarketplaceNumber    string          `json:"marketplace_number" doc:"モールに報告する注文番号 (分割した注文は元の番号)"`
	Buyer                order.Person    `json:"buyer"`
	Packages             []order.Package `json:"packages"`
	Lines                []Line          `json:"lines"`
	Amounts              Amounts         `json:"amounts"`
	PaymentMethod        string          `json:"payment_method"`
	Settlement           string          `json:"settlement" doc:"common: 楽天共通決済、selective: 選択制決済"`
	PaidOn               string          `json:"paid_on,omitempty" doc:"手動で入金確認した入金日 (YYYY-MM-DD)"`
	MarketplaceStatusRaw string          `json:"marketplace_status_raw" doc:"モールのステータス (そのまま)"`
	BundleParentID       int64           `json:"bundle_parent_id,omitempty" doc:"同梱子の同梱親"`
	SplitFromID          int64           `json:"split_from_id,omitempty" doc:"分割でできた注文の分割元"`
	Shipments            []Shipment      `json:"shipments"`
	ManualLinkStatuses   []Choice        `json:"manual_link_statuses" doc:"この注文に手動で設定できる連携ステータス"`
	SplitWarning         string          `json:"split_warning,omitempty" doc:"分割の前に知らせること (au PAY: 配送番号は1つ)"`
	CancelReasons        []Choice        `json:"cancel_reasons" doc:"この注文のモールが受け付けるキャンセル理由 (キャンセルできないモールでは空)"`
	Events               []Event         `json:"events"`
	Calls                []CallSummary   `json:"calls" doc:"この注文の連携履歴 (新しい順、最大100件)"`
	MarketplaceUpdatedAt *time.Time      `json:"marketplace_updated_at,omitempty"`
	CreatedAt            time.Time       `json:"created_at"`

	// MarketplaceStatusName, Remarks and Memo: issue 20 item 4.
	MarketplaceStatusName string `json:"marketplace_status_name" doc:"モールの画面でのステータス名 (楽天の 200 は「楽天処理中」)。名前のないモールでは marketplace_status_raw と同じ"`
	Remarks               string `json:"remarks" doc:"購入者がモールで書いた備考 (楽天の備考欄、au PAYの購入者コメント、Yahoo!のコメント)。取込で更新"`
	Memo                  string `json:"memo" doc:"店舗のメモ (備考・メモ)。PUT /orders/{id}/memo で変更し、取込では変わらない"`
}

type orderInput struct {
	ID int64 `path:"id" minimum:"1" doc:"注文ID"`
}

type orderOutput struct{ Body OrderDetail }

func (h *Handler) getOrder(ctx context.Context, in *orderInput) (*orderOutput, error) {
	d, err := h.orderDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: d}, nil
}

// orderDetail reads everything the order page shows.
func (h *Handler) orderDetail(ctx context.Context, id int64) (OrderDetail, error) {
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		return OrderDetail{}, err
	}
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return OrderDetail{}, err
	}
	events, err := h.deps.Store.ListOrderEvents(ctx, id)
	if err != nil {
		return OrderDetail{}, err
	}
	calls, err := h.deps.Store.ListCalls(ctx, store.CallQuery{OrderID: id, PageSize: 100})
	if err != nil {
		return OrderDetail{}, err
	}
	ch := c.shop[o.ShopID].Channel
	a := o.Amounts
	d := OrderDetail{OrderSummary: summaryOf(o, c), MarketplaceNumber: o.MarketplaceNumber(), Buyer: o.Buyer, Packages: o.Packages,
		Lines: make([]Line, len(o.Lines)), Amounts: Amounts{Goods: amountOf(a.Goods), Tax: amountOf(a.Tax), Postage: amountOf(a.Postage),
			PaymentFee: amountOf(a.PaymentFee), Discount: amountOf(a.Discount), Points: amountOf(a.Points), Total: amountOf(a.Total), Requested: amountOf(a.Requested)},
		PaymentMethod: o.PaymentMethod, Settlement: string(o.Settlement), PaidOn: o.PaidOn, MarketplaceStatusRaw: o.MarketplaceStatusRaw,
		MarketplaceStatusName: ch.StatusName(o.MarketplaceStatusRaw), Remarks: o.Remarks, Memo: o.Memo,
		BundleParentID: o.BundleParentID, SplitFromID: o.SplitFromID, Shipments: make([]Shipment, len(o.Shipments)),
		ManualLinkStatuses: []Choice{}, SplitWarning: ch.SplitWarning(), CancelReasons: []Choice{}, Events: make([]Event, len(events)),
		Calls: make([]CallSummary, len(calls)), MarketplaceUpdatedAt: timePtr(o.MarketplaceUpdatedAt), CreatedAt: o.CreatedAt}
	if d.Packages == nil {
		d.Packages = []order.Package{}
	}
	for i, l := range o.Lines {
		d.Lines[i] = Line{Index: i, PackageKey: l.PackageKey, SKU: l.SKU, Name: l.Name, Options: l.Options, UnitPrice: l.UnitPrice, Quantity: l.Quantity, TaxRate: l.TaxRate}
	}
	for i, s := range o.Shipments {
		carrier, _ := channel.CarrierByCode(s.Carrier)
		d.Shipments[i] = Shipment{PackageKey: s.PackageKey, ShipDate: s.ShipDate, Carrier: s.Carrier, CarrierName: carrier.Name,
			TrackingNumber: s.TrackingNumber, MarketplaceRef: s.MarketplaceRef}
	}
	if c := ch.Spec().Cancel; c != nil {
		for _, r := range c.Reasons {
			d.CancelReasons = append(d.CancelReasons, Choice{Value: r.Code, Label: r.Label})
		}
	}
	for _, l := range ch.ManualLinkStatuses() {
		d.ManualLinkStatuses = append(d.ManualLinkStatuses, Choice{Value: string(l), Label: l.Label()})
	}
	for i, e := range events {
		from, to := e.PhaseNames(func(id int64) string { return c.phase[id].Name })
		d.Events[i] = Event{ID: e.ID, At: e.At, Kind: string(e.Kind), Actor: e.Actor, FromPhaseID: e.FromPhaseID, ToPhaseID: e.ToPhaseID,
			FromPhase: from, ToPhase: to, Text: eventText(e, c), ActorLabel: workflow.ActorLabel(e.Actor)}
	}
	for i, cl := range calls {
		d.Calls[i] = callSummaryOf(cl)
	}
	return d, nil
}

// eventText describes an event as the order page does.
func eventText(e order.Event, c *catalog) string {
	return e.Text(func(id int64) string { return c.phase[id].Name })
}
