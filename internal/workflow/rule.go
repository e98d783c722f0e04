package workflow

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// JobKind is what an automation rule does.
type JobKind string

// The job kinds. Import, status fetch and payment review poll on a schedule; the others act on
// orders that enter their target phase.
const (
	JobImport        JobKind = "import"         // 受注取込
	JobConfirm       JobKind = "confirm"        // 注文確認
	JobPaymentReview JobKind = "payment_review" // 決済審査結果確認 / 入金確認
	JobStatusFetch   JobKind = "status_fetch"   // 注文情報ステータス取得
	JobShipReport    JobKind = "ship_report"    // 出荷情報反映 / 発送完了報告
	JobComplete      JobKind = "complete"       // 受注完了ステータス反映
	JobCapture       JobKind = "capture"        // 売上確定
	JobMail          JobKind = "mail"           // メール送信 (サンクスメール, 発送メール): every channel's
)

// JobKinds lists every kind, in the order the UI shows them.
var JobKinds = []JobKind{JobImport, JobConfirm, JobPaymentReview, JobStatusFetch, JobShipReport, JobComplete, JobCapture, JobMail}

// CommonJobKinds are the kinds every connected channel offers besides its own: they do not call
// the marketplace.
var CommonJobKinds = []JobKind{JobMail}

// Label returns the kind in Japanese.
func (k JobKind) Label() string {
	switch k {
	case JobImport:
		return "受注取込"
	case JobConfirm:
		return "注文確認"
	case JobPaymentReview:
		return "決済審査結果確認"
	case JobStatusFetch:
		return "注文情報ステータス取得"
	case JobShipReport:
		return "出荷情報反映"
	case JobComplete:
		return "受注完了ステータス反映"
	case JobCapture:
		return "売上確定"
	case JobMail:
		return "メール送信"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k JobKind) Valid() bool {
	for _, known := range JobKinds {
		if k == known {
			return true
		}
	}
	return false
}

// NeedsTargetPhase reports whether the kind acts on orders in a phase. Import does not: it brings
// orders in.
func (k JobKind) NeedsTargetPhase() bool { return k != JobImport }

// Polls reports whether the kind looks at the marketplace on a schedule (import, status fetch,
// payment review) rather than acting once on orders entering its phase.
func (k JobKind) Polls() bool {
	return k == JobImport || k == JobStatusFetch || k == JobPaymentReview
}

// DefaultPollInterval is how often polling kinds run per shop unless the rule says otherwise.
const DefaultPollInterval = 5 * time.Minute

// Rule is an automation rule (自動処理): a job kind, the phase whose orders it takes, and the
// phases it moves them to on success and on error. Enabled is 開始 / 停止.
type Rule struct {
	ID             int64
	ShopID         int64
	Kind           JobKind
	TargetPhaseID  int64
	SuccessPhaseID int64
	ErrorPhaseID   int64
	Enabled        bool
	Interval       time.Duration
	LastRunAt      time.Time
	NextRunAt      time.Time
	// LastSuccessAt is when a run of a polling rule last succeeded (zero: not yet).
	LastSuccessAt time.Time
	// MailTemplateID is the template a メール送信 rule sends (0 for other kinds).
	MailTemplateID int64
}

// Validate checks a rule on its own and against its shop's other rules and the phases: the
// phases must exist, and one phase is the target of one job kind only per shop (another shop's
// rule may take its own orders from the same phase). The phases to move to on success and on
// error are optional (seed 000: 移動先処理フェーズは設定しないことも可能です): without one, a
// finished order stays in the target phase, and the rule does not take it again until it is
// moved.
func (r Rule) Validate(phases []Phase, others []Rule) error {
	if !r.Kind.Valid() {
		return apperror.New(apperror.Invalid, "自動処理の種類「%s」はありません。", r.Kind)
	}
	names := make(map[int64]string, len(phases))
	for _, p := range phases {
		names[p.ID] = p.Name
	}
	check := func(id int64, what string, required bool) error {
		if id == 0 {
			if required {
				return apperror.New(apperror.Invalid, "%sを選択してください。", what)
			}
			return nil
		}
		if _, ok := names[id]; !ok {
			return apperror.New(apperror.Invalid, "%sに選ばれた処理フェーズはありません。削除されたかもしれません。画面を更新して選び直してください。", what)
		}
		return nil
	}
	if r.Kind == JobMail && r.MailTemplateID == 0 {
		return apperror.New(apperror.Invalid, "送信するメールテンプレートを選択してください。")
	}
	if r.Kind != JobMail && r.MailTemplateID != 0 {
		return apperror.New(apperror.Invalid, "メールテンプレートを選べるのは「メール送信」の自動処理だけです。")
	}
	if err := check(r.TargetPhaseID, "対象処理フェーズ", r.Kind.NeedsTargetPhase()); err != nil {
		return err
	}
	if err := check(r.SuccessPhaseID, "成功時の移動先処理フェーズ", false); err != nil {
		return err
	}
	if err := check(r.ErrorPhaseID, "エラー時の移動先処理フェーズ", false); err != nil {
		return err
	}
	if r.TargetPhaseID != 0 && r.TargetPhaseID == r.SuccessPhaseID {
		return apperror.New(apperror.Invalid, "成功時の移動先処理フェーズには対象処理フェーズと別のフェーズを選ぶか、「移動しない」を選んでください。")
	}
	// An order failing back into the target phase would be sent, fail and be e-mailed forever.
	if r.TargetPhaseID != 0 && r.TargetPhaseID == r.ErrorPhaseID {
		return apperror.New(apperror.Invalid, "エラー時の移動先処理フェーズには対象処理フェーズと別のフェーズを選ぶか、「移動しない」を選んでください。")
	}
	for _, o := range others {
		if o.ID == r.ID || o.ShopID != r.ShopID || o.TargetPhaseID == 0 || o.TargetPhaseID != r.TargetPhaseID {
			continue
		}
		return PhaseTakenError(names[r.TargetPhaseID], o.Kind)
	}
	return nil
}

// PhaseTakenError is the refusal of a second job kind on one target phase.
func PhaseTakenError(phaseName string, holder JobKind) error {
	return apperror.New(apperror.Conflict,
		"処理フェーズ「%s」は既にこの店舗の自動処理「%s」の対象です。1つの処理フェーズを対象にできる自動処理は店舗ごとに1種類だけです。別の処理フェーズを作成して対象にしてください。",
		phaseName, holder.Label())
}
