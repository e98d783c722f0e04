package packing

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// UploadTracking is the spool's kind of a tracking file.
const UploadTracking = "tracking"

// Note is the report's counts in report order: what the operator saw, compared again when the
// spooled file is checked at the confirmation.
func (rep *TrackingReport) Note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", rep.Carrier)
	for _, o := range Outcomes {
		fmt.Fprintf(&b, " %s=%d", o, rep.Counts[o])
	}
	return b.String()
}

// CheckTrackingUpload checks a tracking file as it arrives (CheckTracking) and keeps it in
// Uploads for the confirmation; the id names it there. A file that cannot be read is not kept.
func CheckTrackingUpload(ctx context.Context, st store.Store, r io.Reader, opts TrackingOptions, owner string) (*TrackingReport, string, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	defer ProgressOf(ctx).Finish()
	w, err := Uploads.Create(UploadTracking, owner)
	if err != nil {
		return nil, "", err
	}
	rep, err := CheckTracking(ctx, st, io.TeeReader(r, w), opts)
	if err != nil {
		w.Discard()
		return nil, "", err
	}
	id, err := w.Keep(rep.Note(), opts.Now)
	if err != nil {
		return nil, "", err
	}
	return rep, id, nil
}

// ErrReportChanged is a confirmation refused because the orders changed since the report: the
// new report goes with it.
var ErrReportChanged = apperror.New(apperror.Conflict, "確認のあとで注文が変わったため登録していません。下のレポートを確認して、もう一度登録してください。")

// ConfirmTracking checks the spooled upload id again and, when its report is the one the
// operator confirmed (the same counts), saves its valid rows (ApplyTracking) and drops the
// upload. Otherwise nothing is saved and the new report comes back with ErrReportChanged; the
// same id then confirms that new report.
func ConfirmTracking(ctx context.Context, st store.Store, mover Mover, id string, opts TrackingOptions, phaseID int64, owner string) (*TrackingReport, Applied, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	in, note, err := Uploads.Open(id, UploadTracking, owner, opts.Now)
	if err != nil {
		return nil, Applied{}, err
	}
	defer in.Close()
	rep, err := CheckTracking(ctx, st, in, opts)
	if err != nil {
		return nil, Applied{}, err
	}
	if rep.Note() != note {
		Uploads.Renote(id, rep.Note()) // the new report is the one to confirm next
		return rep, Applied{}, ErrReportChanged
	}
	applied, err := ApplyTracking(ctx, st, mover, rep, phaseID, owner)
	if err != nil {
		return rep, Applied{}, err
	}
	Uploads.Remove(id)
	return rep, applied, nil
}
