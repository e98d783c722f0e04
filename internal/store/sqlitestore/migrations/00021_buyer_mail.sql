-- +goose Up
-- mail_templates are the buyer mails' templates (設定 > メールテンプレート): a shop's own, or with
-- no shop, shared by every shop. Placeholders ({{注文番号}}) are checked on save (buyermail).
CREATE TABLE mail_templates (
    id         INTEGER  PRIMARY KEY,
    shop_id    INTEGER  REFERENCES shops (id) ON DELETE CASCADE,
    name       TEXT     NOT NULL,
    subject    TEXT     NOT NULL,
    body       TEXT     NOT NULL,
    charset    TEXT     NOT NULL DEFAULT 'UTF-8',
    updated_at DATETIME NOT NULL
);
CREATE INDEX mail_templates_shop ON mail_templates (shop_id);

-- The template a メール送信 rule sends.
ALTER TABLE automation_rules ADD COLUMN mail_template_id INTEGER REFERENCES mail_templates (id);

-- shop_mail_settings are a shop's SMTP server for buyer mail (for Rakuten the あんしんメルアド
-- relay); the password is sealed like the marketplace credentials.
CREATE TABLE shop_mail_settings (
    shop_id              INTEGER  PRIMARY KEY REFERENCES shops (id) ON DELETE CASCADE,
    host                 TEXT     NOT NULL,
    port                 INTEGER  NOT NULL,
    tls_mode             TEXT     NOT NULL,
    username             TEXT     NOT NULL DEFAULT '',
    password             BLOB,
    sender               TEXT     NOT NULL,
    reply_to             TEXT     NOT NULL DEFAULT '',
    per_second           REAL     NOT NULL DEFAULT 0,
    insecure_skip_verify BOOLEAN  NOT NULL DEFAULT false,
    updated_at           DATETIME NOT NULL
);

-- order_mails is the journal and the history of buyer mails: a row is written, state 'sending',
-- and committed before the SMTP transaction, then set to 'sent', 'failed' (surely not sent) or
-- 'unknown' (the answer was lost: the operator decides). request is 'rule' for a メール送信 rule
-- and 'op:<job id>' for an operator's send; one request mails an order once per template.
CREATE TABLE order_mails (
    id            INTEGER  PRIMARY KEY,
    order_id      INTEGER  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    shop_id       INTEGER  NOT NULL,
    template_id   INTEGER  NOT NULL,
    template_name TEXT     NOT NULL,
    request       TEXT     NOT NULL,
    state         TEXT     NOT NULL,
    recipient     TEXT     NOT NULL,
    subject       TEXT     NOT NULL,
    body          TEXT     NOT NULL,
    message_id    TEXT     NOT NULL,
    message       TEXT     NOT NULL DEFAULT '',
    actor         TEXT     NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX order_mails_order ON order_mails (order_id, template_id);
CREATE INDEX order_mails_shop ON order_mails (shop_id, id);
CREATE UNIQUE INDEX order_mails_once ON order_mails (order_id, template_id, request) WHERE state <> 'failed';

-- +goose Down
DROP TABLE order_mails;
DROP TABLE shop_mail_settings;
ALTER TABLE automation_rules DROP COLUMN mail_template_id;
DROP TABLE mail_templates;
