package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// ruleLocks let one dispatch at a time work a rule, across all instances: two at once would
// read the same orders and send them twice. On PostgreSQL they are session advisory locks; on
// SQLite, where one process owns the database, a process-wide set.
type ruleLocks struct {
	db     *sql.DB // PostgreSQL; nil on SQLite
	mu     sync.Mutex
	locked map[int64]bool
}

func newRuleLocks(st store.Store) *ruleLocks {
	l := &ruleLocks{locked: map[int64]bool{}}
	if st.Engine() == store.EnginePostgres {
		l.db = st.DB()
	}
	return l
}

// ruleLockKey is the advisory lock of rule $1: advisory locks are the server's, so the key
// names the schema too, or two ichigen stores on one server (each test's schema, two shops'
// installations) would take each other's rule 2 and wait on it. The two-int form keeps the keys
// apart from the single-key advisory locks (migrations).
const ruleLockKey = "hashtext(current_schema() || ':ichigen-rule'), ($1::bigint % 2147483647)::int"

// tryLock takes the rule's lock if it is free; unlock releases it.
func (l *ruleLocks) tryLock(ctx context.Context, ruleID int64) (unlock func(), ok bool, err error) {
	if l.db == nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.locked[ruleID] {
			return nil, false, nil
		}
		l.locked[ruleID] = true
		return func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			delete(l.locked, ruleID)
		}, true, nil
	}
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("rule lock: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock("+ruleLockKey+")", ruleID).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+ruleLockKey+")", ruleID)
		conn.Close()
	}, true, nil
}
