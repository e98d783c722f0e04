package ownshop

import (
	"fmt"
	"slices"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// The payment methods a cancelled webコレクト order may change to (seed 004, 変更が可能な決済方法一覧:
// from クロネコwebコレクト クレジット, コンビニ, クロネコ クレカ払い and クロネコ代金後払い alike,
// once 注文キャンセル済み).
const (
	TargetBankTransfer = "銀行振込"
	TargetOptional     = "任意決済"
	TargetCOD          = "代金引換"
	TargetAtobaraiCom  = "後払い.com"
	TargetNPAtobarai   = "NP後払い" // △: only for a shop that runs NP後払い by CSV (手動連携)
)

// MethodTargets lists the methods an order may change to; npByCSV says the shop runs NP後払い by
// CSV (手動連携(CSV運用)).
func MethodTargets(npByCSV bool) []string {
	out := []string{TargetBankTransfer, TargetOptional, TargetCOD, TargetAtobaraiCom}
	if npByCSV {
		out = append(out, TargetNPAtobarai)
	}
	return out
}

// MsgFeeReset is the warning a method change leaves on the order (seed 004: the new method's
// fee is 0).
const MsgFeeReset = "決済方法を変更したため、変更後の決済の手数料は0円になりました。注文金額を確認のうえ、必要に応じて手数料を修正してください。"

// ChangeMethod is the seed's 決済方法の変更: only after the cancel (注文キャンセル), to a method of
// the table; the new method's fee is 0 (the total follows), the payment is 未入金 and the order
// goes back from キャンセル to 未配送 (awaiting shipment). The caller stores it and leaves
// MsgFeeReset on the order.
func ChangeMethod(o order.Order, target string, npByCSV bool) (order.Order, error) {
	if o.PaymentStatus != order.CardCancelled {
		return o, apperror.New(apperror.Conflict, "決済方法の変更は、キャンセル処理(決済ステータス「注文キャンセル」)のあとにおこなえます。いまの決済ステータスは「%s」です。", o.PaymentStatus.Label())
	}
	if !slices.Contains(MethodTargets(npByCSV), target) {
		if target == TargetNPAtobarai {
			return o, apperror.New(apperror.Invalid, "NP後払いへの変更は、NP後払いを「手動連携(CSV運用)」で利用している店舗だけおこなえます。")
		}
		return o, apperror.New(apperror.Invalid, "「%s」には変更できません。変更できる決済方法: %v", target, MethodTargets(npByCSV))
	}
	fee, _ := o.Amounts.PaymentFee.Value()
	total, fixed := o.Amounts.Total.Value()
	o.PaymentMethod, o.PaymentStatus = target, order.Unpaid
	o.Amounts.PaymentFee = order.YenOf(0)
	if fixed {
		o.Amounts.Total, o.Amounts.Requested = order.YenOf(total-fee), order.YenOf(total-fee)
	}
	o.MarketplaceStatus, o.MarketplaceStatusRaw = order.StatusAwaitingShipment, fmt.Sprintf("method_changed:%s", target)
	return o, nil
}
