package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/sqlitestore/sqlitedb"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// CreateShop implements store.Store. The first shop brings the default phases, which every shop
// shares.
func (s *Store) CreateShop(ctx context.Context, sh shop.Shop) (shop.Shop, error) {
	if err := sh.Validate(); err != nil {
		return shop.Shop{}, err
	}
	sealed, err := s.seal(sh.Credentials)
	if err != nil {
		return shop.Shop{}, err
	}
	if sh.Status == "" {
		sh.Status = shop.Active
	}
	err = s.write(ctx, func(t *tx) error {
		id, err := t.q.CreateShop(ctx, sqlitedb.CreateShopParams{
			Channel: string(sh.Channel), Name: sh.Name, Code: sh.Code, Credentials: sealed,
			CredentialsExpireAt: nullTime(sh.CredentialsExpireAt), Status: string(sh.Status),
			StatusMessage: sh.StatusMessage, OverwriteSameOrder: sh.OverwriteSameOrder, Now: s.now(),
		})
		if err != nil {
			return fmt.Errorf("create shop: %w", err)
		}
		sh.ID = id
		// The phases are every shop's: the first shop brings the default ones.
		phases, err := t.q.ListPhases(ctx)
		if err != nil {
			return fmt.Errorf("list phases: %w", err)
		}
		for i, name := range workflow.DefaultPhaseNames {
			if len(phases) > 0 {
				break
			}
			if _, err := t.q.CreatePhase(ctx, sqlitedb.CreatePhaseParams{Name: name, Position: int64(i + 1)}); err != nil {
				return fmt.Errorf("create phase %s: %w", name, err)
			}
		}
		for _, tmpl := range buyermail.Defaults(id) {
			tmpl.UpdatedAt = s.now()
			if _, err := createTemplate(ctx, t.q, tmpl); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return shop.Shop{}, err
	}
	return s.GetShop(ctx, sh.ID)
}

// GetShop implements store.Store.
func (s *Store) GetShop(ctx context.Context, id int64) (shop.Shop, error) {
	row, err := s.reader.GetShop(ctx, id)
	if err != nil {
		return shop.Shop{}, notFound(err, "店舗")
	}
	return s.shopFromRow(row)
}

// ListShops implements store.Store.
func (s *Store) ListShops(ctx context.Context) ([]shop.Shop, error) {
	rows, err := s.reader.ListShops(ctx)
	if err != nil {
		return nil, fmt.Errorf("list shops: %w", err)
	}
	out := make([]shop.Shop, 0, len(rows))
	for _, r := range rows {
		sh, err := s.shopFromRow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, nil
}

// UpdateShop implements store.Store. Credentials and status have their own methods.
func (s *Store) UpdateShop(ctx context.Context, sh shop.Shop) error {
	if err := sh.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.UpdateShop(ctx, sqlitedb.UpdateShopParams{ID: sh.ID, Name: sh.Name, Code: sh.Code, OverwriteSameOrder: sh.OverwriteSameOrder, Now: s.now()})
		return mustAffect(n, err, "店舗")
	})
}

// SetShopCredentials implements store.Store. New credentials also clear an auth error.
func (s *Store) SetShopCredentials(ctx context.Context, shopID int64, creds shop.Credentials, expireAt time.Time) error {
	sealed, err := s.seal(creds)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetShopCredentials(ctx, sqlitedb.SetShopCredentialsParams{ID: shopID, Credentials: sealed, CredentialsExpireAt: nullTime(expireAt), Now: s.now()})
		return mustAffect(n, err, "店舗")
	})
}

// SetShopStatus implements store.Store.
func (s *Store) SetShopStatus(ctx context.Context, shopID int64, status shop.Status, message string) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetShopStatus(ctx, sqlitedb.SetShopStatusParams{ID: shopID, Status: string(status), StatusMessage: message, Now: s.now()})
		return mustAffect(n, err, "店舗")
	})
}

func (s *Store) seal(creds shop.Credentials) ([]byte, error) {
	if len(creds) == 0 {
		return nil, nil
	}
	plain, err := json.Marshal(creds.Plain())
	if err != nil {
		return nil, fmt.Errorf("encode credentials: %w", err)
	}
	return s.cfg.Box.Seal(plain), nil
}

