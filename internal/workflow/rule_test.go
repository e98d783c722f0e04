package workflow

import (
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

func TestRuleValidate(t *testing.T) {
	t.Parallel()
	phases := []Phase{{ID: 1, Name: "出荷待ち"}, {ID: 2, Name: "出荷済み"}, {ID: 3, Name: "エラー"}}
	held := []Rule{{ID: 50, ShopID: 7, Kind: JobShipReport, TargetPhaseID: 1}}
	otherShop := []Rule{{ID: 60, ShopID: 8, Kind: JobShipReport, TargetPhaseID: 1}}
	cases := []struct {
		name    string
		rule    Rule
		others  []Rule
		code    apperror.Code
		message string
	}{
		{"valid", Rule{ShopID: 7, Kind: JobShipReport, TargetPhaseID: 1, SuccessPhaseID: 2, ErrorPhaseID: 3}, nil, "", ""},
		{"import needs no target", Rule{ShopID: 7, Kind: JobImport}, nil, "", ""},
		{"unknown kind", Rule{ShopID: 7, Kind: "fax"}, nil, apperror.Invalid, "ありません"},
		{"missing target", Rule{ShopID: 7, Kind: JobConfirm, SuccessPhaseID: 2, ErrorPhaseID: 3}, nil, apperror.Invalid, "対象処理フェーズを選択"},
		// Seed 000: 移動先処理フェーズは設定しないことも可能.
		{"no success phase", Rule{ShopID: 7, Kind: JobConfirm, TargetPhaseID: 1, ErrorPhaseID: 3}, nil, "", ""},
		{"no error phase", Rule{ShopID: 7, Kind: JobConfirm, TargetPhaseID: 1, SuccessPhaseID: 2}, nil, "", ""},
		{"no destination at all", Rule{ShopID: 7, Kind: JobShipReport, TargetPhaseID: 1}, nil, "", ""},
		{"phase that does not exist", Rule{ShopID: 7, Kind: JobConfirm, TargetPhaseID: 9, SuccessPhaseID: 2, ErrorPhaseID: 3}, nil, apperror.Invalid, "対象処理フェーズに選ばれた処理フェーズはありません"},
		{"success equals target", Rule{ShopID: 7, Kind: JobConfirm, TargetPhaseID: 1, SuccessPhaseID: 1, ErrorPhaseID: 3}, nil, apperror.Invalid, "別のフェーズ"},
		{"error equals target", Rule{ShopID: 7, Kind: JobConfirm, TargetPhaseID: 1, SuccessPhaseID: 2, ErrorPhaseID: 1}, nil, apperror.Invalid, "エラー時の移動先処理フェーズには対象処理フェーズと別"},
		{"target taken", Rule{ShopID: 7, Kind: JobComplete, TargetPhaseID: 1, SuccessPhaseID: 2, ErrorPhaseID: 3}, held, apperror.Conflict, "「出荷待ち」は既にこの店舗の自動処理「出荷情報反映」の対象です"},
		// Seed 000: another shop's orders in the target phase are no concern of this rule.
		{"another shop's rule on the same phase", Rule{ShopID: 7, Kind: JobShipReport, TargetPhaseID: 1, SuccessPhaseID: 2, ErrorPhaseID: 3}, otherShop, "", ""},
		{"same rule keeps its target", Rule{ID: 50, ShopID: 7, Kind: JobShipReport, TargetPhaseID: 1, SuccessPhaseID: 2, ErrorPhaseID: 3}, held, "", ""},
	}
	for _, c := range cases {
		err := c.rule.Validate(phases, c.others)
		if apperror.CodeOf(err) != c.code || (c.message != "" && !strings.Contains(apperror.MessageOf(err), c.message)) {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
}

func TestValidatePhaseName(t *testing.T) {
	t.Parallel()
	if name, err := ValidatePhaseName("  出荷待ち "); err != nil || name != "出荷待ち" {
		t.Fatalf("%q %v", name, err)
	}
	if _, err := ValidatePhaseName(strings.Repeat("長", MaxPhaseNameLength+1)); !apperror.Is(err, apperror.Invalid) {
		t.Fatalf("too long: %v", err)
	}
}
