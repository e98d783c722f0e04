// Package workflow holds the shop's processing phases (処理フェーズ) and automation rules
// (自動処理): which job kind runs on orders that enter which phase, and where they go on success
// and on error. Types and rules only; no I/O.
package workflow
