package yahoo_test

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/yahoo"
	"github.com/ichigen-oms/ichigen/internal/notify"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The error e-mails' subjects name Yahoo's jobs in the words of the seed's Yahoo page
// (自動注文処理実績連携), and the import, which has none of its own, in the common ones.
func TestErrorSubjectsUseYahoosWords(t *testing.T) {
	for kind, want := range map[workflow.JobKind]string{
		workflow.JobShipReport: "(ichigen) Yahoo!自動注文処理実績連携(出荷情報反映)結果のお知らせ(エラー情報)",
		workflow.JobComplete:   "(ichigen) Yahoo!自動注文処理実績連携(受注完了ステータス反映)結果のお知らせ(エラー情報)",
		workflow.JobConfirm:    "(ichigen) Yahoo!自動処理中反映結果のお知らせ(エラー情報)",
		workflow.JobImport:     "(ichigen) Yahoo!自動受注取込結果のお知らせ(エラー情報)",
	} {
		if got := notify.ErrorSubject(yahoo.Spec.Short, yahoo.Spec.JobLabel(kind)); got != want {
			t.Errorf("%s: subject %q, want %q", kind, got, want)
		}
	}
}
