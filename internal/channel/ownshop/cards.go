package ownshop

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
)

// Stored cards (お預かりカード, issue 16 item 9): a cart member's cards kept at webコレクト,
// listed masked (A03) and deleted one by one on the member's request (A05). ichigen never holds a
// card number: it knows the member by the member id (and authentication key) the cart sent with
// the member's orders. A04 (changing a stored card) is not offered: no public client calls it
// (Yamato Financial's EC-CUBE2 module, tarosky/kuroneko-pay for WooCommerce and the CS-Cart addon
// only name its URL), and a change needs the card's data, which only the cart's card form holds.

// MaxMemberID bounds a member id and an authentication key (webコレクト publishes no length;
// the public clients send a customer number or "wc-<user id>" and an 8-character key).
const MaxMemberID = 64

// CheckMember says what is wrong with a member id and key ("" when nothing is): half-width,
// printable, at most MaxMemberID characters, and no key without a member id.
func CheckMember(id, key string) string {
	bad := func(v string) bool {
		return len(v) > MaxMemberID || strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0
	}
	switch {
	case id == "" && key != "":
		return "authentication_key(認証キー)は member_id(会員ID)と一緒に送ってください。"
	case bad(id):
		return "member_id(会員ID)は半角英数字と記号で64文字までにしてください。"
	case bad(key):
		return "authentication_key(認証キー)は半角英数字と記号で64文字までにしてください。"
	}
	return ""
}

// MemberOf is the cart member an order was placed by (from the order as the cart or the CSV
// sent it), false for a guest's order. The authentication key defaults to the member id.
func MemberOf(o order.Order) (webcollect.Member, bool) {
	var c CartOrder
	if json.Unmarshal(o.RawPayload, &c) != nil || c.Payment.MemberID == "" {
		return webcollect.Member{}, false
	}
	key := c.Payment.AuthenticationKey
	if key == "" {
		key = c.Payment.MemberID
	}
	return webcollect.Member{ID: c.Payment.MemberID, AuthenticationKey: key}, true
}

// StoredCards lists a member's stored cards at webコレクト, masked (A03). A card whose number
// comes back unmasked is dropped rather than shown.
func (c *Client) StoredCards(ctx context.Context, m webcollect.Member) ([]webcollect.CardData, error) {
	if c.Gateway.AccessKey == "" {
		return nil, errNoAccessKey
	}
	cards, err := c.Gateway.StoredCards(ctx, m)
	if err != nil {
		return nil, cardError(err)
	}
	out := cards[:0]
	for _, card := range cards {
		if card.Masked() {
			out = append(out, card)
		}
	}
	return out, nil
}

// DeleteStoredCard deletes one of a member's stored cards (A05), named by its card key: the card
// is read (A03) first for its last credit date, which A05 needs. It returns the card as A03
// showed it, masked.
func (c *Client) DeleteStoredCard(ctx context.Context, m webcollect.Member, cardKey string) (webcollect.CardData, error) {
	cards, err := c.StoredCards(ctx, m)
	if err != nil {
		return webcollect.CardData{}, err
	}
	for _, card := range cards {
		if card.CardKey == cardKey {
			if err := c.Gateway.DeleteStoredCard(ctx, m, card); err != nil {
				return card, cardError(err)
			}
			return card, nil
		}
	}
	return webcollect.CardData{}, refuse(webcollect.FuncCreditInfoDelete.Name, MsgNoStoredCard)
}

// The stored-card refusals, in the operator's words.
const (
	MsgNoStoredCard = "このカードはクロネコwebコレクトにお預かりされていません(すでに削除されたのかもしれません)。一覧を読み直してから操作してください。"
	MsgCardCheckSum = "クロネコwebコレクトがチェックサムを受け付けませんでした。店舗設定の「クロネコwebコレクト アクセスキー」が契約のアクセスキーと同じか確認してください。"
)

var errNoAccessKey = refuse(webcollect.FuncCreditInfoGet.Name, "お預かりカードを扱うには、店舗設定に「クロネコwebコレクト アクセスキー」(契約時に発行された7桁の数字)を入力してください。")

// cardError puts webコレクト's stored-card refusals in the operator's words, with what to do.
func cardError(err error) error {
	var e *channel.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case webcollect.CodeCardInfoCheckSum, webcollect.CodeCardDeleteCheckSum:
		e.Message = MsgCardCheckSum + "(" + e.Code + ")"
	case webcollect.CodeCardDeleteNoCard:
		e.Message = MsgNoStoredCard + "(" + e.Code + ")"
	}
	return e
}
