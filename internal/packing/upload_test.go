package packing_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
)

// The spool keeps an upload for its owner and kind only, for its time to live, and pushes the
// oldest out beyond its count; what it drops is gone from the disk.
func TestSpoolKeepsAnUploadForItsOwnerUntilItExpires(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := packing.NewSpool(dir, time.Hour, 2, 1<<10)
	keep := func(body, owner string, at time.Time) string {
		t.Helper()
		w, err := s.Create("tracking", owner)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, io.TeeReader(strings.NewReader(body), w)); err != nil {
			t.Fatal(err)
		}
		id, err := w.Keep("note "+body, at)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := keep("a", "alice", now)
	in, note, err := s.Open(a, "tracking", "alice", now.Add(time.Minute))
	if err != nil || note != "note a" {
		t.Fatalf("open: %q %v", note, err)
	}
	got, _ := io.ReadAll(in)
	_ = in.Close()
	if string(got) != "a" {
		t.Fatalf("kept %q", got)
	}
	for name, open := range map[string]func() error{
		"another user": func() error { _, _, err := s.Open(a, "tracking", "bob", now); return err },
		"another kind": func() error { _, _, err := s.Open(a, "orders", "alice", now); return err },
		"expired":      func() error { _, _, err := s.Open(a, "tracking", "alice", now.Add(2*time.Hour)); return err },
	} {
		if err := open(); !apperror.Is(err, apperror.NotFound) || !strings.Contains(err.Error(), "もう一度ファイルを選んで") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if s.Len() != 0 {
		t.Fatalf("expired upload kept: %d", s.Len())
	}
	b, c, d := keep("b", "alice", now), keep("c", "alice", now.Add(time.Second)), keep("d", "alice", now.Add(2*time.Second))
	if _, _, err := s.Open(b, "tracking", "alice", now.Add(3*time.Second)); err == nil {
		t.Fatal("the oldest upload was kept beyond the spool's count")
	}
	for _, id := range []string{c, d} {
		if _, _, err := s.Open(id, "tracking", "alice", now.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if files, _ := os.ReadDir(dir); len(files) != 2 {
		t.Fatalf("%d files on disk, want the 2 kept", len(files))
	}
	// a file beyond the size bound fails the read it is spooled from
	w, _ := s.Create("tracking", "alice")
	if _, err := io.Copy(io.Discard, io.TeeReader(strings.NewReader(strings.Repeat("x", 2<<10)), w)); !apperror.Is(err, apperror.Invalid) {
		t.Fatalf("oversized upload: %v", err)
	}
	w.Discard()
}

// The confirmation saves the file that was checked, without sending it again; when the orders
// changed since the report, nothing is saved and the new report comes back.
func TestConfirmTrackingSavesTheSpooledFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	file := fmt.Sprintf("%s,%s\n%s,%s\n", packing.OrderKey(b.orders[0].ID, 1, 1), trackingNumber(11111111111), packing.OrderKey(b.orders[1].ID, 1, 1), trackingNumber(22222222222))
	opts := packing.TrackingOptions{Now: now, Carrier: "1003"}
	rep, id, err := packing.CheckTrackingUpload(ctx, b.st, strings.NewReader(file), opts, "packer")
	if err != nil || rep.Counts[packing.Matched] != 2 || id == "" {
		t.Fatalf("%+v %q %v", rep, id, err)
	}
	if _, _, err := packing.ConfirmTracking(ctx, b.st, noMove{}, id, opts, 0, "someone-else"); !apperror.Is(err, apperror.NotFound) {
		t.Fatalf("another user confirmed: %v", err)
	}
	o := b.orders[1]
	if err := b.st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}}, "someone"); err != nil {
		t.Fatal(err)
	}
	rep, _, err = packing.ConfirmTracking(ctx, b.st, noMove{}, id, opts, 0, "packer")
	if err != packing.ErrReportChanged || rep.Counts[packing.AlreadyShipped] != 1 {
		t.Fatalf("changed orders confirmed: %+v %v", rep, err)
	}
	if first, _ := b.st.GetOrder(ctx, b.orders[0].ID); len(first.Shipments) != 0 {
		t.Fatalf("half applied: %+v", first.Shipments)
	}
	// the operator looks at the new report and confirms it, the same file
	_, applied, err := packing.ConfirmTracking(ctx, b.st, noMove{}, id, opts, 0, "packer")
	if err != nil || applied.Rows != 1 {
		t.Fatalf("applied %+v: %v", applied, err)
	}
	if first, _ := b.st.GetOrder(ctx, b.orders[0].ID); len(first.Shipments) != 1 {
		t.Fatalf("not saved: %+v", first.Shipments)
	}
	if _, _, err := packing.ConfirmTracking(ctx, b.st, noMove{}, id, opts, 0, "packer"); !apperror.Is(err, apperror.NotFound) {
		t.Fatalf("confirmed twice: %v", err)
	}
}
