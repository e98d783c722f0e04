package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The order list's search is built by hand rather than by sqlc: a filter left empty must leave
// no condition behind, or neither engine uses the index that fits the filters that are set
// (`(col = $1 OR $1 IS NULL)` reads every row of a million-order store).

// where is a WHERE clause being built with the engine's placeholders.
type where struct {
	postgres bool
	conds    []string
	args     []any
}

// arg binds v and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	if w.postgres {
		return "$" + strconv.Itoa(len(w.args))
	}
	return "?"
}

func (w *where) add(format string, args ...any) {
	ph := make([]any, len(args))
	for i, a := range args {
		ph[i] = w.arg(a)
	}
	w.conds = append(w.conds, fmt.Sprintf(format, ph...))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// orderWhere turns a query's filters into a WHERE clause; withPhase false leaves the phase out,
// for the counts per phase.
func (s *Store) orderWhere(q store.OrderQuery, withPhase bool) *where {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres}
	if q.ShopID != 0 {
		w.add("shop_id = %s", q.ShopID)
	}
	if q.Channel != "" {
		w.add("shop_id IN (SELECT id FROM shops WHERE channel = %s)", string(q.Channel))
	}
	if withPhase && q.PhaseID != 0 {
		w.add("phase_id = %s", q.PhaseID)
	}
	if q.LinkStatus != nil {
		w.add("link_status = %s", *q.LinkStatus)
		if workflow.LinkStatus(*q.LinkStatus).IsError() {
			// Implied by the status; it lets the engine use the small index of the orders in
			// error, which also holds the message on SQLite (a 要対応 group's list).
			w.conds = append(w.conds, linkErrorCond)
		}
	}
	if q.LinkMessage != nil {
		w.add("link_message = %s", *q.LinkMessage)
	}
	if q.MarketplaceStatus != "" {
		w.add("marketplace_status = %s", string(q.MarketplaceStatus))
	}
	if q.PaymentStatus != "" {
		w.add("payment_status = %s", string(q.PaymentStatus))
	}
	if q.ManagementClass != "" {
		w.add("management_class = %s", string(q.ManagementClass))
	}
	if q.PostageUnfixed {
		w.conds = append(w.conds, "postage_yen IS NULL") // as the partial index orders_postage_unfixed has it
	}
	if !q.OrderedFrom.IsZero() {
		w.add("ordered_at >= %s", ts(q.OrderedFrom))
	}
	if !q.OrderedTo.IsZero() {
		w.add("ordered_at < %s", ts(q.OrderedTo))
	}
	if q.BundleParentID != 0 {
		w.add("bundle_parent_id = %s", q.BundleParentID)
	}
	if q.SplitFromID != 0 {
		w.add("split_from_id = %s", q.SplitFromID)
	}
	if kw := strings.TrimSpace(q.Keyword); kw != "" {
		w.keyword(kw)
	}
	return w
}

