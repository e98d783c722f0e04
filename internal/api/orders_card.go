package api

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/user"
)

type cancelCardPaymentsInput struct {
	Body struct {
		IDs []int64 `json:"ids" minItems:"1" maxItems:"100" doc:"注文ID (1件でも、まとめてでも)"`
	}
}

// CardResult is what became of one order's card payment.
type CardResult struct {
	ID            int64  `json:"id"`
	OK            bool   `json:"ok"`
	PaymentStatus string `json:"payment_status,omitempty"`
	Message       string `json:"message"`
}

type cardResultsOutput struct {
	Body struct {
		Results []CardResult `json:"results"`
		Message string       `json:"message"`
	}
}

// cancelCardPayments cancels the card payment of each order (the own cart's webコレクト, A06),
// only while 仮売上: the order becomes 注文キャンセル. In 決済完了 it is refused with the seed's
// instruction (use webコレクト's management screen); in 要確認 it is not sent, saying why. Each
// order's outcome is reported; one refusal does not stop the others.
func (h *Handler) cancelCardPayments(ctx context.Context, in *cancelCardPaymentsInput) (*cardResultsOutput, error) {
	if h.deps.Client == nil {
		return nil, apperror.New(apperror.Invalid, "このサーバーではカード決済を操作できません。")
	}
	out := &cardResultsOutput{}
	done := 0
	for _, r := range orderops.CancelCards(ctx, h.deps.Store, h.deps.Client, in.Body.IDs, user.ActorOf(ctx)) {
		if r.OK {
			done++
		}
		out.Body.Results = append(out.Body.Results, CardResult{ID: r.ID, OK: r.OK, PaymentStatus: string(r.PaymentStatus), Message: r.Message})
	}
	out.Body.Message = fmt.Sprintf("%d件のうち%d件のカード決済をキャンセルしました。", len(out.Body.Results), done)
	return out, nil
}
