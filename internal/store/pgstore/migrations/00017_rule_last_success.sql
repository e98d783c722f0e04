-- +goose Up
-- When a rule last ran successfully, so that 要対応 shows a polling rule whose runs stopped
-- succeeding (a crashed instance, a marketplace refusing). For import, last_run_at is the end of
-- the window covered so far, which is when it last succeeded.
ALTER TABLE automation_rules ADD COLUMN last_success_at TIMESTAMPTZ;
UPDATE automation_rules SET last_success_at = last_run_at WHERE job_kind = 'import';

-- +goose Down
ALTER TABLE automation_rules DROP COLUMN last_success_at;
