package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
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
	// dense says the keyword matches so many orders that the list's own index, read in the
	// list's order, meets a page of them within a few thousand entries (see denseMatches).
	dense bool
	// now is the store's clock when the statement is built: what a relative day range
	// (store.OrderQuery.OrderedWithin) is read against.
	now   time.Time
	conds []string
	args  []any
}

// denseMatches is the count past which SQLite finds a keyword's page by reading the list's index
// in order and keeping the orders the trigram table found (50 of 2,000 in a million are met
// within 25,000 index entries), rather than reading each of them and sorting.
const denseMatches = 2_000

// ftsIDs is the condition of the orders the trigram table finds for match. On a dense keyword
// the id is kept out of the index choice (the unary +), so that the list's order comes from its
// index and the search stops at the page.
func (w *where) ftsIDs(match string) string {
	id := "id"
	if w.dense {
		id = "+id"
	}
	return fmt.Sprintf("%s IN (SELECT rowid FROM orders_search WHERE orders_search MATCH %s)", id, w.arg(match))
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
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres, now: s.cfg.Now()}
	w.filters(q, withPhase)
	if branches := keywordBranches(q.Keyword, w.postgres); len(branches) > 0 {
		w.keyword(branches)
	}
	return w
}

// filters adds the conditions of a query's filters but the keyword.
func (w *where) filters(q store.OrderQuery, withPhase bool) {
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
	if q.Prime {
		w.conds = append(w.conds, "is_prime")
	}
	if !q.ShipBy.IsZero() {
		w.add("latest_ship_date < %s", ts(q.ShipBy))
	}
	from, to := q.OrderedFrom, q.OrderedTo
	if q.OrderedWithin != "" {
		if !q.OrderedWithin.Valid() {
			w.conds = append(w.conds, "1 = 0") // never widen a search for a range it cannot read
		}
		from, to = q.OrderedWithin.Bounds(w.now)
	}
	if !from.IsZero() {
		w.add("ordered_at >= %s", ts(from))
	}
	if !to.IsZero() {
		w.add("ordered_at < %s", ts(to))
	}
	if !q.PhaseEnteredTo.IsZero() {
		w.add("phase_entered_at < %s", ts(q.PhaseEnteredTo))
	}
	if q.BundleParentID != 0 {
		w.add("bundle_parent_id = %s", q.BundleParentID)
	}
	if q.SplitFromID != 0 {
		w.add("split_from_id = %s", q.SplitFromID)
	}
	if q.Batch != 0 {
		w.add("id IN (SELECT order_id FROM bulk_batch_orders WHERE batch_id = %s)", q.Batch)
	}
}

// keyword adds a keyword's branches as one condition, for the counts per phase: on PostgreSQL
// each branch is its own index search, joined as one set of ids, since an OR of them would read
// every order; SQLite's planner searches each term of an OR on its own index.
func (w *where) keyword(branches []branch) {
	conds := make([]string, len(branches))
	for i, b := range branches {
		conds[i] = b(w)
	}
	if w.postgres {
		w.conds = append(w.conds, "id IN (SELECT id FROM orders WHERE "+strings.Join(conds, " UNION SELECT id FROM orders WHERE ")+")")
		return
	}
	w.conds = append(w.conds, "("+strings.Join(conds, " OR ")+")")
}

// branch is one way a keyword finds orders, served by an index of its own: it binds its
// arguments into a where and returns its condition.
type branch func(w *where) string

