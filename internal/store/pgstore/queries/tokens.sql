-- name: CreateAPIToken :one
INSERT INTO api_tokens (token_hash, user_id, name, created_at)
VALUES (sqlc.arg(token_hash), sqlc.arg(user_id), sqlc.arg(name), sqlc.arg(created_at))
RETURNING id;

-- name: GetAPITokenByHash :one
SELECT * FROM api_tokens WHERE token_hash = sqlc.arg(token_hash);

-- name: ListAPITokens :many
SELECT * FROM api_tokens
WHERE (user_id = sqlc.narg(user_id) OR sqlc.narg(user_id) IS NULL)
ORDER BY id;

-- name: TouchAPIToken :execrows
UPDATE api_tokens SET last_used_at = sqlc.arg(now) WHERE id = sqlc.arg(id);

-- name: DeleteAPIToken :execrows
DELETE FROM api_tokens WHERE id = sqlc.arg(id);
