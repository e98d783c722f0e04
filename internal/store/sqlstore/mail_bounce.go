package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// BounceMail implements store.Store.
func (s *Store) BounceMail(ctx context.Context, b buyermail.Bounce) (buyermail.Record, bool, error) {
	var rec buyermail.Record
	var known bool
	err := s.write(ctx, func(t *tx) error {
		rows, err := t.q.GetOrderMailByMessageID(ctx, b.MessageID)
		if err != nil || len(rows) == 0 {
			return err
		}
		known = true
		message := b.Message()
		n, err := t.q.BounceOrderMail(ctx, sqlitedb.BounceOrderMailParams{ID: rows[0].ID, Message: message, UpdatedAt: s.now()})
		if err != nil {
			return err
		}
		row, err := t.q.GetOrderMail(ctx, rows[0].ID)
		if err != nil {
			return err
		}
		rec = recordFromRow(row)
		if n == 0 { // a report sent twice: recorded once
			return nil
		}
		text := fmt.Sprintf("メール「%s」%s: 件名「%s」 宛先 %s — %s", row.TemplateName, buyermail.Bounced.Label(), row.Subject, row.Recipient, message)
		return t.AddOrderEvents(ctx, []order.Event{{OrderID: row.OrderID, Kind: order.EventMail, Actor: "system:bounce", Message: text}})
	})
	if err != nil {
		return buyermail.Record{}, false, fmt.Errorf("record bounce of mail %s: %w", b.MessageID, err)
	}
	return rec, known, nil
}

// CountBouncedMails implements store.Store.
func (s *Store) CountBouncedMails(ctx context.Context, shopID int64, since time.Time) (int64, error) {
	n, err := s.reader.CountBouncedMails(ctx, sqlitedb.CountBouncedMailsParams{ShopID: shopID, Since: since})
	if err != nil {
		return 0, fmt.Errorf("count bounced mails of shop %d: %w", shopID, err)
	}
	return n, nil
}

// ListBouncedMails implements store.Store.
func (s *Store) ListBouncedMails(ctx context.Context, shopID int64, since time.Time, limit int) ([]buyermail.Record, error) {
	rows, err := s.reader.ListBouncedMails(ctx, sqlitedb.ListBouncedMailsParams{ShopID: shopID, Since: since, PageSize: int64(max(limit, 1))})
	if err != nil {
		return nil, fmt.Errorf("list bounced mails of shop %d: %w", shopID, err)
	}
	return recordsFromRows(rows), nil
}
