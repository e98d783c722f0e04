package jobs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MailPerJob bounds the orders one operator's mail job sends, so that each job finishes well
// within the job timeout at a relay's pace.
const MailPerJob = 100

// SendMailArgs sends a template to orders of one shop because an operator asked (the order
// list's 「メール送信」): on purpose, so an order mailed before is mailed again. The job's id is
// the mails' request: a retry of the job never mails an order twice.
type SendMailArgs struct {
	ShopID     int64   `json:"shop_id"`
	TemplateID int64   `json:"template_id"`
	OrderIDs   []int64 `json:"order_ids"`
	Actor      string  `json:"actor"`
}

// Kind implements river.JobArgs.
func (SendMailArgs) Kind() string { return "send_mail" }

// QueueSendMail queues an operator's mail of a template to orders: a job per shop and per
// MailPerJob orders. It returns the jobs' ids.
func (q *Queue) QueueSendMail(ctx context.Context, templateID int64, orders []ShopOrders, actor string) ([]int64, error) {
	var params []river.InsertManyParams
	for _, so := range orders {
		for chunk := range slices.Chunk(so.OrderIDs, MailPerJob) {
			params = append(params, river.InsertManyParams{Args: SendMailArgs{ShopID: so.ShopID, TemplateID: templateID, OrderIDs: chunk, Actor: actor}})
		}
	}
	if len(params) == 0 {
		return nil, nil
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("queue mail: %w", err)
	}
	ids := make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.Job.ID
	}
	return ids, nil
}

type sendMailWorker struct {
	river.WorkerDefaults[SendMailArgs]
	deps Deps
}

// NextRetry implements river.Worker.
func (w *sendMailWorker) NextRetry(job *river.Job[SendMailArgs]) time.Time {
	return channelRetry(job.JobRow, time.Now())
}

// Work mails each order; a failure marks the order's link status with what to do, and leaves it
// in its phase. A server that cannot be used fails the job, which River retries.
func (w *sendMailWorker) Work(ctx context.Context, job *river.Job[SendMailArgs]) error {
	st := w.deps.Store
	sh, err := st.GetShop(ctx, job.Args.ShopID)
	if err != nil {
		return river.JobCancel(err)
	}
	m, err := w.deps.mailSetup(ctx, sh, job.Args.TemplateID, "op:"+strconv.FormatInt(job.ID, 10), job.Args.Actor)
	if err != nil {
		return w.refuseAll(ctx, job.Args.OrderIDs, err)
	}
	orders, err := st.GetOrders(ctx, job.Args.OrderIDs)
	if err != nil {
		return err
	}
	for _, o := range orders {
		if o.ShopID != sh.ID {
			continue
		}
		r, err := m.send(ctx, o)
		if err != nil {
			if channel.ClassOf(err) == channel.Rejected {
				return w.refuseAll(ctx, job.Args.OrderIDs, err)
			}
			return err
		}
		if !r.OK {
			if err := st.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: r.LinkStatus, Message: r.Message}); err != nil {
				return err
			}
		}
	}
	return nil
}

// refuseAll marks every order with a refusal of the whole job (the settings, the template) and
// ends the job: sending again as it is would fail alike.
func (w *sendMailWorker) refuseAll(ctx context.Context, ids []int64, err error) error {
	if channel.ClassOf(err) != channel.Rejected {
		return err
	}
	if serr := w.deps.Store.SetLinkStatus(ctx, ids, store.Link{Status: string(workflow.LinkMailError), Message: errorMessage(err)}); serr != nil {
		return serr
	}
	return river.JobCancel(err)
}