func (s *Store) shopFromRow(r sqlitedb.Shop) (shop.Shop, error) {
	sh := shop.Shop{
		ID: r.ID, Channel: shop.Channel(r.Channel), Name: r.Name, Code: r.Code,
		CredentialsExpireAt: r.CredentialsExpireAt.Time, Status: shop.Status(r.Status), StatusMessage: r.StatusMessage,
		OverwriteSameOrder: r.OverwriteSameOrder, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if len(r.Credentials) > 0 {
		plain, err := s.cfg.Box.Open(r.Credentials)
		if err != nil {
			return shop.Shop{}, fmt.Errorf("shop %d: %w", r.ID, err)
		}
		if err := json.Unmarshal(plain, &sh.Credentials); err != nil {
			return shop.Shop{}, fmt.Errorf("shop %d credentials: %w", r.ID, err)
		}
	}
	return sh, nil
}

// ListPhases implements store.Store.
func (s *Store) ListPhases(ctx context.Context) ([]workflow.Phase, error) {
	rows, err := s.reader.ListPhases(ctx)
	if err != nil {
		return nil, fmt.Errorf("list phases: %w", err)
	}
	out := make([]workflow.Phase, len(rows))
	for i, r := range rows {
		out[i] = workflow.Phase(r)
	}
	return out, nil
}

// CreatePhase implements store.Store. The new phase goes last; import keeps running.
func (s *Store) CreatePhase(ctx context.Context, name string) (workflow.Phase, error) {
	name, err := workflow.ValidatePhaseName(name)
	if err != nil {
		return workflow.Phase{}, err
	}
	var p workflow.Phase
	err = s.write(ctx, func(t *tx) error {
		phases, err := t.q.ListPhases(ctx)
		if err != nil {
			return err
		}
		var last int64
		for _, ph := range phases {
			last = max(last, ph.Position)
		}
		id, err := t.q.CreatePhase(ctx, sqlitedb.CreatePhaseParams{Name: name, Position: last + 1})
		if err != nil {
			return s.conflictIfUnique(err, fmt.Sprintf("処理フェーズ「%s」は既にあります。別の名前を入力してください。", name))
		}
		p = workflow.Phase{ID: id, Name: name, Position: last + 1}
		return nil
	})
	return p, err
}

// RenamePhase implements store.Store. Orders keep their phase: they refer to it by id.
func (s *Store) RenamePhase(ctx context.Context, phaseID int64, name string) error {
	name, err := workflow.ValidatePhaseName(name)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.RenamePhase(ctx, sqlitedb.RenamePhaseParams{ID: phaseID, Name: name})
		if err != nil {
			return s.conflictIfUnique(err, fmt.Sprintf("処理フェーズ「%s」は既にあります。別の名前を入力してください。", name))
		}
		return mustAffect(n, nil, "処理フェーズ")
	})
}

// SetPhaseExpectedHours implements store.Store.
func (s *Store) SetPhaseExpectedHours(ctx context.Context, phaseID, hours int64) error {
	if err := workflow.ValidateExpectedHours(hours); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetPhaseExpectedHours(ctx, sqlitedb.SetPhaseExpectedHoursParams{ID: phaseID, ExpectedHours: hours})
		return mustAffect(n, err, "処理フェーズ")
	})
}

// ReorderPhases implements store.Store. It takes the phase list first, as DeletePhase does, so
// that the two never interleave (nor deadlock on PostgreSQL).
func (s *Store) ReorderPhases(ctx context.Context, ids []int64) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.q.LockPhases(ctx); err != nil {
			return fmt.Errorf("lock the phases: %w", err)
		}
		phases, err := t.q.ListPhases(ctx)
		if err != nil {
			return err
		}
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			seen[id] = true
		}
		if len(seen) != len(phases) || len(ids) != len(phases) {
			return apperror.New(apperror.Invalid, "並べ替えには処理フェーズをすべて1回ずつ指定してください。画面を更新してからやり直してください。")
		}
		for _, p := range phases {
			if !seen[p.ID] {
				return apperror.New(apperror.Invalid, "並べ替えには処理フェーズをすべて1回ずつ指定してください。画面を更新してからやり直してください。")
			}
		}
		for i, id := range ids {
			if _, err := t.q.SetPhasePosition(ctx, sqlitedb.SetPhasePositionParams{ID: id, Position: int64(i + 1)}); err != nil {
				return fmt.Errorf("reorder phases: %w", err)
			}
		}
		return nil
	})
}

