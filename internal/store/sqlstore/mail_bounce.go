package sqlstore

import (
	"context"
	"database/sql"
	"errors"
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
		var rows []sqlitedb.OrderMail
		if b.MessageID != "" {
			found, err := t.q.GetOrderMailByMessageID(ctx, b.MessageID)
			if err != nil {
				return err
			}
			// A report that reached a shop's bounce address is that shop's: it names no other
			// shop's mail.
			if len(found) > 0 && (b.ShopID == 0 || found[0].ShopID == b.ShopID) {
				rows = found
			}
		}
		if len(rows) == 0 && b.ShopID != 0 {
			// No Message-ID of ours (the server returned no headers): the shop's newest mail to
			// each failed recipient.
			for _, f := range b.Failed {
				found, err := t.q.GetShopMailByRecipient(ctx, sqlitedb.GetShopMailByRecipientParams{ShopID: b.ShopID, Recipient: f.Recipient})
				if err != nil {
					return err
				}
				rows = append(rows, found...)
			}
		}
		for i, r := range rows {
			known = true
			got, err := s.bounceOne(ctx, t, r.ID, b.Message())
			if err != nil {
				return err
			}
			if i == 0 {
				rec = got
			}
		}
		return nil
	})
	if err != nil {
		return buyermail.Record{}, false, fmt.Errorf("record bounce of mail %s: %w", b.MessageID, err)
	}
	return rec, known, nil
}

// bounceOne marks one mail bounced, with a history line the first time.
func (s *Store) bounceOne(ctx context.Context, t *tx, id int64, message string) (buyermail.Record, error) {
	n, err := t.q.BounceOrderMail(ctx, sqlitedb.BounceOrderMailParams{ID: id, Message: message, UpdatedAt: s.now()})
	if err != nil {
		return buyermail.Record{}, err
	}
	row, err := t.q.GetOrderMail(ctx, id)
	if err != nil {
		return buyermail.Record{}, err
	}
	if n == 0 { // a report sent twice: recorded once
		return recordFromRow(row), nil
	}
	text := fmt.Sprintf("メール「%s」%s: 件名「%s」 宛先 %s — %s", row.TemplateName, buyermail.Bounced.Label(), row.Subject, row.Recipient, message)
	err = t.AddOrderEvents(ctx, []order.Event{{OrderID: row.OrderID, Kind: order.EventMail, Actor: "system:bounce", Message: text}})
	return recordFromRow(row), err
}

// ListUnacknowledgedBounces implements store.Store.
func (s *Store) ListUnacknowledgedBounces(ctx context.Context, shopID int64) ([]buyermail.Record, error) {
	rows, err := s.reader.ListUnacknowledgedBounces(ctx, shopID)
	if err != nil {
		return nil, fmt.Errorf("list unacknowledged bounces of shop %d: %w", shopID, err)
	}
	return recordsFromRows(rows), nil
}

// AcknowledgeBounces implements store.Store.
func (s *Store) AcknowledgeBounces(ctx context.Context, shopID int64, mailIDs []int64, actor, note string) ([]buyermail.Record, error) {
	var out []buyermail.Record
	err := s.write(ctx, func(t *tx) error {
		out = nil
		now := s.now()
		var events []order.Event
		for _, id := range mailIDs {
			row, err := t.q.GetOrderMail(ctx, id)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && row.ShopID != shopID) {
				continue
			}
			if err != nil {
				return err
			}
			n, err := t.q.AcknowledgeOrderMail(ctx, sqlitedb.AcknowledgeOrderMailParams{ID: id,
				AcknowledgedAt: sql.NullTime{Time: now, Valid: true}, AcknowledgedBy: actor, AcknowledgedNote: note})
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			row.AcknowledgedAt, row.AcknowledgedBy, row.AcknowledgedNote = sql.NullTime{Time: now, Valid: true}, actor, note
			out = append(out, recordFromRow(row))
			text := fmt.Sprintf("メール「%s」の不達を確認済みにしました(宛先 %s)", row.TemplateName, row.Recipient)
			if note != "" {
				text += ": " + note
			}
			events = append(events, order.Event{OrderID: row.OrderID, Kind: order.EventMail, Actor: actor, Message: text})
		}
		if len(events) == 0 {
			return nil
		}
		return t.AddOrderEvents(ctx, events)
	})
	if err != nil {
		return nil, fmt.Errorf("acknowledge bounces of shop %d: %w", shopID, err)
	}
	return out, nil
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
