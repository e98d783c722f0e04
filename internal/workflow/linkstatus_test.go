package workflow

import "testing"

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
