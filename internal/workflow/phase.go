package workflow

import (
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Phase is one of the company's processing phases, shared by every shop: each shop's orders wait
// in it, and each shop's rule on it takes only that shop's orders (seed 000). Position orders them
// on screen.
type Phase struct {
	ID       int64
	Name     string
	Position int64
	// ExpectedHours is how long an order should stay in the phase, in hours (0: no limit): 要対応
	// counts each shop's orders held in it for longer.
	ExpectedHours int64
}

// Expected is ExpectedHours as a duration; 0 when the phase has no limit.
func (p Phase) Expected() time.Duration { return time.Duration(p.ExpectedHours) * time.Hour }

// MaxExpectedHours bounds a phase's expected time: 90 days.
const MaxExpectedHours = 90 * 24

// ValidateExpectedHours checks a phase's expected time, in hours (0: no limit).
func ValidateExpectedHours(hours int64) error {
	if hours < 0 || hours > MaxExpectedHours {
		return apperror.New(apperror.Invalid, "想定滞留時間は0〜%d時間で入力してください(0は制限なし)。", MaxExpectedHours)
	}
	return nil
}

// DefaultPhaseNames are the phases the company starts with (made with its first shop), in order.
// The first one receives imported orders.
var DefaultPhaseNames = []string{"新規受付", "確認待ち", "入金待ち", "出荷待ち", "出荷済み", "完了", "保留", "キャンセル", "エラー"}

// MaxPhaseNameLength bounds a phase name, in characters.
const MaxPhaseNameLength = 40

// ValidatePhaseName checks a new or renamed phase's name.
func ValidatePhaseName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperror.New(apperror.Invalid, "処理フェーズ名を入力してください。")
	}
	if n := len([]rune(name)); n > MaxPhaseNameLength {
		return "", apperror.New(apperror.Invalid, "処理フェーズ名は%d文字以内で入力してください（%d文字入力されています）。", MaxPhaseNameLength, n)
	}
	return name, nil
}

// PhaseDeletion is what deleting a phase is checked against, as the deleting transaction read
// it: the phase, the company's phases, every shop's rules, and how many orders wait in it.
type PhaseDeletion struct {
	Phase  Phase
	Phases []Phase // the phases in order; the first one receives imported orders
	Rules  []Rule  // every shop's rules
	// Orders counts the orders in the phase; OrdersCapped says the count stopped at Orders and
	// there are more.
	Orders       int64
	OrdersCapped bool
}

// Check says why the phase cannot be deleted, every reason at once with what to do about it,
// so that the operator clears them in one pass; nil when it can be. A phase is kept while:
//   - it is the only phase, or the first: imports put new orders into the first phase,
//     and deleting it would silently send them to the next one, perhaps a rule's target;
//   - orders are in it: they would have no phase;
//   - a rule takes orders from it or moves orders into it.
func (d PhaseDeletion) Check() error {
	var reasons []string
	switch {
	case len(d.Phases) <= 1:
		reasons = append(reasons, "処理フェーズはこれだけです。取り込んだ注文が入る処理フェーズが必要なため、別の処理フェーズを追加して先頭に並べ替えてから削除してください。")
	case d.Phases[0].ID == d.Phase.ID:
		reasons = append(reasons, "この処理フェーズは先頭にあり、取り込んだ注文が入ります。別の処理フェーズを先頭に並べ替えてから削除してください。")
	}
	if d.Orders > 0 {
		n := order.Grouped(d.Orders) + "件"
		if d.OrdersCapped {
			n += "以上"
		}
		reasons = append(reasons, fmt.Sprintf("この処理フェーズには注文が%sあります。注文を別の処理フェーズへ移動してから削除してください。", n))
	}
	var uses []string
	for _, r := range d.Rules {
		for _, u := range []struct {
			id   int64
			role string
		}{{r.TargetPhaseID, "対象処理フェーズ"}, {r.SuccessPhaseID, "成功時の移動先"}, {r.ErrorPhaseID, "エラー時の移動先"}} {
			if u.id == d.Phase.ID {
				uses = append(uses, fmt.Sprintf("自動処理「%s」の%sに使われています。", r.Kind.Label(), u.role))
			}
		}
	}
	if len(uses) > 0 {
		reasons = append(reasons, strings.Join(uses, "")+"自動処理設定で別の処理フェーズを選んでから削除してください。")
	}
	if len(reasons) == 0 {
		return nil
	}
	return apperror.New(apperror.Conflict, "処理フェーズ「%s」は削除できません。%s", d.Phase.Name, strings.Join(reasons, ""))
}