// keyword adds the keyword search: an order whose number or buyer name contains the keyword,
// or whose tracking number is the keyword; a keyword of digits and hyphens finds the numbers
// that end with it. From three characters on, the containment runs on a
// trigram index (pg_trgm on PostgreSQL, FTS5 on SQLite); a shorter keyword, such as a family
// name 佐藤, has no trigram and finds the buyer names that start with it, and the number that is
// it.
func (w *where) keyword(kw string) {
	tracking := order.NormaliseTrackingNumber(kw)
	switch short := utf8.RuneCountInString(kw) < 3; {
	case !short && numberLike(kw) && w.postgres:
		// Digits share their trigrams with every order number: the number's tail is searched
		// on the index of the reversed number instead. On PostgreSQL each way of finding an
		// order is its own index search, joined as one set of ids; an OR of them would read
		// every order.
		w.add("id IN (SELECT id FROM orders WHERE reverse(number) LIKE %s UNION SELECT order_id FROM order_shipments WHERE tracking_number = %s)",
			likeEscape(reverseString(kw))+"%", tracking)
	case !short && numberLike(kw):
		phrase := `"` + kw + `"`
		w.add("((id IN (SELECT rowid FROM orders_search WHERE orders_search MATCH %s) AND substr(number, -%s) = %s) OR id IN (SELECT order_id FROM order_shipments WHERE tracking_number = %s))",
			phrase, int64(len(kw)), kw, tracking)
	case short && w.postgres:
		w.add("id IN (SELECT id FROM orders WHERE buyer_name LIKE %s UNION SELECT id FROM orders WHERE number = %s UNION SELECT order_id FROM order_shipments WHERE tracking_number = %s)",
			likeEscape(kw)+"%", kw, tracking)
	case short:
		w.add("((buyer_name >= %s AND buyer_name < %s) OR number = %s OR id IN (SELECT order_id FROM order_shipments WHERE tracking_number = %s))",
			kw, kw+string(utf8.MaxRune), kw, tracking)
	case w.postgres:
		pattern := "%" + likeEscape(kw) + "%"
		w.add("id IN (SELECT id FROM orders WHERE number LIKE %s UNION SELECT id FROM orders WHERE buyer_name LIKE %s UNION SELECT order_id FROM order_shipments WHERE tracking_number = %s)",
			pattern, pattern, tracking)
	default:
		// One phrase: the trigram tokenizer matches it as a substring of either column.
		phrase := `"` + strings.ReplaceAll(kw, `"`, `""`) + `"`
		w.add("(id IN (SELECT rowid FROM orders_search WHERE orders_search MATCH %s) OR id IN (SELECT order_id FROM order_shipments WHERE tracking_number = %s))",
			phrase, tracking)
	}
}

// numberLike says whether a keyword is made of digits and hyphens only, as order numbers are:
// it finds the orders whose number ends with it (the distinctive tail operators type), and
// tracking numbers as ever.
func numberLike(kw string) bool {
	return strings.Trim(kw, "0123456789-") == ""
}

func reverseString(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// likeEscape makes s match itself in a PostgreSQL LIKE pattern (backslash is the escape).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// orderBy is the ORDER BY of a query; every sort ends on the id so that pages never overlap.
func orderBy(q store.OrderQuery) string {
	col := "ordered_at"
	switch q.Sort {
	case store.SortNumber:
		col = "number"
	case store.SortBuyer:
		col = "buyer_name"
	case store.SortTotal:
		col = "COALESCE(total_yen, -1)"
	case store.SortPhase:
		col = "(SELECT p.position FROM phases p WHERE p.id = orders.phase_id)"
	case store.SortLinkStatus:
		col = "link_status"
	case store.SortMarketplaceStatus:
		col = "marketplace_status"
	case store.SortUpdatedAt:
		col = "updated_at"
	}
	dir := " DESC"
	if q.Ascending {
		dir = " ASC"
	}
	return " ORDER BY " + col + dir + ", id" + dir
}

// SearchOrders implements store.Store: one statement counts, one finds the page's ids, and
// the rows are read by id.
func (s *Store) SearchOrders(ctx context.Context, q store.OrderQuery) (store.OrderPage, error) {
	page, size, offset := store.Normalise(q.Page, q.PageSize)
	w := s.orderWhere(q, true)
	var total int64
	capped := fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM orders%s LIMIT %d) AS hits", w.String(), store.CountCap+1)
	if err := s.cfg.Reader.QueryRowContext(ctx, capped, w.args...).Scan(&total); err != nil {
		return store.OrderPage{}, fmt.Errorf("count orders: %w", err)
	}
	out := store.OrderPage{Orders: []order.Order{}, Total: total, Page: page, PageSize: size}
	if total == 0 || (!store.Capped(total) && int64(offset) >= total) {
		return out, nil // past a capped count the pages go on: more orders match
	}
	limit, off := w.arg(int64(size)), w.arg(int64(offset))
	ids, err := s.queryIDs(ctx, "SELECT id FROM orders"+w.String()+orderBy(q)+" LIMIT "+limit+" OFFSET "+off, w.args)
	if err != nil {
		return out, fmt.Errorf("search orders: %w", err)
	}
	out.Orders, err = s.ordersByID(ctx, ids)
	return out, err
}

