package workflow

import (
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// TestPhaseInUseIsNotDeleted: a phase is deleted only when no order waits in it, no rule uses it
// and imports do not need it; a refusal names every reason with what to do.
func TestPhaseInUseIsNotDeleted(t *testing.T) {
	t.Parallel()
	inbox, hold, shipped, errs := Phase{ID: 1, Name: "新規受付"}, Phase{ID: 2, Name: "保留"}, Phase{ID: 3, Name: "出荷済み"}, Phase{ID: 4, Name: "エラー"}
	all := []Phase{inbox, hold, shipped, errs}
	report := Rule{ID: 10, Kind: JobShipReport, TargetPhaseID: shipped.ID, SuccessPhaseID: hold.ID, ErrorPhaseID: errs.ID}
	review := Rule{ID: 11, Kind: JobPaymentReview, TargetPhaseID: inbox.ID, SuccessPhaseID: shipped.ID, ErrorPhaseID: errs.ID}
	cases := []struct {
		name string
		d    PhaseDeletion
		want []string // parts of the refusal; none: deleted
	}{
		{"unused", PhaseDeletion{Phase: hold, Phases: all}, nil},
		{"orders in it", PhaseDeletion{Phase: hold, Phases: all, Orders: 12},
			[]string{"処理フェーズ「保留」は削除できません。", "この処理フェーズには注文が12件あります。注文を別の処理フェーズへ移動してから削除してください。"}},
		{"more orders than counted", PhaseDeletion{Phase: hold, Phases: all, Orders: 10000, OrdersCapped: true},
			[]string{"注文が10,000件以上あります。"}},
		{"a rule's success phase", PhaseDeletion{Phase: hold, Phases: all, Rules: []Rule{report, review}},
			[]string{"自動処理「出荷情報反映」の成功時の移動先に使われています。自動処理設定で別の処理フェーズを選んでから削除してください。"}},
		{"two rules' phase", PhaseDeletion{Phase: shipped, Phases: all, Rules: []Rule{report, review}},
			[]string{"自動処理「出荷情報反映」の対象処理フェーズに使われています。自動処理「決済審査結果確認」の成功時の移動先に使われています。"}},
		{"the import's phase", PhaseDeletion{Phase: inbox, Phases: all},
			[]string{"この処理フェーズは先頭にあり、取り込んだ注文が入ります。別の処理フェーズを先頭に並べ替えてから削除してください。"}},
		{"the only phase", PhaseDeletion{Phase: inbox, Phases: []Phase{inbox}},
			[]string{"処理フェーズはこれだけです。"}},
		{"every reason at once", PhaseDeletion{Phase: inbox, Phases: all, Rules: []Rule{report, review}, Orders: 3},
			[]string{"先頭にあり", "注文が3件あります", "自動処理「決済審査結果確認」の対象処理フェーズに使われています"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.d.Check()
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !apperror.Is(err, apperror.Conflict) {
				t.Fatalf("want a conflict, got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(apperror.MessageOf(err), w) {
					t.Errorf("message %q lacks %q", apperror.MessageOf(err), w)
				}
			}
		})
	}
}
