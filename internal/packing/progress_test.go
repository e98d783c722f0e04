package packing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/packing"
)

// TestProgressBoardIsBounded: a board keeps at most its number of entries (the oldest goes),
// shows an entry only to its owner, and takes no key that is empty or too long.
func TestProgressBoardIsBounded(t *testing.T) {
	t.Parallel()
	b := packing.NewProgressBoard(time.Hour, 2)
	p := b.Start("alice", "one")
	p.AddRows(12000)
	if got, ok := b.Get("alice", "one"); !ok || got.Rows != 12000 {
		t.Fatalf("%+v %v", got, ok)
	}
	if _, ok := b.Get("bob", "one"); ok {
		t.Fatal("another user reads alice's progress")
	}
	b.Start("alice", "two")
	b.Start("alice", "three")
	if _, ok := b.Get("alice", "one"); ok || b.Len() != 2 {
		t.Fatalf("the oldest entry stays: %d entries", b.Len())
	}
	if b.Start("alice", "") != nil || b.Start("alice", strings.Repeat("x", packing.MaxProgressKey+1)) != nil || b.Len() != 2 {
		t.Fatal("an empty or long key was taken")
	}
}

// TestProgressBoardForgetsOldEntries: an entry unchanged for the board's time to live is gone.
func TestProgressBoardForgetsOldEntries(t *testing.T) {
	t.Parallel()
	b := packing.NewProgressBoard(-time.Nanosecond, 8) // every entry is already past its time
	b.Start("alice", "one")
	if _, ok := b.Get("alice", "one"); ok || b.Len() != 0 {
		t.Fatal("an expired entry is still shown")
	}
}
