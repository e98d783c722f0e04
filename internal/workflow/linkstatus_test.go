package workflow

import "testing"

// Channels register their link statuses' labels; these tests name two of Rakuten's as it does.
func init() {
	RegisterLinkStatus(LinkConfirmError, "注文確認エラー")
	RegisterLinkStatus(LinkShipReportError, "発送完了報告エラー")
}

// TestErrorLinkStatusesAreTheOnesWaitingForTheOperator: the errors of every channel, 決済審査NG
// and a refused rule's "<job kind>_error" are errors; done, in-progress and blank are not.
func TestErrorLinkStatusesAreTheOnesWaitingForTheOperator(t *testing.T) {
	t.Parallel()
	for status, want := range map[LinkStatus]bool{
		LinkNone:               false,
		LinkConfirmed:          false,
		LinkConfirmError:       true,
		LinkShipReporting:      false, // ends in "ng" but not "_ng"
		LinkShipReported:       false,
		LinkShipReportError:    true,
		LinkPaymentReviewed:    false,
		LinkPaymentReviewNG:    true,
		LinkAuStatusFetchError: true,
		LinkAuShipReported:     false,
		LinkAuShipReportError:  true,
		LinkAuCompleted:        false,
		LinkAuCompleteError:    true,
		LinkStatus(string(JobShipReport) + "_error"): true, // a rule whose whole call was refused
		"error":  false,
		"_error": true,
	} {
		if got := status.IsError(); got != want {
			t.Errorf("%q.IsError() = %v, want %v", status, got, want)
		}
	}
}

// TestRuleErrorIsAnErrorWithALabel: the status of a run whose whole call was refused is an
// error, and reads as its rule's kind, not as a code.
func TestRuleErrorIsAnErrorWithALabel(t *testing.T) {
	l := RuleError(JobShipReport)
	if !l.IsError() || l.Label() != "出荷情報反映エラー(一括)" {
		t.Errorf("%q: error %v, label %q", l, l.IsError(), l.Label())
	}
	if got := LinkStatus("mystery_error").Label(); got != "mystery_error" {
		t.Errorf("an unknown code reads %q", got)
	}
}

// TestKeepEarlierError: a refusal replacing an unhandled error carries it along; the same error
// again, or a refusal over no error, does not.
func TestKeepEarlierError(t *testing.T) {
	t.Parallel()
	msg, replaced := KeepEarlierError(LinkConfirmError, "注文確認できませんでした。", LinkShipReportError, "出荷情報がありません。")
	if !replaced || msg != "出荷情報がありません。 ／ 前の未対応のエラー: 「注文確認エラー」注文確認できませんでした。" {
		t.Errorf("over an error: %q %v", msg, replaced)
	}
	again, replaced := KeepEarlierError(LinkShipReportError, msg, LinkShipReportError, "出荷情報がありません。")
	if replaced || again != msg {
		t.Errorf("the same refusal again: %q %v", again, replaced)
	}
	third, replaced := KeepEarlierError(LinkShipReportError, msg, LinkShipReportError, "配送番号が正しくありません。")
	if !replaced || third != "配送番号が正しくありません。 ／ 前の未対応のエラー: 「発送完了報告エラー」"+msg {
		t.Errorf("a third error: %q %v", third, replaced)
	}
	if pending, replaced := KeepEarlierError(LinkShipReportError, msg, LinkShipReporting, "RMSが処理しています。"); !replaced ||
		pending != "RMSが処理しています。 ／ 前の未対応のエラー: 「発送完了報告エラー」"+msg {
		t.Errorf("a pending send over an error: %q %v", pending, replaced)
	}
	if carried, replaced := KeepEarlierError(LinkShipReporting, "RMSが処理しています。 ／ 前の未対応のエラー: 「注文確認エラー」x", LinkShipReportError, "y"); replaced ||
		carried != "y ／ 前の未対応のエラー: 「注文確認エラー」x" {
		t.Errorf("errors kept by a pending send: %q %v", carried, replaced)
	}
	for _, prev := range []struct {
		status  LinkStatus
		message string
	}{{LinkNone, ""}, {LinkConfirmed, "注文確認済みです。"}, {LinkConfirmError, ""}} {
		if got, replaced := KeepEarlierError(prev.status, prev.message, LinkShipReportError, "出荷情報がありません。"); replaced || got != "出荷情報がありません。" {
			t.Errorf("over %q %q: %q %v", prev.status, prev.message, got, replaced)
		}
	}
}
