package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// maxCartOrder bounds one posted cart order: 200 lines of a few hundred bytes.
const maxCartOrder = 256 << 10

type cartOrderInput struct {
	ID        int64  `path:"id" minimum:"1" doc:"自社カート店舗のID"`
	Signature string `header:"X-Ichigen-Signature" doc:"\"sha256=\" と、リクエスト本文そのもの(バイト列)の HMAC-SHA256 を16進小文字で。鍵は店舗設定の「カート連携の署名キー」"`
	RawBody   []byte `contentType:"application/json"`
}

// CartOrderResult is what the intake answers.
type CartOrderResult struct {
	OrderID int64  `json:"order_id" doc:"ichigen の注文ID"`
	Status  string `json:"status" enum:"created,updated,unchanged" doc:"created: 新しい注文 / updated: 仮売上の注文を更新 / unchanged: 同じ内容で受付済み"`
	Message string `json:"message"`
}

type cartOrderOutput struct {
	Body CartOrderResult
}

// msgBadSignature answers every request that cannot be shown to come from the shop's cart (no
// such own-cart shop, no signature, a wrong one), alike, so that nobody learns which shops exist.
const msgBadSignature = "署名(X-Ichigen-Signature)を確認できませんでした。店舗IDと、署名キーが ichigen の店舗設定「カート連携の署名キー」と同じか確認し、本文そのものの HMAC-SHA256 を \"sha256=<16進小文字>\" で送ってください。"

// intakeCartOrder takes one order posted by an own cart: signed with the shop's cart secret,
// idempotent on the cart's order number (an order sent twice is one order), and a change to an
// order still in 仮売上 (or 要確認) updates it; an order whose payment has moved on (決済完了,
// 注文キャンセル…) is not changed by the cart, and the answer says so.
func (h *Handler) intakeCartOrder(ctx context.Context, in *cartOrderInput) (*cartOrderOutput, error) {
	sh, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil && !apperror.Is(err, apperror.NotFound) {
		return nil, err
	}
	if err != nil || sh.Channel != shop.Channel(ownshop.Channel) || !ownshop.Verify(sh.Credentials.Plain()["cartSecret"], in.RawBody, in.Signature) {
		return nil, huma.NewError(http.StatusUnauthorized, msgBadSignature)
	}
	dec := json.NewDecoder(bytes.NewReader(in.RawBody))
	dec.DisallowUnknownFields()
	var c ownshop.CartOrder
	if err := dec.Decode(&c); err != nil {
		return nil, huma.NewError(http.StatusBadRequest, fmt.Sprintf("本文を注文(JSON)として読めませんでした: %v。OpenAPI の CartOrder の形で送ってください。", err))
	}
	if problems := ownshop.Check(c); len(problems) > 0 {
		return nil, huma.NewError(http.StatusUnprocessableEntity, "注文を受け付けられません: "+strings.Join(problems, " "))
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.OrderedAt
	}
	o := ownshop.ToOrder(c)
	existing, err := h.deps.Store.GetOrderByNumber(ctx, sh.ID, c.Number)
	found := err == nil
	if err != nil && !apperror.Is(err, apperror.NotFound) {
		return nil, err
	}
	if found {
		if bytes.Equal(existing.RawPayload, o.RawPayload) {
			if err := h.setCartMember(ctx, sh.ID, existing.ID, c); err != nil {
				return nil, err
			}
			return &cartOrderOutput{Body: CartOrderResult{OrderID: existing.ID, Status: "unchanged", Message: "同じ内容の注文を受付済みです。"}}, nil
		}
		if existing.PaymentStatus != order.CardAuthorized && existing.PaymentStatus != order.CardUnsettled && existing.PaymentStatus.Card() {
			return nil, huma.NewError(http.StatusConflict, fmt.Sprintf("注文 %s は決済ステータスが「%s」のため、カートからは変更できません(「仮売上」の注文だけ変更できます)。", c.Number, existing.PaymentStatus.Label()))
		}
		if !o.MarketplaceUpdatedAt.After(existing.MarketplaceUpdatedAt) {
			return nil, huma.NewError(http.StatusConflict, fmt.Sprintf("注文 %s には updated_at がこれより新しい内容を受付済みです。変更を送るときは updated_at を進めてください。", c.Number))
		}
	}
	res, err := h.deps.Queue.StoreOrders(ctx, h.deps.Store, sh, []order.Order{o}, found, "cart:"+sh.Code)
	if err != nil {
		return nil, err
	}
	if err := h.setCartMember(ctx, sh.ID, res.IDs[0], c); err != nil {
		return nil, err
	}
	out := CartOrderResult{OrderID: res.IDs[0], Status: "created", Message: "注文を受け付けました。"}
	if found {
		out.Status, out.Message = "updated", "注文を更新しました。"
	}
	return &cartOrderOutput{Body: out}, nil
}

