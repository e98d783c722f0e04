package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
)

// ListMailTemplates implements store.Store.
func (s *Store) ListMailTemplates(ctx context.Context, shopID int64) ([]buyermail.Template, error) {
	var rows []sqlitedb.MailTemplate
	var err error
	if shopID == 0 {
		rows, err = s.reader.ListMailTemplates(ctx)
	} else {
		rows, err = s.reader.ListShopMailTemplates(ctx, nullID(shopID))
	}
	if err != nil {
		return nil, fmt.Errorf("list mail templates: %w", err)
	}
	out := make([]buyermail.Template, len(rows))
	for i, r := range rows {
		out[i] = templateFromRow(r)
	}
	return out, nil
}

// GetMailTemplate implements store.Store.
func (s *Store) GetMailTemplate(ctx context.Context, id int64) (buyermail.Template, error) {
	row, err := s.reader.GetMailTemplate(ctx, id)
	if err != nil {
		return buyermail.Template{}, notFound(err, "メールテンプレート")
	}
	return templateFromRow(row), nil
}

// SaveMailTemplate implements store.Store.
func (s *Store) SaveMailTemplate(ctx context.Context, t buyermail.Template) (buyermail.Template, error) {
	if t.Charset == "" {
		t.Charset = buyermail.UTF8
	}
	if err := t.Validate(); err != nil {
		return buyermail.Template{}, err
	}
	t.UpdatedAt = s.now()
	err := s.write(ctx, func(tx *tx) error {
		if t.ID == 0 {
			id, err := createTemplate(ctx, tx.q, t)
			t.ID = id
			return err
		}
		n, err := tx.q.UpdateMailTemplate(ctx, sqlitedb.UpdateMailTemplateParams{ID: t.ID, Name: t.Name, Subject: t.Subject, Body: t.Body,
			Charset: string(t.Charset), UpdatedAt: t.UpdatedAt})
		return mustAffect(n, err, "メールテンプレート")
	})
	if err != nil {
		return buyermail.Template{}, err
	}
	return s.GetMailTemplate(ctx, t.ID)
}

func createTemplate(ctx context.Context, q sqlitedb.Querier, t buyermail.Template) (int64, error) {
	id, err := q.CreateMailTemplate(ctx, sqlitedb.CreateMailTemplateParams{ShopID: nullID(t.ShopID), Name: t.Name, Subject: t.Subject,
		Body: t.Body, Charset: string(t.Charset), UpdatedAt: t.UpdatedAt})
	if err != nil {
		return 0, fmt.Errorf("create mail template %s: %w", t.Name, err)
	}
	return id, nil
}

// DeleteMailTemplate implements store.Store.
func (s *Store) DeleteMailTemplate(ctx context.Context, id int64) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.CountRulesWithTemplate(ctx, nullID(id))
		if err != nil {
			return err
		}
		if n > 0 {
			return apperror.New(apperror.Conflict, "このメールテンプレートは自動処理「メール送信」が使っています。自動処理で別のテンプレートを選んでから削除してください。")
		}
		n, err = t.q.DeleteMailTemplate(ctx, id)
		return mustAffect(n, err, "メールテンプレート")
	})
}

func templateFromRow(r sqlitedb.MailTemplate) buyermail.Template {
	return buyermail.Template{ID: r.ID, ShopID: r.ShopID.Int64, Name: r.Name, Subject: r.Subject, Body: r.Body,
		Charset: buyermail.Charset(r.Charset), UpdatedAt: r.UpdatedAt}
}

// MailSettings implements store.Store.
func (s *Store) MailSettings(ctx context.Context, shopID int64) (buyermail.Settings, error) {
	row, err := s.reader.GetShopMailSettings(ctx, shopID)
	if errors.Is(err, sql.ErrNoRows) {
		return buyermail.Settings{ShopID: shopID}, nil
	}
	if err != nil {
		return buyermail.Settings{}, fmt.Errorf("read mail settings of shop %d: %w", shopID, err)
	}
	var password []byte
	if len(row.Password) > 0 {
		if password, err = s.cfg.Box.Open(row.Password); err != nil {
			return buyermail.Settings{}, fmt.Errorf("open the SMTP password of shop %d: %w", shopID, err)
		}
	}
	return buyermail.Settings{ShopID: row.ShopID, Host: row.Host, Port: int(row.Port), TLS: buyermail.TLSMode(row.TlsMode),
		Username: row.Username, Password: string(password), From: row.Sender, ReplyTo: row.ReplyTo, PerSecond: row.PerSecond,
		InsecureSkipVerify: row.InsecureSkipVerify, UpdatedAt: row.UpdatedAt}, nil
}