// SaveRule implements store.Store.
func (s *Store) SaveRule(ctx context.Context, r workflow.Rule) (workflow.Rule, error) {
	if r.Interval <= 0 {
		r.Interval = workflow.DefaultPollInterval
	}
	err := s.write(ctx, func(t *tx) error {
		phaseRows, err := t.q.ListPhases(ctx)
		if err != nil {
			return err
		}
		phases := make([]workflow.Phase, len(phaseRows))
		for i, p := range phaseRows {
			phases[i] = workflow.Phase(p)
		}
		ruleRows, err := t.q.ListRules(ctx, r.ShopID)
		if err != nil {
			return err
		}
		others := make([]workflow.Rule, len(ruleRows))
		for i, o := range ruleRows {
			others[i] = ruleFromRow(o)
		}
		if err := r.Validate(phases, others); err != nil {
			return err
		}
		shopRow, err := t.q.GetShop(ctx, r.ShopID)
		if err != nil {
			return notFound(err, "店舗")
		}
		if err := shop.Channel(shopRow.Channel).CheckJobKind(r.Kind); err != nil {
			return err
		}
		if err := checkRuleTemplate(ctx, t.q, r); err != nil {
			return err
		}
		if r.ID == 0 {
			r.ID, err = t.q.CreateRule(ctx, sqlitedb.CreateRuleParams{
				ShopID: r.ShopID, JobKind: string(r.Kind), TargetPhaseID: nullID(r.TargetPhaseID), SuccessPhaseID: nullID(r.SuccessPhaseID),
				ErrorPhaseID: nullID(r.ErrorPhaseID), Enabled: r.Enabled, IntervalSeconds: int64(r.Interval / time.Second),
				MailTemplateID: nullID(r.MailTemplateID),
			})
		} else {
			var n int64
			n, err = t.q.UpdateRule(ctx, sqlitedb.UpdateRuleParams{
				ID: r.ID, ShopID: r.ShopID, JobKind: string(r.Kind), TargetPhaseID: nullID(r.TargetPhaseID), SuccessPhaseID: nullID(r.SuccessPhaseID),
				ErrorPhaseID: nullID(r.ErrorPhaseID), Enabled: r.Enabled, IntervalSeconds: int64(r.Interval / time.Second),
				MailTemplateID: nullID(r.MailTemplateID),
			})
			err = mustAffect(n, err, "自動処理")
		}
		// The unique index is the last word when two saves race past Validate.
		return s.conflictIfUnique(err, "この処理フェーズは既にこの店舗の別の自動処理の対象です。1つの処理フェーズを対象にできる自動処理は店舗ごとに1種類だけです。")
	})
	return r, err
}

// ListRules implements store.Store.
func (s *Store) ListRules(ctx context.Context, shopID int64) ([]workflow.Rule, error) {
	rows, err := s.reader.ListRules(ctx, shopID)
	if err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	out := make([]workflow.Rule, len(rows))
	for i, r := range rows {
		out[i] = ruleFromRow(r)
	}
	return out, nil
}

// SetRuleEnabled implements store.Store: 開始 / 停止.
func (s *Store) SetRuleEnabled(ctx context.Context, ruleID int64, enabled bool) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetRuleEnabled(ctx, sqlitedb.SetRuleEnabledParams{ID: ruleID, Enabled: enabled})
		return mustAffect(n, err, "自動処理")
	})
}

func ruleFromRow(r sqlitedb.AutomationRule) workflow.Rule {
	return workflow.Rule{
		ID: r.ID, ShopID: r.ShopID, Kind: workflow.JobKind(r.JobKind), TargetPhaseID: r.TargetPhaseID.Int64,
		SuccessPhaseID: r.SuccessPhaseID.Int64, ErrorPhaseID: r.ErrorPhaseID.Int64, Enabled: r.Enabled,
		Interval: time.Duration(r.IntervalSeconds) * time.Second, LastRunAt: r.LastRunAt.Time, NextRunAt: r.NextRunAt.Time,
		LastSuccessAt: r.LastSuccessAt.Time, MailTemplateID: r.MailTemplateID.Int64,
	}
}

// GetRule implements store.Store.
func (s *Store) GetRule(ctx context.Context, ruleID int64) (workflow.Rule, error) {
	row, err := s.reader.GetRule(ctx, ruleID)
	if err != nil {
		return workflow.Rule{}, notFound(err, "自動処理")
	}
	return ruleFromRow(row), nil
}

// DueRules implements store.Store.
func (s *Store) DueRules(ctx context.Context, kinds []workflow.JobKind, now time.Time) ([]workflow.Rule, error) {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	rows, err := s.reader.ListDueRules(ctx, sqlitedb.ListDueRulesParams{Now: nullTime(now), Kinds: names})
	if err != nil {
		return nil, fmt.Errorf("due rules: %w", err)
	}
	out := make([]workflow.Rule, len(rows))
	for i, r := range rows {
		out[i] = ruleFromRow(r)
	}
	return out, nil
}

// MarkRuleRun implements store.Store.
func (s *Store) MarkRuleRun(ctx context.Context, ruleID int64, lastRunAt, nextRunAt time.Time) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetRuleRun(ctx, sqlitedb.SetRuleRunParams{ID: ruleID, LastRunAt: nullTime(lastRunAt), NextRunAt: nullTime(nextRunAt)})
		return mustAffect(n, err, "自動処理")
	})
}

// MarkRuleSucceeded implements store.Store.
func (s *Store) MarkRuleSucceeded(ctx context.Context, ruleID int64, at time.Time) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetRuleSuccess(ctx, sqlitedb.SetRuleSuccessParams{ID: ruleID, LastSuccessAt: nullTime(at)})
		return mustAffect(n, err, "自動処理")
	})
}

