package api

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// A cart member's stored cards (お預かりカード, issue 16 item 9) in the REST API: listed masked as
// webコレクト answers them (A03), one deleted on the member's request (A05, update permission,
// recorded in 操作履歴). ichigen never receives a card number.

// StoredCard is one stored card, masked.
type StoredCard struct {
	CardKey        string `json:"card_key" doc:"webコレクトのカード識別キー (削除に使う)"`
	MaskedNumber   string `json:"masked_number" example:"************1111" doc:"マスクされたカード番号 (下4桁のみ)"`
	Expiry         string `json:"expiry" example:"1229" doc:"有効期限 (MMYY)"`
	Owner          string `json:"owner" doc:"カード名義"`
	LastCreditDate string `json:"last_credit_date" example:"20261203101503" doc:"最終利用日時 (YYYYMMDDHHMMSS)"`
}

// StoredCards is a member's stored cards.
type StoredCards struct {
	ShopID   int64        `json:"shop_id"`
	MemberID string       `json:"member_id"`
	OrderIDs []int64      `json:"order_ids" doc:"この会員の注文ID (新しい順、最大5件)"`
	Cards    []StoredCard `json:"cards" doc:"お預かりカード (最大3枚)"`
}

type storedCardsInput struct {
	ID     int64  `path:"id" minimum:"1" doc:"自社カート店舗のID"`
	Member string `path:"member" maxLength:"64" doc:"会員ID"`
}

type storedCardsOutput struct {
	Body StoredCards
}

func (h *Handler) listStoredCards(ctx context.Context, in *storedCardsInput) (*storedCardsOutput, error) {
	found, err := orderops.StoredCards(ctx, h.deps.Store, h.deps.Client, in.ID, in.Member)
	if err != nil {
		return nil, err
	}
	out := StoredCards{ShopID: found.Shop.ID, MemberID: found.MemberID, OrderIDs: found.OrderIDs, Cards: []StoredCard{}}
	for _, c := range found.Cards {
		out.Cards = append(out.Cards, StoredCard{CardKey: c.CardKey, MaskedNumber: c.MaskingCardNo, Expiry: c.CardExp, Owner: c.CardOwner, LastCreditDate: c.LastCreditDate})
	}
	return &storedCardsOutput{Body: out}, nil
}

type deleteStoredCardInput struct {
	ID      int64  `path:"id" minimum:"1" doc:"自社カート店舗のID"`
	Member  string `path:"member" maxLength:"64" doc:"会員ID"`
	CardKey string `path:"card_key" maxLength:"20" doc:"削除するカードの card_key (一覧で返したもの)"`
}

func (h *Handler) deleteStoredCard(ctx context.Context, in *deleteStoredCardInput) (*messageOutput, error) {
	msg, err := orderops.DeleteStoredCard(ctx, h.deps.Store, h.deps.Client, in.ID, in.Member, in.CardKey)
	if err != nil {
		return nil, err
	}
	return &messageOutput{Body: MessageResult{Message: msg}}, nil
}
