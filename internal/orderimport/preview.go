package orderimport

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// UploadOrders is the spool's kind of an order file.
const UploadOrders = "orders"

// PreviewRow is what the import would do with one order of the file.
type PreviewRow struct {
	Line   int    `json:"line" doc:"注文の最初の行の行番号"`
	Number string `json:"number" doc:"注文番号"`
	Buyer  string `json:"buyer" doc:"注文者名"`
	Items  int    `json:"items" doc:"商品の行数"`
	Total  int64  `json:"total" doc:"請求金額"`
	New    bool   `json:"new" doc:"true: 取り込みます。false: 取込済みのため取り込みません"`
}

// Preview is the dry run of an order file: each order and whether it would be taken, nothing
// saved. Upload names the spooled file the confirmation imports (ConfirmImport).
type Preview struct {
	Result
	Rows   []PreviewRow `json:"rows,omitempty" doc:"dry_run のとき、注文ごとの結果 (最初の1,000件)"`
	Upload string       `json:"upload_id,omitempty" doc:"dry_run のとき、取り込むときに upload_id として渡すID (1時間有効)"`
}

// errDryRun rolls the dry run's transaction back.
var errDryRun = errors.New("orderimport: dry run")

// MaxPreviewRows bounds the orders a dry run lists; its counts cover the whole file.
const MaxPreviewRows = 1000

// PreviewImport spools an order file as it arrives (to disk, packing.Uploads) and then reads it
// as Import would, reporting per order what Import would take (new) and refuse (already
// stored): the store's own upsert runs, a batch at a time, in a transaction that is rolled back,
// so the answer is the import's, and nothing is saved. The transaction is opened only once the
// file is on disk, so a slow upload never holds the store's writer. A broken row refuses the
// file as Import does. The file stays in packing.Uploads for the confirmation. The context's
// packing.Progress counts the bytes received and the rows checked.
func PreviewImport(ctx context.Context, st store.Store, shopID, phaseID int64, r io.Reader, owner string, now time.Time) (Preview, error) {
	m, err := shopMapping(ctx, st, shopID)
	if err != nil {
		return Preview{}, err
	}
	progress := packing.ProgressOf(ctx)
	defer progress.Finish()
	w, err := packing.Uploads.Create(UploadOrders, owner)
	if err != nil {
		return Preview{}, err
	}
	if _, err := io.Copy(w, progress.Reader(r)); err != nil {
		w.Discard()
		return Preview{}, err
	}
	id, err := w.Keep(shopKey(shopID), now)
	if err != nil {
		return Preview{}, err
	}
	in, _, err := packing.Uploads.Open(id, UploadOrders, owner, now)
	if err != nil {
		return Preview{}, err
	}
	defer in.Close()
	p := Preview{Upload: id}
	err = st.InTx(ctx, func(tx store.Tx) error {
		err := scan(ctx, in, m, BatchSize, func(orders []order.Order, lines []int) error {
			res, err := tx.UpsertOrders(ctx, shopID, orders, store.UpsertOptions{PhaseID: phaseID, Actor: owner})
			if err != nil {
				return err
			}
			p.Orders, p.Inserted = p.Orders+len(orders), p.Inserted+res.Inserted
			inserted := make(map[int64]bool, len(res.NewIDs))
			for _, id := range res.NewIDs {
				inserted[id] = true
			}
			for i, o := range orders {
				if len(p.Rows) >= MaxPreviewRows {
					break
				}
				total, _ := o.Amounts.Requested.Value()
				p.Rows = append(p.Rows, PreviewRow{Line: lines[i], Number: o.Number, Buyer: o.Buyer.Name, Items: len(o.Lines), Total: total, New: inserted[res.IDs[i]]})
			}
			return nil
		})
		if err != nil {
			return err
		}
		return errDryRun
	})
	if !errors.Is(err, errDryRun) {
		packing.Uploads.Remove(id)
		return Preview{}, err
	}
	p.Known = p.Orders - p.Inserted
	return p, nil
}

// ConfirmImport imports the spooled file of a dry run (PreviewImport) into the same shop and
// drops it. What was imported since the dry run is counted as known, never imported twice.
func ConfirmImport(ctx context.Context, st store.Store, shopID, phaseID int64, upload, owner string, now time.Time) (Result, error) {
	in, note, err := packing.Uploads.Open(upload, UploadOrders, owner, now)
	if err != nil {
		return Result{}, err
	}
	defer in.Close()
	if note != shopKey(shopID) {
		return Result{}, errUploadShop
	}
	res, err := Import(ctx, st, shopID, phaseID, in, owner)
	if err != nil {
		return res, err
	}
	packing.Uploads.Remove(upload)
	return res, nil
}

func shopKey(shopID int64) string { return "shop " + strconv.FormatInt(shopID, 10) }

var errUploadShop = apperror.New(apperror.Invalid, "確認したファイルは別の店舗のものです。何も登録していません。店舗を選び直して、もう一度ファイルを確認してください。")