// keywordBranches are the ways a keyword finds orders: the number or the buyer name contains it,
// the buyer's reading contains it (typed in hiragana or katakana), or a tracking number is it; a
// keyword of digits and hyphens finds the numbers that end with it. From three characters on, the
// containment runs on a trigram index (pg_trgm on PostgreSQL, FTS5 on SQLite); a shorter keyword,
// such as a family name 佐藤 or the first kana an operator types, has no trigram and finds the
// names and readings that start with it, and the number that is it.
func keywordBranches(keyword string, postgres bool) []branch {
	kw := strings.TrimSpace(keyword)
	if kw == "" {
		return nil
	}
	tracking := order.NormaliseTrackingNumber(kw)
	kana, hasKana := katakana(kw)
	out := []branch{func(w *where) string {
		return fmt.Sprintf("id IN (SELECT order_id FROM order_shipments WHERE tracking_number = %s)", w.arg(tracking))
	}}
	short := utf8.RuneCountInString(kw) < 3
	switch {
	case !short && numberLike(kw) && postgres:
		// Digits share their trigrams with every order number: the number's tail is searched
		// on the index of the reversed number instead.
		return append(out, func(w *where) string {
			return fmt.Sprintf("reverse(number) LIKE %s", w.arg(likeEscape(reverseString(kw))+"%"))
		})
	case !short && numberLike(kw):
		return append(out, func(w *where) string {
			return fmt.Sprintf("(%s AND substr(number, -%s) = %s)", w.ftsIDs(`"`+kw+`"`), w.arg(int64(len(kw))), w.arg(kw))
		})
	case short:
		out = append(out, prefix("buyer_name", kw, postgres), func(w *where) string { return "number = " + w.arg(kw) })
		if hasKana {
			out = append(out, prefix("buyer_kana", kana, postgres))
		}
		return out
	case postgres:
		out = append(out, contains("number", kw), contains("buyer_name", kw))
		if hasKana {
			out = append(out, contains("buyer_kana", kana))
		}
		return out
	default:
		// One phrase: the trigram tokenizer matches it as a substring of any column.
		match := ftsPhrase(kw)
		if hasKana && kana != kw {
			match = "{number buyer_name} : " + match + " OR buyer_kana : " + ftsPhrase(kana)
		}
		return append(out, func(w *where) string { return w.ftsIDs(match) })
	}
}

// prefix is the branch of the values of col that start with s, on col's index.
func prefix(col, s string, postgres bool) branch {
	if postgres {
		return func(w *where) string { return col + " LIKE " + w.arg(likeEscape(s)+"%") }
	}
	return func(w *where) string {
		return fmt.Sprintf("(%s >= %s AND %s < %s)", col, w.arg(s), col, w.arg(s+string(utf8.MaxRune)))
	}
}

// contains is the branch of the values of col that contain s, on col's trigram index
// (PostgreSQL).
func contains(col, s string) branch {
	return func(w *where) string { return col + " LIKE " + w.arg("%"+likeEscape(s)+"%") }
}

// ftsPhrase quotes s as one FTS5 phrase.
func ftsPhrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// katakana returns s with its hiragana turned into katakana, as marketplaces send readings, and
// whether s has any kana at all: an operator types a reading in either.
func katakana(s string) (string, bool) {
	hasKana := false
	out := []rune(s)
	for i, r := range out {
		switch {
		case r >= 'ぁ' && r <= 'ゖ':
			out[i] = r + 'ァ' - 'ぁ'
			hasKana = true
		case (r >= 'ァ' && r <= 'ヺ') || r == 'ー':
			hasKana = true
		}
	}
	return string(out), hasKana
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

// sortKey is what a query's list is sorted on, and the direction.
func sortKey(q store.OrderQuery) (col, dir string) {
	col = "ordered_at"
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
	case store.SortShipBy:
		col = "latest_ship_date"
	}
	dir = " DESC"
	if q.Ascending {
		dir = " ASC"
	}
	return col, dir
}

// orderBy is the ORDER BY of a query; every sort ends on the id so that pages never overlap.
func orderBy(q store.OrderQuery) string {
	col, dir := sortKey(q)
	return " ORDER BY " + col + dir + ", id" + dir
}

// A keyword search is a union of its branches, each with the query's other filters: each
// branch finds its own first orders in the list's order on its own index and stops there
// (a family name that a hundred thousand buyers share reads its newest orders, not all of
// them), and the union of those is sorted once more. A branch's first offset+size orders hold
// the page's. One query with the branches ORed would build the whole match set first.

// keywordIDs returns the statement that finds the ids of a keyword search's orders, limit of
// them from offset on.
func (s *Store) keywordIDs(q store.OrderQuery, branches []branch, limit, offset int64, dense bool) (string, []any) {
	col, dir := sortKey(q)
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres, dense: dense, now: s.cfg.Now()}
	parts := make([]string, len(branches))
	for i, b := range branches {
		w.conds = nil
		w.filters(q, true)
		w.conds = append(w.conds, b(w))
		parts[i] = fmt.Sprintf("SELECT id, sort_key FROM (SELECT id, %s AS sort_key FROM orders%s ORDER BY sort_key%s, id%s LIMIT %s) AS b%d",
			col, w.String(), dir, dir, w.arg(limit+offset), i)
	}
	return fmt.Sprintf("SELECT id FROM (%s) AS hits ORDER BY sort_key%s, id%s LIMIT %s OFFSET %s",
		strings.Join(parts, " UNION "), dir, dir, w.arg(limit), w.arg(offset)), w.args
}

