package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
)

// AcknowledgeBounces implements store.Store: marking bounces 確認済み takes them off 要対応, so
// who did it, on which mails and with what note is kept in 操作履歴 (the orders' histories have
// a line each).
func (s *Store) AcknowledgeBounces(ctx context.Context, shopID int64, mailIDs []int64, actor, note string) ([]buyermail.Record, error) {
	recs, err := s.Store.AcknowledgeBounces(ctx, shopID, mailIDs, actor, note)
	if err != nil || len(recs) == 0 {
		return recs, err
	}
	var to []string
	for _, r := range recs {
		to = append(to, r.Recipient)
	}
	detail := fmt.Sprintf("%d件 (%s)", len(recs), strings.Join(to, ", "))
	if note != "" {
		detail += " メモ: " + note
	}
	s.record(ctx, nil, "不達メールを確認済みに", s.shopName(ctx, shopID), detail)
	return recs, nil
}
