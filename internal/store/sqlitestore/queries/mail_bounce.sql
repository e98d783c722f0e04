-- name: GetOrderMailByMessageID :many
SELECT * FROM order_mails WHERE message_id = sqlc.arg(message_id) ORDER BY id DESC LIMIT 1;

-- name: BounceOrderMail :execrows
UPDATE order_mails SET state = 'bounced', message = sqlc.arg(message), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND state <> 'bounced';

-- name: CountBouncedMails :one
SELECT count(*) FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND state = 'bounced' AND acknowledged_at IS NULL AND updated_at >= sqlc.arg(since);

-- name: ListBouncedMails :many
SELECT * FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND state = 'bounced' AND acknowledged_at IS NULL AND updated_at >= sqlc.arg(since)
ORDER BY updated_at DESC, id DESC LIMIT sqlc.arg(page_size);

-- name: GetShopMailByRecipient :many
-- The shop's newest mail to a recipient that went out, for a report without the Message-ID.
SELECT * FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND lower(recipient) = lower(sqlc.arg(recipient))
AND state IN ('sent', 'unknown', 'bounced') ORDER BY id DESC LIMIT 1;

-- name: ListUnacknowledgedBounces :many
SELECT * FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND state = 'bounced' AND acknowledged_at IS NULL
ORDER BY updated_at DESC, id DESC;

-- name: AcknowledgeOrderMail :execrows
UPDATE order_mails SET acknowledged_at = sqlc.arg(acknowledged_at), acknowledged_by = sqlc.arg(acknowledged_by),
acknowledged_note = sqlc.arg(acknowledged_note)
WHERE id = sqlc.arg(id) AND state = 'bounced' AND acknowledged_at IS NULL;