// keywordCount returns the statement that counts a keyword search's orders up to past the
// cap: each branch stops at the cap on its own, and when one reaches it so does the union.
func (s *Store) keywordCount(q store.OrderQuery, branches []branch) (string, []any) {
	w := &where{postgres: s.cfg.Engine == store.EnginePostgres, now: s.cfg.Now()}
	parts := make([]string, len(branches))
	for i, b := range branches {
		w.conds = nil
		w.filters(q, true)
		w.conds = append(w.conds, b(w))
		parts[i] = fmt.Sprintf("SELECT id FROM (SELECT id FROM orders%s LIMIT %d) AS b%d", w.String(), store.CountCap+1, i)
	}
	return fmt.Sprintf("SELECT count(*) FROM (%s) AS hits", strings.Join(parts, " UNION ")), w.args
}

// SearchOrders implements store.Store: one statement counts, one finds the page's ids, and
// the rows are read by id.
func (s *Store) SearchOrders(ctx context.Context, q store.OrderQuery) (store.OrderPage, error) {
	page, size, offset := store.Normalise(q.Page, q.PageSize)
	branches := keywordBranches(q.Keyword, s.cfg.Engine == store.EnginePostgres)
	count, countArgs := s.countQuery(q, branches)
	var total int64
	if err := s.cfg.Reader.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
		return store.OrderPage{}, fmt.Errorf("count orders: %w", err)
	}
	total = min(total, store.CountCap+1)
	out := store.OrderPage{Orders: []order.Order{}, Total: total, Page: page, PageSize: size}
	if total == 0 || (!store.Capped(total) && int64(offset) >= total) {
		return out, nil // past a capped count the pages go on: more orders match
	}
	query, args := s.idsQuery(q, branches, int64(size), int64(offset), total > denseMatches)
	ids, err := s.queryIDs(ctx, query, args)
	if err != nil {
		return out, fmt.Errorf("search orders: %w", err)
	}
	out.Orders, err = s.ordersByID(ctx, ids)
	return out, err
}

// countQuery returns the statement that counts a query's orders up to past the cap.
func (s *Store) countQuery(q store.OrderQuery, branches []branch) (string, []any) {
	if len(branches) > 0 {
		return s.keywordCount(q, branches)
	}
	w := s.orderWhere(q, true)
	return fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM orders%s LIMIT %d) AS hits", w.String(), store.CountCap+1), w.args
}

// idsQuery returns the statement that finds the ids of a query's orders in the list's order,
// limit of them from offset on.
func (s *Store) idsQuery(q store.OrderQuery, branches []branch, limit, offset int64, dense bool) (string, []any) {
	if len(branches) > 0 {
		return s.keywordIDs(q, branches, limit, offset, dense)
	}
	w := s.orderWhere(q, true)
	lim, off := w.arg(limit), w.arg(offset)
	return "SELECT id FROM orders" + w.String() + orderBy(q) + " LIMIT " + lim + " OFFSET " + off, w.args
}

// OrderIDs implements store.Store.
func (s *Store) OrderIDs(ctx context.Context, q store.OrderQuery, limit int) ([]int64, error) {
	query, args := s.idsQuery(q, keywordBranches(q.Keyword, s.cfg.Engine == store.EnginePostgres), int64(limit), 0, false)
	ids, err := s.queryIDs(ctx, query, args)
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
func (s *Store) CountOrdersByPhase(ctx context.Context, q store.OrderQuery) (store.PhaseCounts, error) {
	w := s.orderWhere(q, false)
	w.add("phase_id = p.id")
	w.add("shop_id = s.id")
	// One capped count per phase and shop, each on the orders_shop_phase_ordered index.
	query := fmt.Sprintf("SELECT p.id, s.id, (SELECT count(*) FROM (SELECT 1 FROM orders%s LIMIT %d) AS hits) FROM phases p CROSS JOIN shops s", w.String(), store.CountCap+1)
	var shopConds []string
	if q.ShopID != 0 {
		shopConds = append(shopConds, "s.id = "+w.arg(q.ShopID))
	}
	if q.Channel != "" {
		shopConds = append(shopConds, "s.channel = "+w.arg(string(q.Channel)))
	}
	if len(shopConds) > 0 {
		query += " WHERE " + strings.Join(shopConds, " AND ")
	}
	rows, err := s.cfg.Reader.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count orders by phase: %w", err)
	}
	defer rows.Close()
	out := store.PhaseCounts{}
	for rows.Next() {
		var phase, shop, n int64
		if err := rows.Scan(&phase, &shop, &n); err != nil {
			return nil, fmt.Errorf("count orders by phase: %w", err)
		}
		if n > 0 {
			if out[phase] == nil {
				out[phase] = map[int64]int64{}
			}
			out[phase][shop] = n
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
