package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// phasesView is 処理フェーズ: the company's phases in order, shared by every shop (seed 000),
// with their order counts across the shops and each shop's rule that takes its orders from each.
type phasesView struct {
	Cat       *catalog
	Counts    store.PhaseCounts
	Targeted  map[int64][]workflow.Rule
	Rules     []workflow.Rule // every shop's
	CanUpdate bool
}

// deleteRefusal is why the phase cannot be deleted now, by the rule the store applies; "" when
// it can be. The page disables the button and says why instead of offering a click that fails.
func (v phasesView) deleteRefusal(p workflow.Phase) string {
	n := v.Counts.Total(p.ID)
	err := workflow.PhaseDeletion{Phase: p, Phases: v.Cat.Phases, Rules: v.Rules,
		Orders: min(n, store.CountCap), OrdersCapped: store.Capped(n)}.Check()
	if err != nil {
		return apperror.MessageOf(err)
	}
	return ""
}

// phasesPath is 処理フェーズ, one page for every shop.
const phasesPath = "/settings/phases"

func rulesPath(shopID int64) string { return "/settings/rules?shop=" + i64toa(shopID) }
func rulePath(id int64) string      { return "/settings/rules/" + i64toa(id) }

// phasesSettings lists the phases, every shop's.
func (h *Handler) phasesSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := phasesView{Cat: cat, CanUpdate: canUpdate(ctx, user.MenuWorkflow), Targeted: map[int64][]workflow.Rule{}}
	if v.Counts, err = h.deps.Store.CountOrdersByPhase(ctx, store.OrderQuery{}); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Rules, err = h.deps.Store.ListAllRules(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, rule := range v.Rules {
		if rule.TargetPhaseID != 0 {
			v.Targeted[rule.TargetPhaseID] = append(v.Targeted[rule.TargetPhaseID], rule)
		}
	}
	h.render(w, r, http.StatusOK, phasesPage(v))
}

// createPhase adds a phase at the end of the list; import goes on meanwhile.
func (h *Handler) createPhase(w http.ResponseWriter, r *http.Request) {
	p, err := h.deps.Store.CreatePhase(r.Context(), r.PostFormValue("name"))
	if err != nil {
		h.settingsFail(w, r, phasesPath, err)
		return
	}
	h.settingsDone(w, r, phasesPath, fmt.Sprintf("処理フェーズ「%s」を追加しました。", p.Name))
}

