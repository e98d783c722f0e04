-- name: CreateShop :one
INSERT INTO shops (channel, name, code, credentials, credentials_expire_at, status, status_message, overwrite_same_order, created_at, updated_at)
VALUES (sqlc.arg(channel), sqlc.arg(name), sqlc.arg(code), sqlc.arg(credentials), sqlc.narg(credentials_expire_at), sqlc.arg(status), sqlc.arg(status_message), sqlc.arg(overwrite_same_order), sqlc.arg(now), sqlc.arg(now))
RETURNING id;

-- name: GetShop :one
SELECT * FROM shops WHERE id = sqlc.arg(id);

-- name: ListShops :many
SELECT * FROM shops ORDER BY id;

-- name: UpdateShop :execrows
UPDATE shops SET name = sqlc.arg(name), code = sqlc.arg(code), overwrite_same_order = sqlc.arg(overwrite_same_order), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: SetShopCredentials :execrows
UPDATE shops SET credentials = sqlc.arg(credentials), credentials_expire_at = sqlc.narg(credentials_expire_at),
    status = 'active', status_message = '', updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: SetShopStatus :execrows
UPDATE shops SET status = sqlc.arg(status), status_message = sqlc.arg(status_message), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: CreatePhase :one
INSERT INTO phases (name, position) VALUES (sqlc.arg(name), sqlc.arg(position)) RETURNING id;

-- name: ListPhases :many
SELECT * FROM phases ORDER BY position, id;

-- name: GetPhase :one
SELECT * FROM phases WHERE id = sqlc.arg(id);

-- name: RenamePhase :execrows
UPDATE phases SET name = sqlc.arg(name) WHERE id = sqlc.arg(id);

-- name: SetPhasePosition :execrows
UPDATE phases SET position = sqlc.arg(position) WHERE id = sqlc.arg(id);

-- name: CreateRule :one
INSERT INTO automation_rules (shop_id, job_kind, target_phase_id, success_phase_id, error_phase_id, enabled, interval_seconds, mail_template_id)
VALUES (sqlc.arg(shop_id), sqlc.arg(job_kind), sqlc.narg(target_phase_id), sqlc.narg(success_phase_id), sqlc.narg(error_phase_id), sqlc.arg(enabled), sqlc.arg(interval_seconds),
    sqlc.narg(mail_template_id))
RETURNING id;

-- name: UpdateRule :execrows
UPDATE automation_rules SET job_kind = sqlc.arg(job_kind), target_phase_id = sqlc.narg(target_phase_id), success_phase_id = sqlc.narg(success_phase_id),
    error_phase_id = sqlc.narg(error_phase_id), enabled = sqlc.arg(enabled), interval_seconds = sqlc.arg(interval_seconds),
    mail_template_id = sqlc.narg(mail_template_id)
WHERE id = sqlc.arg(id) AND shop_id = sqlc.arg(shop_id);

-- name: SetRuleEnabled :execrows
UPDATE automation_rules SET enabled = sqlc.arg(enabled) WHERE id = sqlc.arg(id);

-- name: ListRules :many
SELECT * FROM automation_rules WHERE shop_id = sqlc.arg(shop_id) ORDER BY id;

-- name: GetRule :one
SELECT * FROM automation_rules WHERE id = sqlc.arg(id);

-- name: ListDueRules :many
SELECT * FROM automation_rules
WHERE enabled AND (next_run_at IS NULL OR next_run_at <= sqlc.arg(now)) AND job_kind = ANY(sqlc.arg(kinds)::text[])
ORDER BY id;

-- name: SetRuleRun :execrows
UPDATE automation_rules SET last_run_at = sqlc.narg(last_run_at), next_run_at = sqlc.narg(next_run_at) WHERE id = sqlc.arg(id);

-- name: SetRuleSuccess :execrows
UPDATE automation_rules SET last_success_at = sqlc.narg(last_success_at) WHERE id = sqlc.arg(id);

-- name: ListRulesByTargetPhase :many
-- The rules taking orders from a phase, one per shop at most.
SELECT * FROM automation_rules WHERE target_phase_id = sqlc.arg(target_phase_id) ORDER BY shop_id;

-- name: ListAllRules :many
SELECT * FROM automation_rules ORDER BY shop_id, id;

