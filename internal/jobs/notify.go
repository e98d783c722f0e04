package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/userops"
)

// NotifyArgs sends one e-mail. It is a job so that a mail server that is down delays the
// message instead of losing it.
type NotifyArgs struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
	// Once, when set, names an e-mail sent once (notifyOnce): only it counts for uniqueness.
	Once string `json:"once,omitempty" river:"unique"`
}

// Kind implements river.JobArgs.
func (NotifyArgs) Kind() string { return "notify" }

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	deps Deps
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	return w.deps.Mailer.Send(ctx, job.Args.To, job.Args.Subject, job.Args.Body)
}

// notify queues an e-mail to the notification addresses and the administrators, when e-mail is configured. The job
// carries the addresses of the moment it is queued.
func (d Deps) notify(ctx context.Context, client *river.Client[dbTx], subject, body string) error {
	if !d.Mailer.Enabled() {
		d.Logger.Warn("e-mail not configured: notification not sent", "subject", subject)
		return nil
	}
	to, err := d.recipients(ctx)
	if err != nil {
		return fmt.Errorf("queue e-mail %q: %w", subject, err)
	}
	if len(to) == 0 {
		d.Logger.Warn("no notification address: notification not sent", "subject", subject)
		return nil
	}
	if _, err := client.Insert(ctx, NotifyArgs{To: to, Subject: subject, Body: body}, nil); err != nil {
		return fmt.Errorf("queue e-mail %q: %w", subject, err)
	}
	return nil
}

// notifyOnce queues an e-mail as notify does, once for the key once across every instance:
// another e-mail with the same key is not queued while the first is waiting, running or kept
// as completed (River's retention of completed jobs, a day by default).
func (d Deps) notifyOnce(ctx context.Context, client *river.Client[dbTx], once, subject, body string) error {
	if !d.Mailer.Enabled() {
		d.Logger.Warn("e-mail not configured: notification not sent", "subject", subject)
		return nil
	}
	to, err := d.recipients(ctx)
	if err != nil {
		return fmt.Errorf("queue e-mail %q: %w", subject, err)
	}
	if len(to) == 0 {
		d.Logger.Warn("no notification address: notification not sent", "subject", subject)
		return nil
	}
	if _, err := client.Insert(ctx, NotifyArgs{To: to, Subject: subject, Body: body, Once: once}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
		return fmt.Errorf("queue e-mail %q: %w", subject, err)
	}
	return nil
}

// recipients are the notification addresses saved in the settings (通知先), or while none are,
// the start-up configuration's (NotifyTo), and the administrators' (user.AdminAddresses), each
// once. They are read for each e-mail, so a change in the settings or the users applies from
// the next one, without a restart.
func (d Deps) recipients(ctx context.Context) ([]string, error) {
	saved, err := d.Store.NotifyAddresses(ctx)
	if err != nil {
		return nil, err
	}
	admins, err := userops.AdminAddresses(ctx, d.Store)
	if err != nil {
		return nil, err
	}
	return notify.Union(saved.Recipients(d.NotifyTo), admins), nil
}

// authFailed stops a shop's jobs and e-mails at once: the marketplace refused its credentials.
func (d Deps) authFailed(ctx context.Context, client *river.Client[dbTx], sh shop.Shop, err error) error {
	msg := errorMessage(err)
	changed, serr := d.Store.MarkAuthError(ctx, sh.ID, msg)
	if serr != nil || !changed {
		return serr // already stopped: its e-mail went out then
	}
	subject := fmt.Sprintf("(ichigen) %s API認証エラーのお知らせ(%s)", sh.Channel.Label(), sh.Name)
	body := fmt.Sprintf("店舗「%s」の%s連携が認証エラーで止まりました。\n\n%s\n\n新しいキーを店舗設定に保存すると、止まっていた自動処理が再開し、止まっていた間の注文もまとめて取り込みます。\n", sh.Name, sh.Channel.Label(), msg)
	return d.notify(ctx, client, subject, body)
}

// failures collects a run's failed orders for its e-mail.
func failures(orders map[int64]string, messages map[int64]string) []notify.Failure {
	var out []notify.Failure
	for id, msg := range messages {
		out = append(out, notify.Failure{OrderNumber: orders[id], Message: msg})
	}
	return out
}
