package app

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// memSlots keeps call slots in memory as both engines' queries do (ReserveCallSlot,
// ClaimCallSlot, MarkCallSent), for pacing tests under testing/synctest's fake clock.
type memSlots struct {
	store.Store
	mu         sync.Mutex
	next, last map[string]time.Time
	markDelay  time.Duration // how long a note that a call left takes to be written (a busy database)
}

func newMemSlots() *memSlots {
	return &memSlots{next: map[string]time.Time{}, last: map[string]time.Time{}}
}

func (s *memSlots) ReserveCall(_ context.Context, key string, every time.Duration) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	slot := now
	if n, ok := s.next[key]; ok && n.After(now) {
		slot = n
	}
	s.next[key] = slot.Add(every)
	return slot.Sub(now), nil
}

func (s *memSlots) ClaimCall(_ context.Context, key string, floor time.Duration) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if last, ok := s.last[key]; ok && last.Add(floor).After(now) {
		return max(time.Millisecond, last.Add(floor).Sub(now)), nil
	}
	s.last[key] = now
	return 0, nil
}

func (s *memSlots) MarkCallSent(_ context.Context, key string, at time.Time) error {
	time.Sleep(s.markDelay)
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.last[key]) {
		s.last[key] = at
	}
	return nil
}

// TestACallWhoseAnswerCameLateKeepsTheNextAQuotaStepFromWhereItMayHaveArrived: au PAY at 5/s,
// calls answered 1 ms after they are written; then one whose answer comes 40 ms after its write
// (it may have stalled 39 ms before the marketplace saw it, as one did on a loaded machine and
// drew a 429 for the next). The next call leaves no sooner than the quota's step after the
// latest moment the late one may have arrived, and the one after it is paced as usual again.
//
// The database may write the note late (a busy SQLite took longer than the step on a loaded
// machine): the instance that made the call keeps its own note and paces by it at once.
func TestACallWhoseAnswerCameLateKeepsTheNextAQuotaStepFromWhereItMayHaveArrived(t *testing.T) {
	t.Parallel()
	for _, markDelay := range []time.Duration{0, time.Second} {
		t.Run(markDelay.String(), func(t *testing.T) { lateAnswerKeepsTheNextApart(t, markDelay) })
	}
}

func lateAnswerKeepsTheNextApart(t *testing.T, markDelay time.Duration) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st := newMemSlots()
		st.markDelay = markDelay
		c := &channels{store: st, allowances: newAllowances()}
		p := c.pacer("aupay", "key-a", 5).(storePacer)
		call := func(answer time.Duration) (wrote time.Time) {
			if err := p.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			wrote = time.Now()
			p.Sent(ctx)
			time.Sleep(answer)
			p.Answered(ctx, "updateTradeInfoProc", wrote, time.Now())
			if markDelay == 0 {
				synctest.Wait() // the notes are written beside the call
			}
			return wrote
		}
		for range 5 {
			call(time.Millisecond)
		}
		late := call(40 * time.Millisecond)
		next := call(time.Millisecond)
		if arrivedBy := late.Add(39 * time.Millisecond); next.Sub(arrivedBy) < p.quota {
			t.Fatalf("the call after a late answer left %v after where the late one may have arrived, want at least the quota's step %v",
				next.Sub(arrivedBy), p.quota)
		}
		after := call(time.Millisecond)
		if got := after.Sub(next); got > p.step()+time.Millisecond {
			t.Fatalf("the call after that left %v after it, want the usual step %v", got, p.step())
		}
		time.Sleep(markDelay) // the fake clock: the late notes are written before the bubble ends
		synctest.Wait()
	})
}
