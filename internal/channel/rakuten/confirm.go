package rakuten

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Messages the operator sees for confirmation refusals (the seeds' wording, with the fix).
const (
	MsgPostageUnset   = "送料が未設定の注文です。注文詳細で送料を入力してRMSに反映してから、もう一度注文確認してください。"
	MsgBundled        = "同梱した注文は注文確認できません。同梱を解除して注文確認を済ませてから、同梱してください。"
	MsgCancelled      = "キャンセルされた注文のため注文確認できません。RMSで注文の状態を確認してください。"
	MsgNotConfirmable = "該当の注文は注文確認ができる状態ではありませんでした。RMS側で既に注文確認が行われている可能性があるためRMSを確認し、[RMSステータスを取得]で状態を更新してください。"
)

// unknownOutcomeRetries bounds how often a confirmation whose answer was lost is read back and
// sent again.
const unknownOutcomeRetries = 3

// Process runs a phase rule's job on Rakuten orders. Without a journal it sends nothing.
func (c *Client) Process(ctx context.Context, kind workflow.JobKind, orders []order.Order, journal channel.Journal) ([]channel.Result, error) {
	if journal == nil {
		return nil, channel.ErrNoJournal
	}
	switch kind {
	case workflow.JobConfirm:
		return c.Confirm(ctx, orders)
	case workflow.JobShipReport:
		return c.ReportShipments(ctx, orders, journal)
	case workflow.JobPaymentReview:
		return c.ReviewPayments(ctx, orders)
	}
	return nil, &channel.Error{Class: channel.Rejected, Channel: "rakuten", Operation: string(kind),
		Message: fmt.Sprintf("楽天の「%s」はまだ対応していません。", kind.Label())}
}

// Confirm confirms orders (注文確認) once each, up to 100 per call: those Eligibility takes, as
// the dispatcher refuses the others before the call. An order RMS has already confirmed counts
// as confirmed; a call whose answer is lost is settled by reading the orders back.
func (c *Client) Confirm(ctx context.Context, orders []order.Order) ([]channel.Result, error) {
	var results []channel.Result
	send := map[string]order.Order{}
	var numbers []string
	for _, o := range orders {
		switch {
		case o.MarketplaceStatus != order.StatusUnconfirmed && o.MarketplaceStatus != "":
			results = append(results, channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkConfirmed)})
		default:
			send[o.Number] = o
			numbers = append(numbers, o.Number)
		}
	}
	for i := 0; i < len(numbers); i += MaxOrdersPerCall {
		batch := numbers[i:min(i+MaxOrdersPerCall, len(numbers))]
		got, err := c.confirmBatch(ctx, batch, send)
		results = append(results, got...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// confirmed is the result of an order RMS has confirmed, at its progress since (楽天処理中 after
// confirmOrder).
func confirmed(o order.Order, progress int) channel.Result {
	return followRMS(channel.Result{OrderID: o.ID, OK: true, LinkStatus: string(LinkConfirmed)}, o, progress)
}

func fail(o order.Order, status workflow.LinkStatus, msg string) channel.Result {
	return channel.Result{OrderID: o.ID, LinkStatus: string(status), Message: msg}
}

func (c *Client) confirmBatch(ctx context.Context, numbers []string, orders map[string]order.Order) ([]channel.Result, error) {
	var results []channel.Result
	for attempt := 0; ; attempt++ {
		msgs, err := c.ConfirmOrders(ctx, numbers)
		if channel.ClassOf(err) == channel.UnknownOutcome && attempt < unknownOutcomeRetries {
			// The confirmation may or may not have been applied: read the orders back, take
			// the confirmed ones as done, and send the rest again.
			decided, rest, rerr := c.readBackConfirm(ctx, numbers, orders)
			results = append(results, decided...)
			if rerr != nil {
				return results, rerr
			}
			if len(rest) == 0 {
				return results, nil
			}
			numbers = rest
			continue
		}
		if err != nil {
			return results, err
		}
		var recheck []string
		for _, m := range msgs {
			o, ok := orders[m.OrderNumber]
			if !ok {
				continue
			}
			switch {
			case m.MessageType == "INFO":
				results = append(results, confirmed(o, ProgressInReview))
			case strings.HasSuffix(m.MessageCode, "_ERROR_103"):
				recheck = append(recheck, o.Number) // moved on: confirmed elsewhere, or not confirmable
			case strings.HasSuffix(m.MessageCode, "_ERROR_102"):
				results = append(results, fail(o, LinkConfirmError, MsgCancelled))
			case strings.HasSuffix(m.MessageCode, "_ERROR_105"):
				results = append(results, fail(o, LinkConfirmError, MsgPostageUnset))
			default:
				results = append(results, fail(o, LinkConfirmError, fmt.Sprintf("注文確認できませんでした(%s: %s)。RMSで注文を確認してください。", m.MessageCode, m.Message)))
			}
		}
		if len(recheck) > 0 {
			decided, rest, err := c.readBackConfirm(ctx, recheck, orders)
			results = append(results, decided...)
			for _, n := range rest {
				results = append(results, fail(orders[n], LinkConfirmError, MsgNotConfirmable))
			}
			if err != nil {
				return results, err
			}
		}
		return results, nil
	}
}

// readBackConfirm reads orders from RMS: confirmed ones (楽天処理中 or later, not cancelled) are
// done, cancelled ones fail, and those still 注文確認待ち are returned to send again.
func (c *Client) readBackConfirm(ctx context.Context, numbers []string, orders map[string]order.Order) (decided []channel.Result, rest []string, err error) {
	models, err := c.GetOrders(ctx, numbers)
	if err != nil {
		return nil, nil, errors.Join(errors.New("reading back confirmations"), err)
	}
	for _, m := range models {
		o := orders[m.OrderNumber]
		switch {
		case m.OrderProgress == ProgressCancelPending || m.OrderProgress == ProgressCancelConfirmed:
			decided = append(decided, fail(o, LinkConfirmError, MsgCancelled))
		case m.OrderProgress > ProgressUnconfirmed:
			decided = append(decided, confirmed(o, m.OrderProgress))
		default:
			rest = append(rest, m.OrderNumber)
		}
	}
	return decided, rest, nil
}
