package workflow

import (
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// Phase is one of a shop's processing phases. Position orders them on screen.
type Phase struct {
	ID       int64
	ShopID   int64
	Name     string
	Position int64
}

// DefaultPhaseNames are the phases a new shop starts with, in order. The first one receives
// imported orders.
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
