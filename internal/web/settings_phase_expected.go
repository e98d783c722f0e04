package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// setPhaseExpected sets how long an order should stay in a phase (想定滞留時間, in hours; empty
// or 0: no limit); 要対応 counts each shop's orders held in it longer.
func (h *Handler) setPhaseExpected(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPhase(w, r)
	if !ok {
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("expected_hours"))
	var hours int64
	if raw != "" {
		var err error
		if hours, err = strconv.ParseInt(raw, 10, 64); err != nil {
			h.settingsFail(w, r, phasesPath, apperror.New(apperror.Invalid, "想定滞留時間「%s」が読めません。時間数を半角数字で入力してください(0は制限なし)。", raw))
			return
		}
	}
	if err := h.deps.Store.SetPhaseExpectedHours(r.Context(), p.ID, hours); err != nil {
		h.settingsFail(w, r, phasesPath, err)
		return
	}
	msg := fmt.Sprintf("処理フェーズ「%s」の想定滞留時間を%d時間にしました。これより長く留まる注文を要対応に表示します。", p.Name, hours)
	if hours == 0 {
		msg = fmt.Sprintf("処理フェーズ「%s」の想定滞留時間をなしにしました。", p.Name)
	}
	h.settingsDone(w, r, phasesPath, msg)
}
