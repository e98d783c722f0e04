package demo

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The demo's mail: every demo shop sends through one relay in the process, which plays
// Rakuten's あんしんメルアド (SMTP AUTH, the registered sender only); 送信したメール shows what it
// took.
const (
	mailSender   = "shop@demo.ichigen.example"
	mailUser     = "demo-smtp"
	mailPassword = "demo-smtp-password"
)

// The phases the demo's buyer mails are sent from: imports land in ThanksPhase (the shop's first
// phase), whose rule mails サンクスメール and hands the order to the phase imports filled before; the packer moves a packed order to ShippingPhase, whose
// rule mails 発送メール and hands it to the ship report.
const (
	ThanksPhase   = "サンクスメール"
	ShippingPhase = "発送メール"
)

func startRelay() (*relaysim.Relay, error) {
	r, err := relaysim.Start(relaysim.Rules{Username: mailUser, Password: mailPassword, Senders: []string{mailSender}, Bounce: bounces})
	if err != nil {
		return nil, fmt.Errorf("demo mail relay: %w", err)
	}
	return r, nil
}

// setupMail points a demo shop's mail at this run's relay, which listens on a new port each run.
func (d *Demo) setupMail(ctx context.Context, st store.Store, sh shop.Shop) error {
	return st.SaveMailSettings(ctx, buyermail.Settings{ShopID: sh.ID, Host: d.Relay.Host, Port: d.Relay.Port, TLS: buyermail.StartTLS,
		Username: mailUser, Password: mailPassword, From: mailSender, PerSecond: 20, InsecureSkipVerify: true})
}

// addMailRules puts サンクスメール between the import and the phase it filled, and 発送メール
// between the packer and the ship report, as phases of their own with メール送信 rules.
func addMailRules(ctx context.Context, st store.Store, sh shop.Shop) error {
	templates, err := st.ListMailTemplates(ctx, sh.ID)
	if err != nil {
		return err
	}
	byName := map[string]int64{}
	for _, t := range templates {
		byName[t.Name] = t.ID
	}
	// The phases are every shop's: the first demo shop makes them, the others find them.
	thanks, err := ensurePhase(ctx, st, ThanksPhase)
	if err != nil {
		return err
	}
	shipping, err := ensurePhase(ctx, st, ShippingPhase)
	if err != nil {
		return err
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return err
	}
	// Where imports landed before サンクスメール: the first phase besides the mail phases.
	i := slices.IndexFunc(phases, func(ph workflow.Phase) bool { return ph.ID != thanks && ph.ID != shipping })
	if i < 0 {
		return fmt.Errorf("no phase for the orders thanked")
	}
	imported := phases[i].ID
	p, err := phaseIDs(ctx, st)
	if err != nil {
		return err
	}
	for _, r := range []workflow.Rule{
		{Kind: workflow.JobMail, MailTemplateID: byName[buyermail.ThanksName], TargetPhaseID: thanks, SuccessPhaseID: imported, ErrorPhaseID: p["エラー"]},
		{Kind: workflow.JobMail, MailTemplateID: byName[buyermail.ShippingName], TargetPhaseID: shipping, SuccessPhaseID: p["出荷済み"], ErrorPhaseID: p["エラー"]},
	} {
		r.ShopID, r.Enabled = sh.ID, true
		if _, err := st.SaveRule(ctx, r); err != nil {
			return err
		}
	}
	return reorderMailPhases(ctx, st, thanks, shipping, p["出荷済み"])
}

// reorderMailPhases lists サンクスメール first (where imports land) and 発送メール before
// 出荷済み.
func reorderMailPhases(ctx context.Context, st store.Store, thanks, shipping, shipped int64) error {
	phases, err := st.ListPhases(ctx)
	if err != nil {
		return err
	}
	ids := []int64{thanks}
	for _, ph := range phases {
		switch ph.ID {
		case thanks, shipping:
			continue
		case shipped:
			ids = append(ids, shipping)
		}
		ids = append(ids, ph.ID)
	}
	if !slices.Contains(ids, shipping) {
		ids = append(ids, shipping)
	}
	return st.ReorderPhases(ctx, ids)
}

// BounceOneIn is how rare the demo buyers whose server refuses mail are: one address in
// BounceOneIn, picked by the address, so that buyer's every mail comes back 不達.
const BounceOneIn = 30

// bounces picks the demo relay's messages to refuse later.
func bounces(m relaysim.Message) bool {
	for _, to := range m.To {
		h := fnv.New32a()
		h.Write([]byte(strings.ToLower(to)))
		if h.Sum32()%BounceOneIn == 0 {
			return true
		}
	}
	return false
}

// ForwardBounces delivers the relay's failure reports to ichigen's bounce listener at addr,
// to rcpt, every few seconds until ctx ends, as the demo shops' sender mailbox would forward
// them: so 不達 shows on the orders, on 要対応 and on 送信したメール by itself.
func (d *Demo) ForwardBounces(ctx context.Context, addr, rcpt string, log *slog.Logger) {
	tick := time.NewTicker(cmp.Or(d.PackEvery, DefaultPackEvery))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := d.Relay.FlushBounces(addr, rcpt); err != nil {
				log.Warn("demo: forward bounce reports", "error", err)
			}
		}
	}
}
