-- name: GetOrderMailByMessageID :many
SELECT * FROM order_mails WHERE message_id = sqlc.arg(message_id) ORDER BY id DESC LIMIT 1;

-- name: BounceOrderMail :execrows
UPDATE order_mails SET state = 'bounced', message = sqlc.arg(message), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND state <> 'bounced';

-- name: CountBouncedMails :one
SELECT count(*) FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND state = 'bounced' AND updated_at >= sqlc.arg(since);

-- name: ListBouncedMails :many
SELECT * FROM order_mails WHERE shop_id = sqlc.arg(shop_id) AND state = 'bounced' AND updated_at >= sqlc.arg(since)
ORDER BY updated_at DESC, id DESC LIMIT sqlc.arg(page_size)::bigint;
