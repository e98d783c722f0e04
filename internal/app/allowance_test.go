package app

import (
	"testing"
	"time"
)

// TestA429WidensTheSpacingAndCallsNarrowItBack: after the marketplace refuses a call over its
// quota, the credential's calls are spaced wider (doubling, capped at a quarter step), and the
// calls that go through take the room back towards the least allowance; another credential is
// not touched.
func TestA429WidensTheSpacingAndCallsNarrowItBack(t *testing.T) {
	t.Parallel()
	c := &channels{allowances: newAllowances()}
	p := c.pacer("aupay", "key-a", 5).(storePacer)
	other := c.pacer("aupay", "key-b", 5).(storePacer)
	least := 200*time.Millisecond + 3*time.Millisecond
	if p.step() != least {
		t.Fatalf("step %v, want %v", p.step(), least)
	}
	p.Throttled()
	first := p.step()
	p.Throttled()
	second := p.step()
	if first != least+4*time.Millisecond || second != least+12*time.Millisecond {
		t.Fatalf("after 429s the step is %v then %v, want %v then %v", first, second, least+4*time.Millisecond, least+12*time.Millisecond)
	}
	for range 10 {
		p.Throttled()
	}
	if p.step() != least+50*time.Millisecond {
		t.Fatalf("after many 429s the step is %v, want it capped at %v", p.step(), least+50*time.Millisecond)
	}
	if other.step() != least {
		t.Fatalf("another credential's step moved to %v", other.step())
	}
	for range 10000 {
		c.allowances.ease(p.key) // what Sent does for each call that leaves
	}
	if got := p.step(); got > least+time.Millisecond {
		t.Fatalf("after 10,000 calls the step is still %v", got)
	}
}

// TestA429sRoomLastsAboutAThousandCalls: the room one 429 gives is kept, more than half of it,
// for the next 500 calls, so that a loaded machine that stalls now and then meets a 429 about
// once in a thousand calls rather than every few hundred (au PAY's drain under a full test run:
// 2 in 603 calls when the room was taken back over 200).
func TestA429sRoomLastsAboutAThousandCalls(t *testing.T) {
	t.Parallel()
	c := &channels{allowances: newAllowances()}
	p := c.pacer("aupay", "key-a", 5).(storePacer)
	least := p.step()
	p.Throttled()
	room := p.step() - least
	for range 500 {
		c.allowances.ease(p.key)
	}
	if left := p.step() - least; left <= room/2 {
		t.Fatalf("500 calls after a 429 the room is %v of %v", left, room)
	}
}
