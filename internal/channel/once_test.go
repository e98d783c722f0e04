package channel_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// journalLog is a journal that writes its marks and their undoing into the pacer's log.
type journalLog struct{ p *slotPacer }

func (j journalLog) Intend(_ context.Context, rs []channel.Result) error {
	for _, r := range rs {
		if strings.HasPrefix(r.Ref, channel.RefSent) {
			j.p.add("mark")
		} else {
			j.p.add("undo")
		}
	}
	return nil
}

// onceFor is a write of the test channel's "write" operation for o through b, whose read-back
// says applied.
func onceFor(b *testBundle, o order.Order, applied *atomic.Bool, reads *atomic.Int32) channel.Once {
	return channel.Once{Order: o, What: "出荷情報",
		Send: func(ctx context.Context) error { return b.write(ctx, `{}`) },
		ReadBack: func(_ context.Context, why string) (channel.Result, bool, error) {
			reads.Add(1)
			if applied.Load() {
				return channel.Result{OrderID: o.ID, OK: true, Message: why}, true, nil
			}
			return channel.Result{}, false, nil
		},
		Done: func(message string) channel.Result { return channel.Result{OrderID: o.ID, OK: true, Message: message} },
		Failed: func(message string) channel.Result {
			return channel.Result{OrderID: o.ID, LinkStatus: "エラー", Message: message}
		},
	}
}

// TestWriteOnceMarksWhenTheSlotComes: the write's journal mark is made once its slot has come,
// once however often a 429 makes the transport repeat the call; a refusal undoes the mark and
// becomes the order's error; an order marked by an earlier run is read back and not sent when
// the marketplace holds the write.
func TestWriteOnceMarksWhenTheSlotComes(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	var throttle atomic.Int32
	b := setup(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if throttle.Add(-1) >= 0 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(int(status.Load()))
	}), false)
	p := &slotPacer{}
	b.transport.Pacer = p
	journal := journalLog{p}
	var applied atomic.Bool
	var reads atomic.Int32
	o := order.Order{ID: 1, Number: "A-1"}

	status.Store(http.StatusOK)
	throttle.Store(1)
	r, decided, err := channel.WriteOnce(context.Background(), journal, onceFor(b, o, &applied, &reads))
	if err != nil || !decided || !r.OK {
		t.Fatalf("a write that went through after a 429: %+v %v %v", r, decided, err)
	}
	if got := strings.Join(p.log, " "); got != "slot mark claim sent throttled slot claim sent" {
		t.Errorf("the write went %q, want the mark once, after the first slot, and the 429 repeated", got)
	}

	p.log = nil
	status.Store(http.StatusBadRequest)
	r, decided, err = channel.WriteOnce(context.Background(), journal, onceFor(b, o, &applied, &reads))
	if err != nil || !decided || r.OK || r.Message != "テストモールが受け付けませんでした。" {
		t.Fatalf("a refused write: %+v %v %v", r, decided, err)
	}
	if got := strings.Join(p.log, " "); got != "slot mark claim sent undo" {
		t.Errorf("the refused write went %q, want its mark undone", got)
	}

	p.log = nil
	applied.Store(true)
	o.LinkRef = channel.RefSent + "1700000000"
	r, decided, err = channel.WriteOnce(context.Background(), journal, onceFor(b, o, &applied, &reads))
	if err != nil || !decided || !r.OK || r.Message != channel.MsgReadMarked {
		t.Fatalf("an order marked by an earlier run: %+v %v %v", r, decided, err)
	}
	if len(p.log) != 0 || reads.Load() != 1 {
		t.Errorf("an order the marketplace holds went %q with %d read-backs, want one read-back and nothing sent", p.log, reads.Load())
	}
}