-- name: SetShopCredentialsExpiry :execrows
UPDATE shops SET credentials_expire_at = sqlc.narg(credentials_expire_at), updated_at = sqlc.arg(now) WHERE id = sqlc.arg(id);

-- name: MarkShopAuthError :execrows
UPDATE shops SET status = 'auth_error', status_message = sqlc.arg(status_message), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND status <> 'auth_error';

-- name: ReserveCallSlot :one
-- Takes the next call slot of a credential: the later of its next free slot and now (the
-- database's clock, shared by every instance, or the caller's if later), and moves the next free
-- slot one step on. wait_us is how long the caller waits for its slot.
INSERT INTO call_slots AS c (key, next_us, step_us)
VALUES (sqlc.arg(key), GREATEST(sqlc.arg(now_us)::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) + sqlc.arg(step_us)::bigint, sqlc.arg(step_us)::bigint)
ON CONFLICT (key) DO UPDATE
SET next_us = GREATEST(c.next_us + excluded.step_us, excluded.next_us), step_us = excluded.step_us
RETURNING (next_us - sqlc.arg(step_us)::bigint - GREATEST(sqlc.arg(now_us)::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint))::bigint AS wait_us;

-- name: ClaimCallSlot :one
-- Claims the credential's call just before it leaves, on the database's clock (or the caller's if
-- later): when the last claimed call is at least floor_us ago, this caller's token becomes the
-- claim and now the last call; otherwise nothing changes. The caller waits until floor_us after
-- last_us before it claims again.
-- The clock is read once (t): read apart for the two columns, a claim that woke right at the
-- boundary could win the token with last_us left where it was, and the next caller claim at
-- once too (two calls 3 ms apart drew a 429 in a two-instance au PAY drain).
UPDATE call_slots AS c
SET last_us = CASE WHEN c.last_us + t.floor_us <= t.now_us THEN t.now_us ELSE c.last_us END,
    claim = CASE WHEN c.last_us + t.floor_us <= t.now_us THEN t.token ELSE c.claim END
FROM (SELECT sqlc.arg(floor_us)::bigint AS floor_us,
             GREATEST(sqlc.arg(now_us)::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) AS now_us,
             sqlc.arg(token)::bigint AS token, sqlc.arg(key)::text AS key) AS t
WHERE c.key = t.key
RETURNING c.claim, c.last_us;

-- name: MarkCallSent :exec
-- Moves a credential's last call to when a claimed call really left (the caller's clock: the note
-- is written beside the call, maybe after it), so that the next claim keeps its distance from
-- that moment when work between claim and send (a journal write, a stalled process) made the call
-- leave late.
UPDATE call_slots SET last_us = GREATEST(last_us, sqlc.arg(now_us)::bigint) WHERE key = sqlc.arg(key);

-- name: SaveChannelToken :exec
INSERT INTO channel_tokens (shop_id, token, expires_at, updated_at) VALUES (sqlc.arg(shop_id), sqlc.arg(token), sqlc.arg(expires_at), sqlc.arg(now))
ON CONFLICT (shop_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at, updated_at = excluded.updated_at;

-- name: GetChannelToken :one
SELECT * FROM channel_tokens WHERE shop_id = sqlc.arg(shop_id);

-- name: DeleteChannelToken :exec
DELETE FROM channel_tokens WHERE shop_id = sqlc.arg(shop_id);

-- name: TakeBucketToken :one
-- Takes a token of a credential's bucket (GCRA): the bucket's arrival time moves one interval on
-- from the later of itself and now (the database's clock, shared by every instance, or the
-- caller's if later). The caller waits until tat_us - burst * interval.
INSERT INTO token_buckets AS b (key, tat_us, step_us)
VALUES (sqlc.arg(key), GREATEST(sqlc.arg(now_us)::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) + sqlc.arg(interval_us)::bigint, sqlc.arg(interval_us)::bigint)
ON CONFLICT (key) DO UPDATE SET tat_us = GREATEST(b.tat_us + excluded.step_us, excluded.tat_us), step_us = excluded.step_us
RETURNING tat_us::bigint AS tat_us;

-- name: SetPhaseExpectedHours :execrows
UPDATE phases SET expected_hours = sqlc.arg(expected_hours) WHERE id = sqlc.arg(id);
