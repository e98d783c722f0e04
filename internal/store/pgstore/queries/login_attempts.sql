-- name: EndLoginAttemptWindow :exec
-- A key whose window has ended starts again: CountLoginAttempt then inserts it afresh.
DELETE FROM login_attempts WHERE key_hash = sqlc.arg(key_hash) AND expires_at <= sqlc.arg(now);

-- name: CountLoginAttempt :one
-- One statement counts the try and reads the count back, so instances on one database share it.
INSERT INTO login_attempts (key_hash, attempts, expires_at) VALUES (sqlc.arg(key_hash), 1, sqlc.arg(expires_at))
ON CONFLICT (key_hash) DO UPDATE SET attempts = login_attempts.attempts + 1
RETURNING attempts, expires_at;

-- name: UncountLoginAttempt :exec
UPDATE login_attempts SET attempts = attempts - 1 WHERE key_hash = sqlc.arg(key_hash) AND attempts > 0;

-- name: DeleteLoginAttempts :exec
DELETE FROM login_attempts WHERE key_hash = sqlc.arg(key_hash);

-- name: PruneLoginAttempts :execrows
-- SKIP LOCKED: two instances pruning at once never wait on (or deadlock over) the same rows.
DELETE FROM login_attempts WHERE key_hash IN (
    SELECT old.key_hash FROM login_attempts AS old WHERE old.expires_at <= sqlc.arg(now) LIMIT 100 FOR UPDATE SKIP LOCKED
);