// OrderIDs implements store.Store.
func (s *Store) OrderIDs(ctx context.Context, q store.OrderQuery, limit int) ([]int64, error) {
	w := s.orderWhere(q, true)
	ph := w.arg(int64(limit))
	ids, err := s.queryIDs(ctx, "SELECT id FROM orders"+w.String()+orderBy(q)+" LIMIT "+ph, w.args)
	if err != nil {
		return nil, fmt.Errorf("order ids: %w", err)
	}
	return ids, nil
}

// OrderStates implements store.Store.
func (s *Store) OrderStates(ctx context.Context, ids []int64) ([]store.OrderState, error) {
	out := make([]store.OrderState, 0, len(ids))
	for _, chunk := range chunks(ids, idsPerStatement) {
		rows, err := s.reader.ListOrderStates(ctx, chunk)
		if err != nil {
			return nil, fmt.Errorf("order states: %w", err)
		}
		for _, r := range rows {
			out = append(out, store.OrderState{ID: r.ID, ShopID: r.ShopID, PhaseID: r.PhaseID,
				MarketplaceStatus: order.MarketplaceStatus(r.MarketplaceStatus), LinkStatus: r.LinkStatus})
		}
	}
	return out, nil
}

// CountOrdersByPhase implements store.Store: each phase of the shops the query can find is
// counted on its own, up to CountCap+1, on the index that leads with the shop and the phase.
func (s *Store) CountOrdersByPhase(ctx context.Context, q store.OrderQuery) (map[int64]int64, error) {
	w := s.orderWhere(q, false)
	w.add("phase_id = p.id")
	query := fmt.Sprintf("SELECT p.id, (SELECT count(*) FROM (SELECT 1 FROM orders%s LIMIT %d) AS hits) FROM phases p", w.String(), store.CountCap+1)
	var phaseConds []string
	if q.ShopID != 0 {
		phaseConds = append(phaseConds, "p.shop_id = "+w.arg(q.ShopID))
	}
	if q.Channel != "" {
		phaseConds = append(phaseConds, "p.shop_id IN (SELECT id FROM shops WHERE channel = "+w.arg(string(q.Channel))+")")
	}
	if len(phaseConds) > 0 {
		query += " WHERE " + strings.Join(phaseConds, " AND ")
	}
	rows, err := s.cfg.Reader.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count orders by phase: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var phase, n int64
		if err := rows.Scan(&phase, &n); err != nil {
			return nil, fmt.Errorf("count orders by phase: %w", err)
		}
		if n > 0 {
			out[phase] = n
		}
	}
	return out, rows.Err()
}

func (s *Store) queryIDs(ctx context.Context, query string, args []any) ([]int64, error) {
	rows, err := s.cfg.Reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// OrdersByIDs implements store.Store.
func (s *Store) OrdersByIDs(ctx context.Context, ids []int64) ([]order.Order, error) {
	out := make([]order.Order, 0, len(ids))
	for chunk := range slices.Chunk(ids, store.MaxPageSize) {
		page, err := s.ordersByID(ctx, chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	return out, nil
}

// ordersByID reads orders, without lines or shipments, in the order of ids.
func (s *Store) ordersByID(ctx context.Context, ids []int64) ([]order.Order, error) {
	out := make([]order.Order, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.reader.ListOrdersByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read orders: %w", err)
	}
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	byPos := make([]*order.Order, len(ids))
	for _, r := range rows {
		o, err := orderFromRow(r)
		if err != nil {
			return nil, err
		}
		byPos[pos[r.ID]] = &o
	}
	for _, o := range byPos {
		if o != nil { // deleted between the two statements
			out = append(out, *o)
		}
	}
	return out, nil
}
