-- +goose Up
-- An operator marks a bounced mail 確認済み (with a note: 電話で連絡済み): it leaves 要対応's
-- count and stays 不達 in the order's history. A report that names no Message-ID is matched to
-- the shop's newest mail to the failed recipient (the shop is known from its bounce address).
ALTER TABLE order_mails ADD COLUMN acknowledged_at DATETIME;
ALTER TABLE order_mails ADD COLUMN acknowledged_by TEXT NOT NULL DEFAULT '';
ALTER TABLE order_mails ADD COLUMN acknowledged_note TEXT NOT NULL DEFAULT '';
DROP INDEX order_mails_bounced;
CREATE INDEX order_mails_bounced ON order_mails (shop_id, updated_at) WHERE state = 'bounced' AND acknowledged_at IS NULL;
CREATE INDEX order_mails_recipient ON order_mails (shop_id, recipient, id);

-- +goose Down
DROP INDEX order_mails_recipient;
DROP INDEX order_mails_bounced;
CREATE INDEX order_mails_bounced ON order_mails (shop_id, updated_at) WHERE state = 'bounced';
ALTER TABLE order_mails DROP COLUMN acknowledged_note;
ALTER TABLE order_mails DROP COLUMN acknowledged_by;
ALTER TABLE order_mails DROP COLUMN acknowledged_at;
