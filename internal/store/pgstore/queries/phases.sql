-- name: LockPhases :many
-- Takes the company's phase list for a change of it (a deletion, a reorder) until the transaction
-- ends: another deletion or reorder of the phases waits, so that which phase is first and
-- how many there are stay as read. In id order, so two of them never deadlock. FOR NO KEY UPDATE
-- lets orders keep moving into the phases meanwhile (a move takes a key-share lock on its phase
-- through the foreign key); LockPhase closes the one being deleted.
SELECT id FROM phases ORDER BY id FOR NO KEY UPDATE;

-- name: LockPhase :one
-- Takes the phase being deleted until the transaction ends: a move into it, an import into it or
-- a rule saved on it (each key-share locks the phase through its foreign key) either committed
-- before this returns, and the checks see it, or waits for the delete and then fails on the
-- foreign key. Nothing is left in a phase that is gone.
SELECT id FROM phases WHERE id = sqlc.arg(id) FOR UPDATE;

-- name: CountPhaseOrders :one
-- Counts the orders in a phase up to a cap, on the orders_phase_ordered index.
SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE phase_id = sqlc.arg(phase_id) LIMIT sqlc.arg(cap)::bigint) AS capped;

-- name: KeepPhaseNameInEvents :exec
-- Writes a phase's name into the events that mention it and clears their phase id, before the
-- phase is deleted. order_events has no index on the phase ids: this reads the whole table, once
-- per deletion, rather than every event insert paying for two more indexes.
UPDATE order_events SET
    from_phase_name = CASE WHEN from_phase_id = sqlc.arg(phase_id)::bigint THEN sqlc.arg(name)::text ELSE from_phase_name END,
    from_phase_id   = CASE WHEN from_phase_id = sqlc.arg(phase_id)::bigint THEN NULL ELSE from_phase_id END,
    to_phase_name   = CASE WHEN to_phase_id = sqlc.arg(phase_id)::bigint THEN sqlc.arg(name)::text ELSE to_phase_name END,
    to_phase_id     = CASE WHEN to_phase_id = sqlc.arg(phase_id)::bigint THEN NULL ELSE to_phase_id END
WHERE from_phase_id = sqlc.arg(phase_id)::bigint OR to_phase_id = sqlc.arg(phase_id)::bigint;

-- name: DeleteUnusedPhase :execrows
-- Deletes a phase no order is in and no rule uses: the last word after the checks.
DELETE FROM phases
WHERE phases.id = sqlc.arg(id)
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.phase_id = phases.id)
  AND NOT EXISTS (SELECT 1 FROM automation_rules r
                  WHERE r.target_phase_id = phases.id OR r.success_phase_id = phases.id OR r.error_phase_id = phases.id);
