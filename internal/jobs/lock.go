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

// ruleLockSpace keeps the advisory lock keys of rules apart from other advisory locks.
const ruleLockSpace int64 = 0x1c41 << 32

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
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", ruleLockSpace|ruleID).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", ruleLockSpace|ruleID)
		conn.Close()
	}, true, nil
}
