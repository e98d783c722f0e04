package workflow

import "testing"

// An order history's actor reads as who or what did it: a job as 自動処理「<its label>」, never
// as the code "system:confirm".
func TestActorLabelNamesTheJobInJapanese(t *testing.T) {
	t.Parallel()
	for actor, want := range map[string]string{
		"system:confirm":        "自動処理「注文確認」",
		"system:import":         "自動処理「受注取込」",
		"system:ship_report":    "自動処理「出荷情報反映」",
		"system:payment_review": "自動処理「決済審査結果確認」",
		"system:mail":           "自動処理「メール送信」",
		"system:refetch":        "自動処理「注文の再取得」",
		"system:payment_drift":  "自動処理「決済状況の照合」",
		"system":                "自動処理",
		"tanaka":                "tanaka",
		"systemadmin":           "systemadmin",
	} {
		if got := ActorLabel(actor); got != want {
			t.Errorf("ActorLabel(%q) = %q, want %q", actor, got, want)
		}
	}
}
