package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Every bulk action, not only a move, ends with the counted banner over exactly the orders it
// touched (issue 20 item 2). A batch has a kind: actions done at once record each order's
// outcome, so the banner counts at once; actions queued as jobs record each order's job, and the
// order waits until its job settles, then counts as failed when the job gave up or left an error
// link status on the order, else as succeeded.

// The kinds of bulk batch beside a move ("").
const (
	batchLinkStatus = "link_status"
	batchRefetch    = "refetch"
	batchMail       = "mail"
	batchPostage    = "postage"
	batchPaid       = "paid"
	batchCancel     = "cancel"
	batchCardCancel = "card_cancel"
	batchBundle     = "bundle"
)

// batchLabels are the actions' names on the banner.
var batchLabels = map[string]string{
	batchLinkStatus: "連携ステータス変更",
	batchRefetch:    "再取得",
	batchMail:       "メール送信",
	batchPostage:    "送料の反映",
	batchPaid:       "入金確認",
	batchCancel:     "モールでキャンセル",
	batchCardCancel: "カード決済のキャンセル",
	batchBundle:     "同梱",
}

// jobSettler says where queued jobs stand; *jobs.Queue is one.
type jobSettler interface {
	JobSettlements(ctx context.Context, ids []int64) (map[int64]jobs.JobSettlement, error)
}

// actionBatch keeps a bulk action's orders as a batch of the kind and returns the list's URL
// that watches it; with no order the URL watches nothing.
func (h *Handler) actionBatch(ctx context.Context, page, kind string, entries []store.BatchEntry) (string, error) {
	if len(entries) == 0 {
		return page, nil
	}
	id, err := h.deps.Store.CreateBatch(ctx, store.BulkBatch{CreatedAt: h.deps.Now(), Kind: kind, Actor: stateOf(ctx).user.Login}, entries)
	if err != nil {
		return "", err
	}
	sep := "?"
	if strings.Contains(page, "?") {
		sep = "&"
	}
	return page + sep + "watch=0&" + batchParam + "=" + i64toa(id), nil
}

// actionDone goes back to the list watching the action's batch, with the message (the refusals
// by reason stay in it).
func (h *Handler) actionDone(w http.ResponseWriter, r *http.Request, f orderFilter, kind string, entries []store.BatchEntry, msg string) {
	next, err := h.actionBatch(r.Context(), f.url("/orders"), kind, entries)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// outcomes are entries of orders all done with one outcome.
func outcomes(ids []int64, outcome string) []store.BatchEntry {
	out := make([]store.BatchEntry, len(ids))
	for i, id := range ids {
		out[i] = store.BatchEntry{OrderID: id, Outcome: outcome}
	}
	return out
}

// chunkedJobs pairs the orders of a selection with the jobs queued for them: per shop in the
// selection's order, perJob orders a job, jobs in the order queued.
func chunkedJobs(shops []shop.Shop, ids map[int64][]int64, perJob int, jobIDs []int64) []store.BatchEntry {
	var out []store.BatchEntry
	j := 0
	for _, sh := range shops {
		for i, id := range ids[sh.ID] {
			if i > 0 && i%perJob == 0 {
				j++
			}
			if j < len(jobIDs) {
				out = append(out, store.BatchEntry{OrderID: id, JobID: jobIDs[j]})
			}
		}
		if len(ids[sh.ID]) > 0 {
			j++
		}
	}
	return out
}

// jobRecorder queues cancellations and postage fixes through the queue's id-returning calls and
// keeps each order's job, so the bulk action's batch can wait on it.
type jobRecorder struct {
	q interface {
		QueueCancelJob(ctx context.Context, shopID, orderID int64, reason, actor string) (int64, error)
		QueueSetPostageJob(ctx context.Context, shopID, orderID, postage int64) (int64, error)
	}
	entries []store.BatchEntry
}

// recorder is the jobRecorder of the UI's queue, or nil when the queue cannot tell job ids.
func (h *Handler) recorder() *jobRecorder {
	q, ok := h.deps.Mover.(interface {
		QueueCancelJob(ctx context.Context, shopID, orderID int64, reason, actor string) (int64, error)
		QueueSetPostageJob(ctx context.Context, shopID, orderID, postage int64) (int64, error)
	})
	if !ok {
		return nil
	}
	return &jobRecorder{q: q}
}

// QueueCancel implements orderops.CancelQueue.
func (r *jobRecorder) QueueCancel(ctx context.Context, shopID, orderID int64, reason, actor string) error {
	id, err := r.q.QueueCancelJob(ctx, shopID, orderID, reason, actor)
	if err == nil {
		r.entries = append(r.entries, store.BatchEntry{OrderID: orderID, JobID: id})
	}
	return err
}

// QueueSetPostage implements orderops.PostageQueue.
func (r *jobRecorder) QueueSetPostage(ctx context.Context, shopID, orderID, postage int64) error {
	id, err := r.q.QueueSetPostageJob(ctx, shopID, orderID, postage)
	if err == nil {
		r.entries = append(r.entries, store.BatchEntry{OrderID: orderID, JobID: id})
	}
	return err
}

// tallyAction counts an action's batch: an order done at once by its outcome, an order queued
// as a job waiting until the job settles, then failed when the job gave up or the order carries
// an error link status, else succeeded.
func tallyAction(b store.BulkBatch, orders []store.BatchOrder, settled map[int64]jobs.JobSettlement) batchTally {
	t := batchTally{Batch: b.ID}
	for _, o := range orders {
		switch {
		case o.Outcome == store.BatchFailed:
			t.Failed++
		case o.Outcome == store.BatchOK:
			t.Succeeded++
		case o.JobID != 0 && settled[o.JobID] == jobs.JobPending:
			t.Waiting++
		case o.JobID != 0 && settled[o.JobID] == jobs.JobGaveUp, isErrorLink(o.LinkStatus):
			t.Failed++
		default:
			t.Succeeded++
		}
	}
	return t
}

// settlements asks the queue where the batch's jobs stand; without a queue that can tell, every
// job counts as pending.
func (h *Handler) settlements(ctx context.Context, orders []store.BatchOrder) (map[int64]jobs.JobSettlement, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, o := range orders {
		if o.JobID != 0 && !seen[o.JobID] {
			seen[o.JobID] = true
			ids = append(ids, o.JobID)
		}
	}
	q, ok := h.deps.Mover.(jobSettler)
	if len(ids) == 0 || !ok {
		return map[int64]jobs.JobSettlement{}, nil
	}
	return q.JobSettlements(ctx, ids)
}

// The English of the actions' names, kept beside them so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"連携ステータス変更":   "Link status change",
		"再取得":         "Re-fetch",
		"メール送信":       "Mail",
		"送料の反映":       "Postage fix",
		"入金確認":        "Payment check",
		"モールでキャンセル":   "Cancel at the marketplace",
		"カード決済のキャンセル": "Card payment cancel",
		"同梱":          "Bundle",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
