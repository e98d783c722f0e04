-- name: CreateMailTemplate :one
INSERT INTO mail_templates (shop_id, name, subject, body, charset, updated_at)
VALUES (sqlc.narg(shop_id), sqlc.arg(name), sqlc.arg(subject), sqlc.arg(body), sqlc.arg(charset), sqlc.arg(updated_at))
RETURNING id;

-- name: UpdateMailTemplate :execrows
UPDATE mail_templates SET name = sqlc.arg(name), subject = sqlc.arg(subject), body = sqlc.arg(body), charset = sqlc.arg(charset),
    updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: GetMailTemplate :one
SELECT * FROM mail_templates WHERE id = sqlc.arg(id);

-- name: ListMailTemplates :many
SELECT * FROM mail_templates ORDER BY shop_id IS NOT NULL, shop_id, id;

-- name: ListShopMailTemplates :many
SELECT * FROM mail_templates WHERE shop_id IS NULL OR shop_id = sqlc.arg(shop_id) ORDER BY shop_id IS NOT NULL, id;

-- name: DeleteMailTemplate :execrows
DELETE FROM mail_templates WHERE id = sqlc.arg(id);

-- name: CountRulesWithTemplate :one
SELECT count(*) FROM automation_rules WHERE mail_template_id = sqlc.arg(mail_template_id);

-- name: SaveShopMailSettings :exec
INSERT INTO shop_mail_settings (shop_id, host, port, tls_mode, username, password, sender, reply_to, per_second, insecure_skip_verify, updated_at)
VALUES (sqlc.arg(shop_id), sqlc.arg(host), sqlc.arg(port), sqlc.arg(tls_mode), sqlc.arg(username), sqlc.narg(password), sqlc.arg(sender),
    sqlc.arg(reply_to), sqlc.arg(per_second), sqlc.arg(insecure_skip_verify), sqlc.arg(updated_at))
ON CONFLICT (shop_id) DO UPDATE SET host = excluded.host, port = excluded.port, tls_mode = excluded.tls_mode,
    username = excluded.username, password = excluded.password, sender = excluded.sender, reply_to = excluded.reply_to,
    per_second = excluded.per_second, insecure_skip_verify = excluded.insecure_skip_verify, updated_at = excluded.updated_at;

-- name: GetShopMailSettings :one
SELECT * FROM shop_mail_settings WHERE shop_id = sqlc.arg(shop_id);

-- name: ListOrderMailsOf :many
SELECT * FROM order_mails WHERE order_id = sqlc.arg(order_id) AND template_id = sqlc.arg(template_id) AND state <> 'failed' ORDER BY id;

-- name: InsertOrderMail :one
INSERT INTO order_mails (order_id, shop_id, template_id, template_name, request, state, recipient, subject, body, message_id, message, actor, created_at, updated_at)
VALUES (sqlc.arg(order_id), sqlc.arg(shop_id), sqlc.arg(template_id), sqlc.arg(template_name), sqlc.arg(request), sqlc.arg(state),
    sqlc.arg(recipient), sqlc.arg(subject), sqlc.arg(body), sqlc.arg(message_id), sqlc.arg(message), sqlc.arg(actor), sqlc.arg(created_at), sqlc.arg(created_at))
RETURNING id;

-- name: SetOrderMailState :execrows
UPDATE order_mails SET state = sqlc.arg(state), message = sqlc.arg(message), updated_at = sqlc.arg(updated_at) WHERE id = sqlc.arg(id);

-- name: ListOrderMails :many
SELECT * FROM order_mails WHERE order_id = sqlc.arg(order_id) ORDER BY id;

-- name: ListRecentMails :many
SELECT * FROM order_mails ORDER BY id DESC LIMIT sqlc.arg(page_size) OFFSET sqlc.arg(page_offset);

-- name: GetOrderMail :one
SELECT * FROM order_mails WHERE id = sqlc.arg(id);
