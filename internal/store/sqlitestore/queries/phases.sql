-- name: LockPhases :many
-- Takes the company's phase list for a change of it (a deletion, a reorder). On SQLite the one
-- writer connection already serialises every write; PostgreSQL locks the rows (see pgstore's
-- query).
SELECT id FROM phases ORDER BY id;

-- name: LockPhase :one
-- Takes the phase being deleted; as LockPhases, a plain read on SQLite.
SELECT id FROM phases WHERE id = sqlc.arg(id);

-- name: CountPhaseOrders :one
-- Counts the orders in a phase up to a cap, on the orders_phase_ordered index.
SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE phase_id = sqlc.arg(phase_id) LIMIT sqlc.arg(cap)) AS capped;

-- name: KeepPhaseNameInEvents :exec
-- Writes a phase's name into the events that mention it and clears their phase id, before the
-- phase is deleted. order_events has no index on the phase ids: this reads the whole table, once
-- per deletion, rather than every event insert paying for two more indexes.
UPDATE order_events SET
    from_phase_name = CASE WHEN from_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER) THEN CAST(sqlc.arg(name) AS TEXT) ELSE from_phase_name END,
    from_phase_id   = CASE WHEN from_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER) THEN NULL ELSE from_phase_id END,
    to_phase_name   = CASE WHEN to_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER) THEN CAST(sqlc.arg(name) AS TEXT) ELSE to_phase_name END,
    to_phase_id     = CASE WHEN to_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER) THEN NULL ELSE to_phase_id END
WHERE from_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER) OR to_phase_id = CAST(sqlc.arg(phase_id) AS INTEGER);

-- name: DeleteUnusedPhase :execrows
-- Deletes a phase no order is in and no rule uses: the last word after the checks.
DELETE FROM phases
WHERE phases.id = sqlc.arg(id)
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.phase_id = phases.id)
  AND NOT EXISTS (SELECT 1 FROM automation_rules r
                  WHERE r.target_phase_id = phases.id OR r.success_phase_id = phases.id OR r.error_phase_id = phases.id);
