-- name: InsertAuditEvent :exec
INSERT INTO audit_events (at, actor, action, target, detail)
VALUES (sqlc.arg(at), sqlc.arg(actor), sqlc.arg(action), sqlc.arg(target), sqlc.arg(detail));

-- name: ListAuditEvents :many
SELECT * FROM audit_events ORDER BY at DESC, id DESC LIMIT sqlc.arg(page_size)::bigint OFFSET sqlc.arg(page_offset)::bigint;