// RuleTargeting implements store.Store.
func (s *Store) RuleTargeting(ctx context.Context, shopID, phaseID int64) (workflow.Rule, bool, error) {
	rules, err := s.RulesTargeting(ctx, phaseID)
	if err != nil {
		return workflow.Rule{}, false, err
	}
	for _, r := range rules {
		if r.ShopID == shopID {
			return r, true, nil
		}
	}
	return workflow.Rule{}, false, nil
}

// RulesTargeting implements store.Store.
func (s *Store) RulesTargeting(ctx context.Context, phaseID int64) ([]workflow.Rule, error) {
	rows, err := s.reader.ListRulesByTargetPhase(ctx, nullID(phaseID))
	if err != nil {
		return nil, fmt.Errorf("rules targeting phase %d: %w", phaseID, err)
	}
	out := make([]workflow.Rule, len(rows))
	for i, r := range rows {
		out[i] = ruleFromRow(r)
	}
	return out, nil
}

// ListAllRules implements store.Store.
func (s *Store) ListAllRules(ctx context.Context) ([]workflow.Rule, error) {
	rows, err := s.reader.ListAllRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	out := make([]workflow.Rule, len(rows))
	for i, r := range rows {
		out[i] = ruleFromRow(r)
	}
	return out, nil
}

// SetCredentialsExpiry implements store.Store.
func (s *Store) SetCredentialsExpiry(ctx context.Context, shopID int64, expireAt time.Time) error {
	return s.write(ctx, func(t *tx) error {
		n, err := t.q.SetShopCredentialsExpiry(ctx, sqlitedb.SetShopCredentialsExpiryParams{ID: shopID, CredentialsExpireAt: nullTime(expireAt), Now: s.now()})
		return mustAffect(n, err, "店舗")
	})
}

// MarkAuthError implements store.Store.
func (s *Store) MarkAuthError(ctx context.Context, shopID int64, message string) (bool, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		n, err = t.q.MarkShopAuthError(ctx, sqlitedb.MarkShopAuthErrorParams{ID: shopID, StatusMessage: message, Now: s.now()})
		return err
	})
	return n > 0, err
}

// ReserveCall implements store.Store.
func (s *Store) ReserveCall(ctx context.Context, key string, every time.Duration) (time.Duration, error) {
	var waitUS int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		waitUS, err = t.q.ReserveCallSlot(ctx, sqlitedb.ReserveCallSlotParams{Key: key, NowUs: s.now().UnixMicro(), StepUs: every.Microseconds()})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reserve a call slot: %w", err)
	}
	return max(0, time.Duration(waitUS)*time.Microsecond), nil
}

// ClaimCall implements store.Store.
func (s *Store) ClaimCall(ctx context.Context, key string, floor time.Duration) (time.Duration, error) {
	token := rand.Int64N(math.MaxInt64-1) + 1 // never the column's 0 of a slot not yet claimed
	var row sqlitedb.ClaimCallSlotRow
	now := s.now()
	err := s.write(ctx, func(t *tx) error {
		var err error
		row, err = t.q.ClaimCallSlot(ctx, sqlitedb.ClaimCallSlotParams{Key: key, NowUs: now.UnixMicro(), FloorUs: floor.Microseconds(), Token: token})
		return err
	})
	switch {
	case errors.Is(err, sql.ErrNoRows): // no slot was reserved: nothing to keep apart from
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("claim a call slot: %w", err)
	case row.Claim == token:
		return 0, nil
	}
	// Counted on this instance's clock; on PostgreSQL the claim was judged on the database's
	// (when later), and a wait that comes out short is only claimed again.
	return max(time.Millisecond, time.UnixMicro(row.LastUs).Add(floor).Sub(now)), nil
}

// MarkCallSent implements store.Store.
func (s *Store) MarkCallSent(ctx context.Context, key string, at time.Time) error {
	err := s.write(ctx, func(t *tx) error {
		return t.q.MarkCallSent(ctx, sqlitedb.MarkCallSentParams{Key: key, NowUs: at.UnixMicro()})
	})
	if err != nil {
		return fmt.Errorf("mark a call sent: %w", err)
	}
	return nil
}

// checkRuleTemplate refuses a メール送信 rule whose template is another shop's or gone.
func checkRuleTemplate(ctx context.Context, q sqlitedb.Querier, r workflow.Rule) error {
	if r.MailTemplateID == 0 {
		return nil
	}
	tmpl, err := q.GetMailTemplate(ctx, r.MailTemplateID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && tmpl.ShopID.Valid && tmpl.ShopID.Int64 != r.ShopID) {
		return apperror.New(apperror.Invalid, "選ばれたメールテンプレートはこの店舗では使えません。この店舗のテンプレートか共通のテンプレートを選んでください。")
	}
	return err
}