// renamePhase renames a phase; its orders and rules keep it, as they refer to it by id.
func (h *Handler) renamePhase(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPhase(w, r)
	if !ok {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if err := h.deps.Store.RenamePhase(r.Context(), p.ID, name); err != nil {
		h.settingsFail(w, r, phasesPath, err)
		return
	}
	h.settingsDone(w, r, phasesPath, fmt.Sprintf("処理フェーズ「%s」の名前を「%s」に変更しました。", p.Name, name))
}

// movePhase moves a phase one place up or down in the list.
func (h *Handler) movePhase(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPhase(w, r)
	if !ok {
		return
	}
	phases, err := h.deps.Store.ListPhases(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(phases, func(q workflow.Phase) bool { return q.ID == p.ID })
	j := i - 1
	if r.PostFormValue("dir") == "down" {
		j = i + 1
	}
	if i < 0 || j < 0 || j >= len(phases) {
		h.settingsDone(w, r, phasesPath, fmt.Sprintf("処理フェーズ「%s」はこれ以上移動できません。", p.Name))
		return
	}
	phases[i], phases[j] = phases[j], phases[i]
	ids := make([]int64, len(phases))
	for k, q := range phases {
		ids[k] = q.ID
	}
	if err := h.deps.Store.ReorderPhases(r.Context(), ids); err != nil {
		h.settingsFail(w, r, phasesPath, err)
		return
	}
	h.settingsDone(w, r, phasesPath, fmt.Sprintf("処理フェーズ「%s」を移動しました。", p.Name))
}

// deletePhase deletes a phase once the operator confirmed it (the button's hx-confirm). The store
// refuses a phase that orders or rules still use, or that imports fill, and the page shows why
// with what to do. The orders' histories keep its name.
func (h *Handler) deletePhase(w http.ResponseWriter, r *http.Request) {
	p, ok := h.pathPhase(w, r)
	if !ok {
		return
	}
	if err := h.deps.Store.DeletePhase(r.Context(), p.ID); err != nil {
		h.settingsFail(w, r, phasesPath, err)
		return
	}
	h.deps.Logger.Info("phase deleted", "phase", p.ID, "name", p.Name, "by", stateOf(r.Context()).user.Login)
	h.settingsDone(w, r, phasesPath, fmt.Sprintf("処理フェーズ「%s」を削除しました。注文の履歴には処理フェーズ名が残ります。", p.Name))
}

// pathPhase reads the phase the URL names, answering the request itself when there is none.
func (h *Handler) pathPhase(w http.ResponseWriter, r *http.Request) (workflow.Phase, bool) {
	id, err := pathID(r)
	if err == nil {
		var p workflow.Phase
		if p, err = h.phase(r.Context(), id); err == nil {
			return p, true
		}
	}
	h.fail(w, r, apperror.New(apperror.NotFound, "処理フェーズが見つかりません。削除されたか、画面が古くなっています。"))
	return workflow.Phase{}, false
}

// rulesView is 自動処理設定 of one shop: its rules, and a rule form (new or being edited).
type rulesView struct {
	Cat       *catalog
	Shop      shop.Shop
	Rules     []workflow.Rule
	Templates []buyermail.Template // the mail templates the shop may send
	Form      ruleForm
	Now       time.Time
	CanUpdate bool
}

// ruleForm is the rule form as shown or as entered, with its error.
type ruleForm struct {
	Rule     workflow.Rule
	Interval string // minutes, for polling kinds
	Error    string
}

func (v rulesView) templateName(id int64) string {
	for _, t := range v.Templates {
		if t.ID == id {
			return t.Name
		}
	}
	return "—"
}

func (v rulesView) phaseName(id int64) string {
	if id == 0 {
		return "—"
	}
	return v.Cat.phaseName(id)
}

// rulesSettings lists a shop's rules with a form for a new one.
func (h *Handler) rulesSettings(w http.ResponseWriter, r *http.Request) {
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh, _ := shopOf(cat, r)
	form := ruleForm{Rule: workflow.Rule{ShopID: sh.ID, Enabled: true}, Interval: minutes(workflow.DefaultPollInterval)}
	if kinds := sh.Channel.JobKinds(); len(kinds) > 0 {
		form.Rule.Kind = kinds[0]
	}
	h.renderRules(w, r, http.StatusOK, cat, sh, form)
}

// ruleSettings shows one rule in the form, to edit it.
func (h *Handler) ruleSettings(w http.ResponseWriter, r *http.Request) {
	rule, ok := byPath(h, w, r, h.deps.Store.GetRule)
	if !ok {
		return
	}
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderRules(w, r, http.StatusOK, cat, cat.shopByID[rule.ShopID], ruleForm{Rule: rule, Interval: minutes(rule.Interval)})
}

func (h *Handler) renderRules(w http.ResponseWriter, r *http.Request, status int, cat *catalog, sh shop.Shop, form ruleForm) {
	v := rulesView{Cat: cat, Shop: sh, Form: form, Now: h.deps.Now(), CanUpdate: canUpdate(r.Context(), user.MenuWorkflow)}
	if sh.ID != 0 {
		var err error
		if v.Rules, err = h.deps.Store.ListRules(r.Context(), sh.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		if v.Templates, err = h.deps.Store.ListMailTemplates(r.Context(), sh.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, rulesPage(v))
}

func minutes(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', -1, 64) }

// readRule reads the rule form into rule.
func readRule(r *http.Request, rule *workflow.Rule) (string, error) {
	rule.Kind = workflow.JobKind(r.PostFormValue("kind"))
	id := func(name string) int64 {
		n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
		return n
	}
	rule.TargetPhaseID, rule.SuccessPhaseID, rule.ErrorPhaseID = id("target_phase_id"), id("success_phase_id"), id("error_phase_id")
	rule.MailTemplateID = 0
	if rule.Kind == workflow.JobMail {
		rule.MailTemplateID = id("mail_template_id")
	}
	interval := strings.TrimSpace(r.PostFormValue("interval"))
	if !rule.Kind.Polls() {
		return interval, nil
	}
	// In minutes, with halves: a 30-second rule (the demo's) reads 0.5 and is kept so.
	n, err := strconv.ParseFloat(interval, 64)
	if err != nil || n < 0.5 || n > 24*60 {
		return interval, apperror.New(apperror.Invalid, "実行間隔は0.5〜1440分で入力してください(0.5分は30秒です)。")
	}
	rule.Interval = (time.Duration(n*60) * time.Second).Round(time.Second)
	return interval, nil
}

// createRule saves a new rule. The store refuses a kind the shop's channel does not offer and a
// second kind on one target phase; the form comes back with the message.
func (h *Handler) createRule(w http.ResponseWriter, r *http.Request) {
	shopID, err := formID(r.PostFormValue("shop_id"), "店舗")
	if err != nil {
		h.settingsFail(w, r, "/settings/rules", err)
		return
	}
	rule := workflow.Rule{ShopID: shopID, Enabled: r.PostFormValue("enabled") == "1"}
	h.saveRuleForm(w, r, rule)
}

// saveRule saves an edited rule; whether it is started stays as it was.
func (h *Handler) saveRule(w http.ResponseWriter, r *http.Request) {
	rule, ok := byPath(h, w, r, h.deps.Store.GetRule)
	if !ok {
		return
	}
	h.saveRuleForm(w, r, rule)
}

func (h *Handler) saveRuleForm(w http.ResponseWriter, r *http.Request, rule workflow.Rule) {
	interval, err := readRule(r, &rule)
	if err == nil {
		var saved workflow.Rule
		if saved, err = h.deps.Store.SaveRule(r.Context(), rule); err == nil {
			h.settingsDone(w, r, rulesPath(saved.ShopID), fmt.Sprintf("自動処理「%s」を保存しました。", saved.Kind.Label()))
			return
		}
	}
	if statusOf(err) == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	cat, cerr := h.loadCatalog(r.Context())
	if cerr != nil {
		h.fail(w, r, cerr)
		return
	}
	sh, ok := cat.shopByID[rule.ShopID]
	if !ok {
		h.fail(w, r, apperror.New(apperror.NotFound, "店舗が見つかりません。削除されたか、画面が古くなっています。"))
		return
	}
	h.renderRules(w, r, statusOf(err), cat, sh, ruleForm{Rule: rule, Interval: interval, Error: apperror.MessageOf(err)})
}

// setRuleEnabled starts (enabled=1) or stops a rule.
func (h *Handler) setRuleEnabled(w http.ResponseWriter, r *http.Request) {
	rule, ok := byPath(h, w, r, h.deps.Store.GetRule)
	if !ok {
		return
	}
	enabled := r.PostFormValue("enabled") == "1"
	if err := h.deps.Store.SetRuleEnabled(r.Context(), rule.ID, enabled); err != nil {
		h.settingsFail(w, r, rulesPath(rule.ShopID), err)
		return
	}
	msg := fmt.Sprintf("自動処理「%s」を停止しました。対象処理フェーズに移動した注文は、開始するまで送られません。", rule.Kind.Label())
	if enabled {
		msg = fmt.Sprintf("自動処理「%s」を開始しました。", rule.Kind.Label())
		if rule.Kind.NeedsTargetPhase() {
			msg += "対象処理フェーズで待っている注文は1分ほどで処理されます。"
		}
	}
	h.settingsDone(w, r, rulesPath(rule.ShopID), msg)
}

// ruleFormAction is where the rule form posts: a new rule, or the one being edited.
func ruleFormAction(r workflow.Rule) string {
	if r.ID == 0 {
		return "/settings/rules"
	}
	return rulePath(r.ID)
}

// noPhaseLabel is the empty choice of a rule's phase select: no target (受注取込), or no phase to
// move to, which seed 000 allows (the order stays, and the rule does not take it again).
func noPhaseLabel(field string) string {
	if field == "target_phase_id" {
		return "—"
	}
	return "移動しない"
}