// SaveMailSettings implements store.Store.
func (s *Store) SaveMailSettings(ctx context.Context, ms buyermail.Settings) error {
	if ms.Password == "" && ms.Username != "" {
		saved, err := s.MailSettings(ctx, ms.ShopID)
		if err != nil {
			return err
		}
		ms.Password = saved.Password
	}
	if err := ms.Validate(); err != nil {
		return err
	}
	var sealed []byte
	if ms.Password != "" {
		sealed = s.cfg.Box.Seal([]byte(ms.Password))
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.q.GetShop(ctx, ms.ShopID); err != nil {
			return notFound(err, "店舗")
		}
		return t.q.SaveShopMailSettings(ctx, sqlitedb.SaveShopMailSettingsParams{ShopID: ms.ShopID, Host: ms.Host, Port: int64(ms.Port),
			TlsMode: string(ms.TLS), Username: ms.Username, Password: sealed, Sender: ms.From, ReplyTo: ms.ReplyTo, PerSecond: ms.PerSecond,
			InsecureSkipVerify: ms.InsecureSkipVerify, UpdatedAt: s.now()})
	})
}

// BeginMail implements store.Store. The unique index order_mails_once is the last word when two
// requests race past the check.
func (s *Store) BeginMail(ctx context.Context, r buyermail.Record) (buyermail.Record, []buyermail.Record, error) {
	var earlier []buyermail.Record
	r.State, r.CreatedAt = buyermail.Sending, s.now()
	r.UpdatedAt = r.CreatedAt
	err := s.write(ctx, func(t *tx) error {
		rows, err := t.q.ListOrderMailsOf(ctx, sqlitedb.ListOrderMailsOfParams{OrderID: r.OrderID, TemplateID: r.TemplateID})
		if err != nil {
			return err
		}
		for _, row := range rows {
			if r.Request == buyermail.RuleRequest || row.Request == r.Request {
				earlier = append(earlier, recordFromRow(row))
			}
		}
		if len(earlier) > 0 {
			return nil
		}
		r.ID, err = t.q.InsertOrderMail(ctx, sqlitedb.InsertOrderMailParams{OrderID: r.OrderID, ShopID: r.ShopID, TemplateID: r.TemplateID,
			TemplateName: r.TemplateName, Request: r.Request, State: string(r.State), Recipient: r.Recipient, Subject: r.Subject, Body: r.Body,
			MessageID: r.MessageID, Message: r.Message, Actor: r.Actor, CreatedAt: r.CreatedAt})
		return s.conflictIfUnique(err, "この注文にはこのメールを既に送信しています。")
	})
	if err != nil {
		return buyermail.Record{}, nil, fmt.Errorf("mark mail %s of order %d: %w", r.TemplateName, r.OrderID, err)
	}
	if len(earlier) > 0 {
		return buyermail.Record{}, earlier, nil
	}
	return r, nil, nil
}

// FinishMail implements store.Store.
func (s *Store) FinishMail(ctx context.Context, id int64, state buyermail.State, message string) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetOrderMailState(ctx, sqlitedb.SetOrderMailStateParams{ID: id, State: string(state), Message: message, UpdatedAt: s.now()})
		if err := mustAffect(n, err, "メール"); err != nil {
			return err
		}
		row, err := t.q.GetOrderMail(ctx, id)
		if err != nil {
			return err
		}
		text := fmt.Sprintf("メール「%s」%s: 件名「%s」 宛先 %s", row.TemplateName, state.Label(), row.Subject, row.Recipient)
		if message != "" {
			text += " — " + message
		}
		return t.AddOrderEvents(ctx, []order.Event{{OrderID: row.OrderID, Kind: order.EventMail, Actor: row.Actor, Message: text}})
	})
}

// ListOrderMails implements store.Store.
func (s *Store) ListOrderMails(ctx context.Context, orderID int64) ([]buyermail.Record, error) {
	rows, err := s.reader.ListOrderMails(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("list mails of order %d: %w", orderID, err)
	}
	return recordsFromRows(rows), nil
}

// ListRecentMails implements store.Store.
func (s *Store) ListRecentMails(ctx context.Context, page, size int) ([]buyermail.Record, error) {
	_, size, offset := store.Normalise(page, size)
	rows, err := s.reader.ListRecentMails(ctx, sqlitedb.ListRecentMailsParams{PageSize: int64(size), PageOffset: int64(offset)})
	if err != nil {
		return nil, fmt.Errorf("list mails: %w", err)
	}
	return recordsFromRows(rows), nil
}

func recordsFromRows(rows []sqlitedb.OrderMail) []buyermail.Record {
	out := make([]buyermail.Record, len(rows))
	for i, r := range rows {
		out[i] = recordFromRow(r)
	}
	return out
}

func recordFromRow(r sqlitedb.OrderMail) buyermail.Record {
	return buyermail.Record{ID: r.ID, OrderID: r.OrderID, ShopID: r.ShopID, TemplateID: r.TemplateID, TemplateName: r.TemplateName,
		Request: r.Request, State: buyermail.State(r.State), Recipient: r.Recipient, Subject: r.Subject, Body: r.Body, MessageID: r.MessageID,
		Message: r.Message, Actor: r.Actor, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		AcknowledgedAt: r.AcknowledgedAt.Time, AcknowledgedBy: r.AcknowledgedBy, AcknowledgedNote: r.AcknowledgedNote}
}