// setCartMember records the member the order was placed by (none: a guest's), also when the
// order was taken already, so that a retry completes what a failure here left undone.
func (h *Handler) setCartMember(ctx context.Context, shopID, orderID int64, c ownshop.CartOrder) error {
	return h.deps.Store.SetOrderMembers(ctx, shopID, map[int64]string{orderID: c.Payment.MemberID})
}

// registerCartIntake registers the intake with its request body documented as a CartOrder, with
// an example a cart developer can copy, and no bearer token (the signature stands for it).
func (h *Handler) registerCartIntake(api huma.API, op huma.Operation) {
	op.Security = []map[string][]string{}
	op.MaxBodyBytes = maxCartOrder
	op.SkipValidateBody = true // the signature is checked first, then the handler reads the body itself
	op.Errors = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusConflict, http.StatusUnprocessableEntity}
	op.Description = "自社カートが注文を1件ずつ送ります。APIトークンは不要で、代わりに X-Ichigen-Signature ヘッダーに本文の HMAC-SHA256(鍵: 店舗設定の「カート連携の署名キー」)を付けます。" +
		"同じ order_number は何度送っても1件の注文です(同じ内容なら unchanged)。決済ステータスが「仮売上」の間は、updated_at を進めて送り直すと注文が更新されます。\n\n" +
		"署名の例(シェル): `sig=sha256=$(openssl dgst -sha256 -hmac \"$SECRET\" -hex < order.json | sed 's/^.* //')`、" +
		"`curl -X POST -H 'Content-Type: application/json' -H \"X-Ichigen-Signature: $sig\" --data-binary @order.json https://ichigen.example.jp/api/v1/ownshop/shops/1/orders`"
	handle(h, h.intakeCartOrder)(api, op)
	schema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[ownshop.CartOrder](), true, "CartOrder")
	if item := api.OpenAPI().Paths[op.Path]; item != nil && item.Post != nil && item.Post.RequestBody != nil {
		item.Post.RequestBody.Required = true
		item.Post.RequestBody.Content["application/json"] = &huma.MediaType{Schema: schema, Example: cartOrderExample}
	}
}

var cartOrderExample = func() ownshop.CartOrder {
	at := time.Date(2026, 12, 3, 10, 15, 0, 0, order.JST)
	buyer := ownshop.CartPerson{Name: "山田 太郎", Kana: "ヤマダ タロウ", Email: "taro@example.jp", Phone: "090-1234-5678", Zip: "100-0005", Address: "東京都千代田区丸の内1-1-1"}
	return ownshop.CartOrder{Number: "C-20261203-0001", OrderedAt: at, UpdatedAt: at, Buyer: buyer, ShipTo: buyer,
		Lines:   []ownshop.CartLine{{SKU: "TEA-001", Name: "静岡煎茶 特上 100g", UnitPrice: 1080, Quantity: 2, TaxRate: 8}},
		Postage: 550, Total: 2710,
		Payment: ownshop.CartPay{Method: ownshop.MethodWebcollectCard, TraderCode: "888888709", OrderNo: "C202612030001", Amount: 2710, AuthorizedAt: at.Add(3 * time.Second),
			MemberID: "M-000123", AuthenticationKey: "k7f3a9c1"}}
}()
