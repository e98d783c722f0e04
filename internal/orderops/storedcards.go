package orderops

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// A cart member's stored cards (お預かりカード, issue 16 item 9), found from an own-cart order
// placed by the member or by the member id on the shop's page: listed masked as webコレクト
// answers them (A03) and deleted one by one on the member's request (A05), each call through
// the shop's paced client (連携履歴), each delete in 操作履歴 with the member id and the masked
// card. ichigen never receives a card number.

// MemberCards is a member's stored cards as webコレクト lists them.
type MemberCards struct {
	Shop     shop.Shop
	MemberID string
	// OrderIDs are the member's orders ichigen holds, the newest first (a few).
	OrderIDs []int64
	Cards    []webcollect.CardData
}

// memberOrders shown beside the cards.
const memberOrders = 5

// OrderMember is the member an own-cart order was placed by; an order of a guest, or of another
// shop, is refused with why.
func OrderMember(ctx context.Context, st store.Store, orderID int64) (shop.Shop, string, error) {
	o, sh, err := ownshopOrder(ctx, st, orderID)
	if err != nil {
		return sh, "", err
	}
	m, ok := ownshop.MemberOf(o)
	if !ok {
		return sh, "", apperror.New(apperror.Invalid, "この注文はカートの会員の注文ではありません(会員IDがありません)。お預かりカードは会員の注文から開けます。")
	}
	return sh, m.ID, nil
}

// member finds a member of a shop by the member's latest order, which carries the member's
// authentication key.
func member(ctx context.Context, st store.Store, shopID int64, memberID string) (shop.Shop, webcollect.Member, []int64, error) {
	sh, err := st.GetShop(ctx, shopID)
	if err != nil {
		return sh, webcollect.Member{}, nil, err
	}
	if sh.Channel != shop.Channel(ownshop.Channel) {
		return sh, webcollect.Member{}, nil, apperror.New(apperror.Invalid, "お預かりカードは自社カートの店舗だけで扱えます。")
	}
	memberID = strings.TrimSpace(memberID)
	if memberID == "" {
		return sh, webcollect.Member{}, nil, apperror.New(apperror.Invalid, "会員IDを入力してください。")
	}
	ids, err := st.MemberOrders(ctx, sh.ID, memberID, memberOrders)
	if err != nil {
		return sh, webcollect.Member{}, nil, err
	}
	if len(ids) == 0 {
		return sh, webcollect.Member{}, nil, apperror.New(apperror.NotFound, "店舗「%s」に会員ID「%s」の注文がありません。会員IDを確かめてください(カートが会員IDと一緒に送った注文から会員を探します)。", sh.Name, memberID)
	}
	o, err := st.GetOrder(ctx, ids[0])
	if err != nil {
		return sh, webcollect.Member{}, nil, err
	}
	m, ok := ownshop.MemberOf(o)
	if !ok || m.ID != memberID {
		return sh, webcollect.Member{}, nil, apperror.New(apperror.NotFound, "会員ID「%s」の最新の注文 %s に会員の情報がありません。カートから注文を送り直してください。", memberID, o.Number)
	}
	return sh, m, ids, nil
}

// cardClient is the shop's own-cart client, paced and recorded as the jobs' calls are.
func cardClient(sh shop.Shop, client ClientFor) (*ownshop.Client, error) {
	if client == nil {
		return nil, apperror.New(apperror.Invalid, "このサーバーではクロネコwebコレクトを呼び出せません。")
	}
	c, err := client(sh)
	if err != nil {
		return nil, apperror.New(apperror.Invalid, "%s", err.Error())
	}
	oc, ok := c.(*ownshop.Client)
	if !ok {
		return nil, apperror.New(apperror.Invalid, "お預かりカードは自社カートの店舗だけで扱えます。")
	}
	return oc, nil
}

// gatewayError is a webコレクト error as the operator reads it.
func gatewayError(err error) error {
	var e *channel.Error
	if errors.As(err, &e) && e.Message != "" {
		return apperror.New(apperror.Invalid, "%s", e.Message)
	}
	return err
}

// StoredCards lists a member's stored cards, masked (A03).
func StoredCards(ctx context.Context, st store.Store, client ClientFor, shopID int64, memberID string) (MemberCards, error) {
	sh, m, ids, err := member(ctx, st, shopID, memberID)
	if err != nil {
		return MemberCards{}, err
	}
	c, err := cardClient(sh, client)
	if err != nil {
		return MemberCards{}, err
	}
	cards, err := c.StoredCards(channel.WithCall(ctx, "stored_cards", ids[0]), m)
	if err != nil {
		return MemberCards{}, gatewayError(err)
	}
	return MemberCards{Shop: sh, MemberID: m.ID, OrderIDs: ids, Cards: cards}, nil
}

// CardLabel is a stored card as 操作履歴 and the confirmation name it: masked, with its expiry.
func CardLabel(c webcollect.CardData) string {
	if len(c.CardExp) == 4 {
		return fmt.Sprintf("%s (有効期限 %s/%s)", c.MaskingCardNo, c.CardExp[:2], c.CardExp[2:])
	}
	return c.MaskingCardNo
}

// DeleteStoredCard deletes one of a member's stored cards on the member's request (A05) and
// records it in 操作履歴 with the member id and the masked card. It says what it did.
func DeleteStoredCard(ctx context.Context, st store.Store, client ClientFor, shopID int64, memberID, cardKey string) (string, error) {
	if cardKey == "" {
		return "", apperror.New(apperror.Invalid, "削除するカードを選んでください。")
	}
	sh, m, ids, err := member(ctx, st, shopID, memberID)
	if err != nil {
		return "", err
	}
	c, err := cardClient(sh, client)
	if err != nil {
		return "", err
	}
	card, err := c.DeleteStoredCard(channel.WithCall(ctx, "stored_card_delete", ids[0]), m, cardKey)
	if err != nil {
		return "", gatewayError(err)
	}
	e := store.AuditEvent{Actor: user.ActorOf(ctx), Action: "お預かりカードを削除", Target: fmt.Sprintf("%s 会員ID %s", sh.Name, m.ID), Detail: CardLabel(card)}
	if err := st.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		return "", fmt.Errorf("クロネコwebコレクトではカード %s を削除しましたが、操作履歴に記録できませんでした: %w", card.MaskingCardNo, err)
	}
	return fmt.Sprintf("会員ID %s のお預かりカード %s を削除しました。", m.ID, card.MaskingCardNo), nil
}
