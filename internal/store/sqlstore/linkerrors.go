package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// linkErrorCond is workflow.LinkStatus.IsError in SQL (ESCAPE makes "_" itself: SQLite has no
// default escape character). It is written exactly as the partial index orders_link_error
// (migration 00011) has it, because each engine uses a partial index only for a query that
// carries its condition.
const linkErrorCond = `((link_status LIKE '%\_error' ESCAPE '\') OR (link_status LIKE '%\_ng' ESCAPE '\'))`

// LinkErrorGroups implements store.Store. One statement on the partial index of the orders in
// error: its work grows with the orders in error, not with the store.
func (s *Store) LinkErrorGroups(ctx context.Context, q store.LinkErrorQuery) ([]store.LinkErrorGroup, error) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	if q.ShopID != 0 {
		w.add("shop_id = %s", q.ShopID)
	}
	w.conds = append(w.conds, linkErrorCond)
	// Each shop's groups are ranked on their own, so that one shop's many small groups never
	// push another shop's errors off the page.
	query := "SELECT shop_id, link_status, link_message, n, newest FROM (" +
		"SELECT shop_id, link_status, link_message, count(*) AS n, max(ordered_at) AS newest, " +
		"row_number() OVER (PARTITION BY shop_id ORDER BY count(*) DESC, max(ordered_at) DESC, link_status, link_message) AS rank " +
		"FROM orders" + w.String() + " GROUP BY shop_id, link_status, link_message) AS g" +
		fmt.Sprintf(" WHERE rank <= %d", store.MaxLinkErrorGroups+1) +
		" ORDER BY n DESC, newest DESC, shop_id, link_status, link_message"
	rows, err := s.cfg.Reader.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("group link errors: %w", err)
	}
	defer rows.Close()
	out := []store.LinkErrorGroup{}
	for rows.Next() {
		var g store.LinkErrorGroup
		var newest any
		if err := rows.Scan(&g.ShopID, &g.LinkStatus, &g.LinkMessage, &g.Count, &newest); err != nil {
			return nil, fmt.Errorf("group link errors: %w", err)
		}
		if g.Newest, err = aggregateTime(newest); err != nil {
			return nil, fmt.Errorf("group link errors: %w", err)
		}
		g.Count = min(g.Count, store.CountCap+1)
		out = append(out, g)
	}
	return out, rows.Err()
}

// aggregateTimeLayouts are the ways SQLite's driver writes a time: an aggregate of a DATETIME
// column (max) loses the column's type, so the driver hands over the text it stored.
var aggregateTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST", // time.Time.String, the driver's default
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// aggregateTime reads a time an aggregate returned: a time.Time from PostgreSQL, text from
// SQLite.
func aggregateTime(v any) (time.Time, error) {
	var text string
	switch t := v.(type) {
	case time.Time:
		return ts(t), nil
	case nil:
		return time.Time{}, nil
	case string:
		text = t
	case []byte:
		text = string(t)
	default:
		return time.Time{}, fmt.Errorf("read a time from %T", v)
	}
	for _, layout := range aggregateTimeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			return ts(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("read the time %q", text)
}
