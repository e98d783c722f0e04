package packing

import (
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// CheckSender refuses a shop's ご依頼主 a label of the layout cannot be printed with, saying
// what to enter.
func CheckSender(s shop.Sender, shopName string, l Layout) error {
	var missing []string
	if strings.TrimSpace(s.Name) == "" {
		missing = append(missing, "ご依頼主名")
	}
	if strings.TrimSpace(s.Phone) == "" {
		missing = append(missing, "電話番号")
	}
	if strings.TrimSpace(s.Zip) == "" {
		missing = append(missing, "郵便番号")
	}
	if strings.TrimSpace(s.Address) == "" {
		missing = append(missing, "住所")
	}
	if l == Yamato && len(digits(s.YamatoCustomerCode)) < 10 {
		missing = append(missing, "ヤマト運輸の請求先顧客コード(10〜12桁)")
	}
	if len(missing) > 0 {
		return apperror.New(apperror.Invalid, "店舗「%s」のご依頼主が未登録のため送り状データを出力できません。設定 > 店舗 > 出荷設定で%sを登録してください。", shopName, strings.Join(missing, "、"))
	}
	return nil
}
